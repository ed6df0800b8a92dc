// Spectral contrast: per octave band, how far the spectral peaks stand above the valleys (librosa's definition).
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { N_CONTRAST } from './spec.js';
import { scatterRows } from '../dsp/chunk-rows.js';
import { featureKernels as kernels } from '../dsp/fft.js';

const FMIN = 200;
const QUANTILE = 0.02;
const AMIN = 1e-10;
const DB_PER_NEPER = 10 / Math.LN10;

/**
 * Band bounds as parallel typed arrays, not `{start, end, k}` objects: objects of that shape share
 * hidden classes with other `{start, end, …}` objects (analyze()'s segments), whose changes cleared
 * this loop's property feedback and deoptimised it about twice per clip (issue 15).
 */
interface Bands {
  start: Int32Array;
  end: Int32Array;
  /** How many of the largest / smallest magnitudes are averaged. */
  k: Int32Array;
}

/**
 * librosa.feature.spectral_contrast bands: [0, 200], then octaves up from 200 Hz, the last one open
 * to Nyquist; each band after the first also takes the bin just below it, and each but the last
 * drops its top bin from the sort (but not from the count that sets k).
 */
function buildBands(): Bands {
  const nBands = N_CONTRAST - 1;
  const edges = [0, ...Array.from({ length: nBands + 1 }, (_, i) => FMIN * 2 ** i)];
  const bands: Bands = { start: new Int32Array(N_CONTRAST), end: new Int32Array(N_CONTRAST), k: new Int32Array(N_CONTRAST) };
  for (let b = 0; b <= nBands; b++) {
    let first = -1;
    let last = -1;
    for (let k = 0; k < N_BINS; k++) {
      const f = k * BIN_HZ;
      if (f >= edges[b] && f <= edges[b + 1]) {
        if (first < 0) first = k;
        last = k;
      }
    }
    const start = b > 0 ? first - 1 : first;
    const end = b === nBands ? N_BINS : last + 1;
    const k = Math.max(1, Math.round(QUANTILE * (end - start)));
    if (k > 2) throw new Error('spectral contrast: a band needs more than 2 extremes');
    bands.start[b] = start;
    bands.end[b] = b < nBands ? end - 1 : end;
    bands.k[b] = k;
  }
  return bands;
}

const { start: BAND_START, end: BAND_END, k: BAND_K } = buildBands();

/** Frames whose rows the kernel's memory holds at once (~0.2 MB, whatever the clip's length). */
const CHUNK = 128;
// Byte offsets: the band bounds and counts, one chunk's magnitude rows, its extremes (4 per band and frame), its dB.
const START_AT = kernels.region(12 * N_CONTRAST + 4 * CHUNK * N_BINS + 16 * CHUNK * N_CONTRAST + 4 * CHUNK * N_CONTRAST);
const END_AT = START_AT + 4 * N_CONTRAST;
const K_AT = END_AT + 4 * N_CONTRAST;
const ROWS_AT = START_AT + 12 * N_CONTRAST;
const OUT_AT = ROWS_AT + 4 * CHUNK * N_BINS;
const DB_AT = OUT_AT + 16 * CHUNK * N_CONTRAST;
new Int32Array(kernels.buffer, START_AT, N_CONTRAST).set(BAND_START);
new Int32Array(kernels.buffer, END_AT, N_CONTRAST).set(BAND_END);
new Int32Array(kernels.buffer, K_AT, N_CONTRAST).set(BAND_K);
/** One chunk's contrast in dB, band-major (band b of frame i at b·n + i). */
const dbChunk = new Float32Array(kernels.buffer, DB_AT, CHUNK * N_CONTRAST);
const contrastDb = kernels.exports.contrastDb as (found: number, n: number, nb: number, k: number, amin: number, scale: number, out: number) => void;

/**
 * Row-major contrast[band·frames + t] in dB (10·log10 of the magnitude ratio, as librosa). The two
 * largest and two smallest magnitudes of each band are found in WebAssembly on their float32 bit
 * patterns as int32 (non-negative floats order like their bits), four frames per SIMD vector; they
 * are the same values, so the output is bit-identical. Their means, ratio and dB also run there (fft.wat's
 * "contrastDb", with Math.log's own logarithm: the same bits as the JavaScript it replaced, kept in
 * contrast.test as the reference).
 */
export function spectralContrast(spec: Spectrogram): Float32Array {
  const { frames, magnitude } = spec;
  const out = new Float32Array(N_CONTRAST * frames);
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    new Float32Array(kernels.buffer, ROWS_AT, n * N_BINS).set(magnitude.subarray(t0 * N_BINS, (t0 + n) * N_BINS));
    kernels.extremes(ROWS_AT, n, N_BINS, N_CONTRAST, START_AT, END_AT, OUT_AT);
    contrastDb(OUT_AT, n, N_CONTRAST, K_AT, AMIN, DB_PER_NEPER, DB_AT);
    scatterRows(dbChunk, n, N_CONTRAST, n, out, frames, t0);
  }
  return out;
}
