// Spectral contrast: per octave band, how far the spectral peaks stand above the valleys (librosa's definition).
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { N_CONTRAST } from './spec.js';
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
// Byte offsets: the band bounds, one chunk's magnitude rows, then its extremes (4 per band and frame).
const START_AT = kernels.region(8 * N_CONTRAST + 4 * CHUNK * N_BINS + 16 * CHUNK * N_CONTRAST);
const END_AT = START_AT + 4 * N_CONTRAST;
const ROWS_AT = START_AT + 8 * N_CONTRAST;
const OUT_AT = ROWS_AT + 4 * CHUNK * N_BINS;
new Int32Array(kernels.buffer, START_AT, N_CONTRAST).set(BAND_START);
new Int32Array(kernels.buffer, END_AT, N_CONTRAST).set(BAND_END);
/** The extremes as the float32 values their bits are: top1, top2, low1, low2 per band and frame. */
const found = new Float32Array(kernels.buffer, OUT_AT, 4 * CHUNK * N_CONTRAST);

/**
 * Row-major contrast[band·frames + t] in dB (10·log10 of the magnitude ratio, as librosa). The two
 * largest and two smallest magnitudes of each band are found in WebAssembly on their float32 bit
 * patterns as int32 (non-negative floats order like their bits), four frames per SIMD vector; they
 * are the same values, so the output is bit-identical.
 */
export function spectralContrast(spec: Spectrogram): Float32Array {
  const { frames, magnitude } = spec;
  const out = new Float32Array(N_CONTRAST * frames);
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    new Float32Array(kernels.buffer, ROWS_AT, n * N_BINS).set(magnitude.subarray(t0 * N_BINS, (t0 + n) * N_BINS));
    kernels.extremes(ROWS_AT, n, N_BINS, N_CONTRAST, START_AT, END_AT, OUT_AT);
    contrastDb(t0, n, frames, out);
  }
  return out;
}

/** The dB contrast of frames t0…t0+n−1 from their extremes. */
function contrastDb(t0: number, n: number, frames: number, out: Float32Array): void {
  const bandK = BAND_K;
  const f = found;
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < N_CONTRAST; b++) {
      const r = 4 * (i * N_CONTRAST + b);
      const k = bandK[b];
      const peak = k === 1 ? f[r] : (f[r] + f[r + 1]) / 2;
      const valley = k === 1 ? f[r + 2] : (f[r + 2] + f[r + 3]) / 2;
      out[b * frames + t0 + i] = DB_PER_NEPER * Math.log(Math.max(peak, AMIN) / Math.max(valley, AMIN));
    }
  }
}
