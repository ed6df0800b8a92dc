// Passes over a whole signal that the VAD, the level and the features make (sums, block energies, zero
// crossings, the VAD's frame levels), in WebAssembly (fft.wat's "an2" block) on the feature kernels' memory. The samples are
// copied in chunk by chunk, so the memory stays fixed for any length. Each sum is still added in sample
// order, so every result is the same bit for bit as the JavaScript loops these replace; what is faster is
// that independent sums run side by side (several chains in one pass, two blocks per f64x2 lane pair)
// and that the sign tests of the zero crossings take four samples per instruction.
import { featureKernels as kernels } from './fft.js';

type MomentsExport = (x: number, n: number, out: number) => void;
type BlockPowersExport = (x: number, n: number, shift: number, out: number) => void;
type CrossingsExport = (x: number, n: number, out: number) => void;
type BlockSumsExport = (x: number, len: number, blocks: number, sum: number, sq: number) => void;
type FrameDbExport = (sum: number, sq: number, frames: number, perHop: number, perFrame: number, n: number, silent: number, out: number) => void;

const momentsKernel = kernels.exports.moments as MomentsExport;
const blockPowersKernel = kernels.exports.blockPowers as BlockPowersExport;
const crossingsKernel = kernels.exports.crossings as CrossingsExport;
const blockSumsKernel = kernels.exports.blockSums as BlockSumsExport;
const frameDbKernel = kernels.exports.frameDb as FrameDbExport;

/** Samples per chunk: a multiple of the 32-sample blocks and of the VAD's 80-sample blocks at 16 kHz (160 KB). */
const CHUNK = 40_960;
/** Samples per block of blockPowers() and blockCrossings() (temporal.ts sums frames from them). */
export const BLOCK = 32;
const CHUNK_BLOCKS = CHUNK / BLOCK;
// The chunk's samples, with one f32 before them (the sample before the chunk, for the zero crossings).
const X_AT = 16 + kernels.region(16 + 4 * CHUNK + 8 * 3 + 2 * 8 * CHUNK_BLOCKS);
const MOMENTS_AT = X_AT + 4 * CHUNK;
const OUT_AT = MOMENTS_AT + 8 * 3;
const SUMSQ_AT = OUT_AT + 8 * CHUNK_BLOCKS;
const signal = new Float32Array(kernels.buffer, X_AT - 4, CHUNK + 1);
const momentsOut = new Float64Array(kernels.buffer, MOMENTS_AT, 3);
const blockOut = new Float64Array(kernels.buffer, OUT_AT, CHUNK_BLOCKS);
// frameDb()'s levels of one chunk (at most one frame per block).
const DB_AT = kernels.region(8 * CHUNK_BLOCKS);
const dbOut = new Float64Array(kernels.buffer, DB_AT, CHUNK_BLOCKS);

/** x[from…to) into the memory at X_AT, and the sample before it (0 at the start) just before. */
function loadChunk(x: Float32Array, from: number, to: number): void {
  signal[0] = from > 0 ? x[from - 1] : 0;
  signal.set(x.subarray(from, to), 1);
}

/**
 * Σx and Σx² (f64, in sample order) and max |x| over x, at [0], [1], [2] of the array returned (a view
 * that the next call overwrites).
 */
export function moments(x: Float32Array): Float64Array {
  momentsOut.fill(0);
  for (let from = 0; from < x.length; from += CHUNK) {
    const to = Math.min(x.length, from + CHUNK);
    loadChunk(x, from, to);
    momentsKernel(X_AT, to - from, MOMENTS_AT);
  }
  return momentsOut;
}

/** For each BLOCK of x (the last may be short): Σ v² in sample order, v = x − shift rounded to float32, into out (ceil(n / BLOCK) long). */
export function blockPowers(x: Float32Array, shift: number, out: Float64Array): Float64Array {
  return perBlock(x, out, (n) => blockPowersKernel(X_AT, n, shift, OUT_AT));
}

/**
 * For each BLOCK of x (the last may be short): how many samples differ in sign (negative or not) from
 * the sample before (the first sample from a non-negative one), into out (ceil(n / BLOCK) long).
 */
export function blockCrossings(x: Float32Array, out: Float64Array): Float64Array {
  return perBlock(x, out, (n) => crossingsKernel(X_AT, n, OUT_AT));
}

/** x chunk by chunk through `pass` (n samples at X_AT → one value per BLOCK at OUT_AT), the values into out. */
function perBlock(x: Float32Array, out: Float64Array, pass: (n: number) => void): Float64Array {
  for (let from = 0; from < x.length; from += CHUNK) {
    const to = Math.min(x.length, from + CHUNK);
    loadChunk(x, from, to);
    pass(to - from);
    out.set(blockOut.subarray(0, Math.ceil((to - from) / BLOCK)), from / BLOCK);
  }
  return out;
}

/**
 * The VAD's frame levels in dB: frame f spans blocks f·perHop … f·perHop + perFrame − 1 of `len` samples of x
 * (db.length frames, all inside x); its power about its mean (from Σx and Σx² per block in sample order, then
 * per frame in block order), 10·log10 of it (fft.wat's exact Math.log10), at least `silent`, and `silent` where
 * the power is not positive. Bit for bit what vad.ts's JavaScript computed; in WebAssembly (fft.wat's
 * "blockSums" and "frameDb") because that frame loop was the largest TurboFan compile of a CLI run.
 */
export function frameDb(x: Float32Array, len: number, perFrame: number, perHop: number, silent: number, db: Float64Array): void {
  const perChunk = Math.min(CHUNK_BLOCKS, Math.floor(CHUNK / len));
  const framesPerChunk = perChunk >= perFrame ? Math.floor((perChunk - perFrame) / perHop) + 1 : 0;
  if (framesPerChunk === 0) throw new RangeError(`frameDb: frames of ${perFrame} blocks of ${len} samples do not fit a chunk`);
  for (let f0 = 0; f0 < db.length; f0 += framesPerChunk) {
    const frames = Math.min(framesPerChunk, db.length - f0);
    const b0 = f0 * perHop;
    const blocks = (frames - 1) * perHop + perFrame;
    loadChunk(x, b0 * len, (b0 + blocks) * len);
    blockSumsKernel(X_AT, len, blocks, OUT_AT, SUMSQ_AT);
    frameDbKernel(OUT_AT, SUMSQ_AT, frames, perHop, perFrame, perFrame * len, silent, DB_AT);
    db.set(dbOut.subarray(0, frames), f0);
  }
}
