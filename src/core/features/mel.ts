// Log-mel spectrogram (the base of the MFCCs) and the spectral flux measured on it.
import { scatterRows } from '../dsp/chunk-rows.js';
import { BandSums, dbRow, featureKernels } from '../dsp/fft.js';
import { SAMPLE_RATE } from '../pcm.js';
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';

export const N_MELS = 40;
/** librosa's power_to_db defaults: amin 1e-10, top_db 80 (relative to the loudest cell, so gain-free). */
const AMIN = 1e-10;
const TOP_DB = 80;
/** 10·log10(e) = DB_PER_NEPER·ln(e). */
const DB_PER_NEPER = 10 / Math.LN10;

/** Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above. */
export function hzToMel(f: number): number {
  return f < 1000 ? (3 * f) / 200 : 15 + (27 * Math.log(f / 1000)) / Math.log(6.4);
}

export function melToHz(m: number): number {
  return m < 15 ? (200 * m) / 3 : 1000 * Math.exp(((m - 15) * Math.log(6.4)) / 27);
}

interface MelBank {
  start: Int32Array;
  length: Int32Array;
  /** Weights of band m live at offset[m]…offset[m]+length[m]. */
  offset: Int32Array;
  weights: Float64Array;
}

/**
 * Triangles evenly spaced in mel from 0 Hz to Nyquist, area-normalised (librosa norm='slaney'). Each band
 * visits only the bins from just below its lower edge to its upper one (the weight is 0 outside): it runs
 * once per process, before any of it is compiled, where a loop over every bin of every band cost ~3 ms.
 */
function buildMelBank(): MelBank {
  const edges = Float64Array.from({ length: N_MELS + 2 }, (_, i) => melToHz((hzToMel(SAMPLE_RATE / 2) * i) / (N_MELS + 1)));
  const start = new Int32Array(N_MELS);
  const length = new Int32Array(N_MELS);
  const offset = new Int32Array(N_MELS);
  const weights: number[] = [];
  for (let m = 0; m < N_MELS; m++) {
    const lo = edges[m];
    const mid = edges[m + 1];
    const hi = edges[m + 2];
    const enorm = 2 / (hi - lo);
    offset[m] = weights.length;
    start[m] = -1;
    // f ≤ lo gives w ≤ 0 and so does f ≥ hi: no bin below floor(lo / BIN_HZ) or from hi up has a weight.
    for (let k = Math.max(0, Math.floor(lo / BIN_HZ)); k < N_BINS && k * BIN_HZ < hi; k++) {
      const f = k * BIN_HZ;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w > 0) {
        if (start[m] < 0) start[m] = k;
        weights.push(w * enorm);
      }
    }
    if (start[m] < 0) start[m] = 0;
    length[m] = weights.length - offset[m];
  }
  return { start, length, offset, weights: Float64Array.from(weights) };
}

const BANK = buildMelBank();

/**
 * Log-mel power in dB, frame-major (logMel[t·N_MELS + m]), floored at TOP_DB below its maximum.
 * `alsoOfChunk(t0, n)` is called while frames t0…t0+n−1 of the spectrum are loaded for the band sums, so
 * another filterbank of N_BINS bins can take its sums of them without copying them again (chroma.ts).
 */
export function logMel(spec: Spectrogram, alsoOfChunk?: (t0: number, n: number) => void): Float32Array {
  const out = new Float32Array(spec.frames * N_MELS);
  const max = melDb(spec.power, spec.frames, out, alsoOfChunk);
  return floorAt(out, max - TOP_DB);
}

/** BANK as a filterbank over whole spectrum rows (each band's bins listed). */
const SUMS = (() => {
  const offset = Int32Array.of(...BANK.offset, BANK.weights.length);
  const bin = new Int32Array(BANK.weights.length);
  for (let m = 0; m < N_MELS; m++) for (let j = 0; j < BANK.length[m]; j++) bin[BANK.offset[m] + j] = BANK.start[m] + j;
  return new BandSums(offset, bin, BANK.weights, N_BINS);
})();

/** One chunk's dB values (f32) in the feature kernels' memory. */
const DB_AT = featureKernels.region(4 * BandSums.CHUNK * N_MELS);
const dbChunk = new Float32Array(featureKernels.buffer, DB_AT, BandSums.CHUNK * N_MELS);

/**
 * Fills out with the bands' dB and returns the largest. The band sums run in WebAssembly (BandSums),
 * each adding its bins in order, as a loop over one frame at a time would; so does their dB (dbRow:
 * DB_PER_NEPER·ln(max(e, AMIN)) with Math.log's own logarithm), rounded to f32 as out stores it.
 */
