// Spectral contrast: per octave band, how far the spectral peaks stand above the valleys (librosa's bands; the
// peak and valley are the means of a band's top and bottom fifth, not librosa's 2 %).
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { N_CONTRAST } from './spec.js';
import { scatterRows } from '../dsp/chunk-rows.js';
import { featureKernels as kernels } from '../dsp/fft.js';

const FMIN = 200;
/**
 * Share of a band's bins averaged into its peak and its valley. librosa's 2 % is one bin in most bands: the
 * valley of a quiet 16-bit recording was then its deepest quantisation-noise bin, and 4–8 kHz contrast was
 * the feature that moved most 24 dB quieter (0.57 clean spreads); over a fifth of the bins it moves 0.12, and overall
 * accuracy out of fold stayed within half a point (models/EXPERIMENTS.md, f8).
 */
const QUANTILE = 0.2;
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
    if (k > end - start - 1) throw new Error('spectral contrast: a band averages more bins than it sorts');
    bands.start[b] = start;
    bands.end[b] = b < nBands ? end - 1 : end;
    bands.k[b] = k;
  }
  return bands;
}

const { start: BAND_START, end: BAND_END, k: BAND_K } = buildBands();
/** The kernel keeps this many of a band's smallest and largest in scratch (a vector of four frames each). */
const MAX_K = Math.max(...BAND_K);

/** Frames whose rows the kernel's memory holds at once (~0.2 MB, whatever the clip's length). */
const CHUNK = 128;
// Byte offsets (16-aligned): the kernel's scratch for the smallest and largest, the band bounds and counts (a
// 16-byte multiple each), one chunk's magnitude rows, its peaks and valleys (two f64 per band and frame), its dB.
const BOUNDS_BYTES = 16 * Math.ceil(N_CONTRAST / 4);
const LOW_AT = kernels.region(32 * MAX_K + 3 * BOUNDS_BYTES + 4 * CHUNK * N_BINS + 16 * CHUNK * N_CONTRAST + 4 * CHUNK * N_CONTRAST);
const HIGH_AT = LOW_AT + 16 * MAX_K;
const START_AT = HIGH_AT + 16 * MAX_K;
const END_AT = START_AT + BOUNDS_BYTES;
const K_AT = END_AT + BOUNDS_BYTES;
const ROWS_AT = K_AT + BOUNDS_BYTES;
const OUT_AT = ROWS_AT + 4 * CHUNK * N_BINS;
const DB_AT = OUT_AT + 16 * CHUNK * N_CONTRAST;
new Int32Array(kernels.buffer, START_AT, N_CONTRAST).set(BAND_START);
new Int32Array(kernels.buffer, END_AT, N_CONTRAST).set(BAND_END);
new Int32Array(kernels.buffer, K_AT, N_CONTRAST).set(BAND_K);
/** One chunk's contrast in dB, band-major (band b of frame i at b·n + i). */
const dbChunk = new Float32Array(kernels.buffer, DB_AT, CHUNK * N_CONTRAST);
const contrastMeans = kernels.exports.contrastMeans as (mg: number, frames: number, bins: number, nb: number, bs: number, be: number,
  k: number, low: number, high: number, out: number) => void;
const contrastDb = kernels.exports.contrastDb as (found: number, n: number, nb: number, amin: number, scale: number, out: number) => void;

/**
 * Row-major contrast[band·frames + t] in dB (10·log10 of the ratio of the band's peak to its valley, as
 * librosa). Both run in WebAssembly (fft.wat's "contrastMeans" and "contrastDb", with Math.log's own
 * logarithm): the same bits as sorting each band in JavaScript, which contrast.test keeps as the reference.
 */
export function spectralContrast(spec: Spectrogram): Float32Array {
  const { frames, magnitude } = spec;
  const out = new Float32Array(N_CONTRAST * frames);
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    new Float32Array(kernels.buffer, ROWS_AT, n * N_BINS).set(magnitude.subarray(t0 * N_BINS, (t0 + n) * N_BINS));
    contrastMeans(ROWS_AT, n, N_BINS, N_CONTRAST, START_AT, END_AT, K_AT, LOW_AT, HIGH_AT, OUT_AT);
    contrastDb(OUT_AT, n, N_CONTRAST, AMIN, DB_PER_NEPER, DB_AT);
    scatterRows(dbChunk, n, N_CONTRAST, n, out, frames, t0);
  }
  return out;
}
