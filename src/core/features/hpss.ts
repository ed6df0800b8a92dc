// Harmonic/percussive split (median filtering, soft mask) reduced to per-frame harmonic and percussive energy.
import { N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { featureKernels as kernels, hpssCells } from '../dsp/fft.js';

export interface HarmonicPercussive {
  /** dB of the harmonic part's energy in the frame. */
  harmDb: Float32Array;
  percDb: Float32Array;
  /** Harmonic share of the frame's energy, 0…1 (0.5 for a silent frame). */
  harmRatio: Float32Array;
}

/**
 * Only 0–4 kHz is split (where voicing lives), on cells pooled 2 bins × 2 frames (62.5 Hz × 20 ms):
 * the two median filters then cost an eighth of running them on the whole spectrogram. fft.wat's "hpss"
 * is written for these sizes: BANDS bands of 2 bins.
 */
const POOL_FRAMES = 2;
const BANDS = 64;
/**
 * Both median filters are 9 wide: 9 cells = 180 ms across time (long enough that a syllable's
 * harmonics survive and a click does not), 9 bands = 560 Hz across frequency (a click is flat over
 * it, a harmonic is one narrow line). The kernel is written for exactly this width.
 */
const KERNEL_HALF = 4;
const FLOOR = 1e-10;

/** Cells per call of the kernel; with the 4-cell halo on each side its memory is ~0.2 MB for any clip length. */
const CHUNK_CELLS = 64;
/** One row per cell: KERNEL_HALF copies of band 0, the bands, KERNEL_HALF copies of the last band (i32). */
const ROW_BYTES = 4 * (BANDS + 2 * KERNEL_HALF);
const MG_BYTES = 4 * N_BINS * POOL_FRAMES * (CHUNK_CELLS + 2 * KERNEL_HALF);
const MG_AT = kernels.region(MG_BYTES + ROW_BYTES * (CHUNK_CELLS + 2 * KERNEL_HALF) + 2 * 4 * BANDS * CHUNK_CELLS + 16 * CHUNK_CELLS);
const ROWS_AT = MG_AT + MG_BYTES;
const HM_AT = ROWS_AT + ROW_BYTES * (CHUNK_CELLS + 2 * KERNEL_HALF);
const PC_AT = HM_AT + 4 * BANDS * CHUNK_CELLS;
const OUT_AT = PC_AT + 4 * BANDS * CHUNK_CELLS;
/** Per cell of a chunk: the harmonic and the percussive energy (f64), summed over bands in order. */
const energies = new Float64Array(kernels.buffer, OUT_AT, 2 * CHUNK_CELLS);
const magnitudes = new Float32Array(kernels.buffer, MG_AT, MG_BYTES / 4);

/**
 * In WebAssembly (fft.wat's "hpss"), chunk by chunk of cells with the KERNEL_HALF cells either side that the
 * time filter reads: pooling (a frame's two bins summed in f64, added to the cell in float32; a short last
 * cell doubled), both median filters on the float32 bit patterns as int32 (for values ≥ 0 the order is the
 * same), with the ends of each series repeated KERNEL_HALF times, and the soft-mask energies, each cell's
 * added over bands in order as the JavaScript did, so the result is the same bit for bit.
 */
export function harmonicPercussive(spec: Spectrogram): HarmonicPercussive {
  const { frames: nFrames, magnitude } = spec;
  const cells = Math.ceil(nFrames / POOL_FRAMES);
  const out: HarmonicPercussive = {
    harmDb: new Float32Array(nFrames),
    percDb: new Float32Array(nFrames),
    harmRatio: new Float32Array(nFrames),
  };
  for (let c0 = 0; c0 < cells; c0 += CHUNK_CELLS) {
    const c1 = Math.min(cells, c0 + CHUNK_CELLS);
    const first = Math.max(0, c0 - KERNEL_HALF);
    const end = Math.min(cells, c1 + KERNEL_HALF);
    const f0 = first * POOL_FRAMES;
    const f1 = Math.min(nFrames, end * POOL_FRAMES);
    magnitudes.set(magnitude.subarray(f0 * N_BINS, f1 * N_BINS));
    hpssCells(MG_AT, N_BINS, f1 - f0, first, end, c0, c1, cells, ROWS_AT, HM_AT, PC_AT, OUT_AT);
    fillCells(out, energies, c0, c1, nFrames);
  }
  return out;
}

/** Every frame of a cell gets the cell's values; / POOL_FRAMES² puts the energy back on a one-frame scale. */
function fillCells(out: HarmonicPercussive, e: Float64Array, c0: number, c1: number, nFrames: number): void {
  for (let c = c0; c < c1; c++) {
    const eh = e[2 * (c - c0)];
    const ep = e[2 * (c - c0) + 1];
    const harmDb = 10 * Math.log10(eh / POOL_FRAMES ** 2 + FLOOR);
    const percDb = 10 * Math.log10(ep / POOL_FRAMES ** 2 + FLOOR);
    const ratio = eh + ep > 0 ? eh / (eh + ep) : 0.5;
    const end = Math.min(nFrames, (c + 1) * POOL_FRAMES);
    for (let t = c * POOL_FRAMES; t < end; t++) {
      out.harmDb[t] = harmDb;
      out.percDb[t] = percDb;
      out.harmRatio[t] = ratio;
    }
  }
}