function melDb(power: Float32Array, frames: number, out: Float32Array, alsoOfChunk?: (t0: number, n: number) => void): number {
  let max = -Infinity;
  for (let t0 = 0; t0 < frames; t0 += BandSums.CHUNK) {
    const n = Math.min(BandSums.CHUNK, frames - t0);
    SUMS.load(power, t0, n);
    alsoOfChunk?.(t0, n);
    const sums = SUMS.sums(n);
    max = Math.max(max, dbRow(sums.byteOffset, n * N_MELS, AMIN, DB_PER_NEPER, DB_AT));
    out.set(n === BandSums.CHUNK ? dbChunk : dbChunk.subarray(0, n * N_MELS), t0 * N_MELS);
  }
  return max;
}

/** Frames one melTracks() call hands the kernel: most clips (up to 5.12 s) in one, so their band-major rows come out in one copy. */
const TRACK_CHUNK = 512;
// Byte offsets: the row of the frame before the chunk, the chunk's rows (also the floor's chunk), then the
// chunk's flux and its band-major values, as they are and relative to their frame's mean (~250 KB in all).
const PREV_AT = featureKernels.region(4 * N_MELS * (TRACK_CHUNK + 1) + 4 * TRACK_CHUNK + 8 * N_MELS * TRACK_CHUNK);
const ROWS_AT = PREV_AT + 4 * N_MELS;
const FLUX_AT = ROWS_AT + 4 * N_MELS * TRACK_CHUNK;
const REL_AT = FLUX_AT + 4 * TRACK_CHUNK;
const BM_AT = REL_AT + 4 * N_MELS * TRACK_CHUNK;
const rowsChunk = new Float32Array(featureKernels.buffer, PREV_AT, N_MELS * (TRACK_CHUNK + 1));
const fluxChunk = new Float32Array(featureKernels.buffer, FLUX_AT, TRACK_CHUNK);
const relChunk = new Float32Array(featureKernels.buffer, REL_AT, N_MELS * TRACK_CHUNK);
const bmChunk = new Float32Array(featureKernels.buffer, BM_AT, N_MELS * TRACK_CHUNK);
const floorBelow = featureKernels.exports.floorBelow as (x: number, n: number, floor: number) => void;
const melTracksKernel = featureKernels.exports.melTracks as (
  rows: number, n: number, nm: number, prev: number, flux: number, rel: number, bm: number,
) => void;

/**
 * Every value of x below `floor` becomes floor (rounded to f32), in WebAssembly ("floorBelow"), chunk by chunk:
 * a loop over every log-mel cell in JavaScript was one more function for the optimising compiler to compile twice.
 * Exported for mel-tracks.test, which keeps that loop as the reference.
 */
export function floorAt(x: Float32Array, floor: number): Float32Array {
  const cells = N_MELS * TRACK_CHUNK;
  for (let i = 0; i < x.length; i += cells) {
    const n = Math.min(cells, x.length - i);
    rowsChunk.set(x.subarray(i, i + n), N_MELS);
    floorBelow(ROWS_AT, n, floor);
    x.set(rowsChunk.subarray(N_MELS, N_MELS + n), i);
  }
  return x;
}

export interface MelTracks {
  /** Onset-strength style flux per frame: the mean positive change of the log-mel bands from the previous frame (dB). */
  flux: Float32Array;
  /** Band-major log-mel (band m of frame t at m·frames + t). */
  bandMajor: Float32Array;
  /** The same, each band relative to its frame's mean over bands: the envelope's shape without the loudness contour. */
  relative: Float32Array;
}

/**
 * The tracks extractFeatures takes from the log-mel rows, in one pass in WebAssembly ("melTracks"): the same
 * f64 sums in the same order as the JavaScript loops they replaced (kept in mel-tracks.test as the reference).
 * The flux adds (d + |d|)·0.5 for each band's change d: exactly d when d > 0 and +0 otherwise (log-mel values
 * are always finite), so the sums are those of `if (d > 0) s += d`, without a branch that is a coin flip.
 */
export function melTracks(logmel: Float32Array, frames: number): MelTracks {
  const flux = new Float32Array(frames);
  const bandMajor = new Float32Array(N_MELS * frames);
  const relative = new Float32Array(N_MELS * frames);
  for (let t0 = 0; t0 < frames; t0 += TRACK_CHUNK) {
    const n = Math.min(TRACK_CHUNK, frames - t0);
    // The chunk's rows after the row of the frame before it, when there is one.
    const prev = t0 > 0 ? 1 : 0;
    rowsChunk.set(logmel.subarray((t0 - prev) * N_MELS, (t0 + n) * N_MELS), (1 - prev) * N_MELS);
    melTracksKernel(ROWS_AT, n, N_MELS, prev, FLUX_AT, REL_AT, BM_AT);
    flux.set(n === TRACK_CHUNK ? fluxChunk : fluxChunk.subarray(0, n), t0);
    scatterRows(bmChunk, n, N_MELS, n, bandMajor, frames, t0);
    scatterRows(relChunk, n, N_MELS, n, relative, frames, t0);
  }
  return { flux, bandMajor, relative };
}

/** melTracks' flux alone. */
export function melFlux(logmel: Float32Array, frames: number): Float32Array {
  return melTracks(logmel, frames).flux;
}
