// Spectral contrast: per octave band, how far the spectral peaks stand above the valleys (librosa's definition).
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { N_CONTRAST } from './spec.js';
import { maxBits, minBits } from '../dsp/bits-order.js';

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

/** Row-major contrast[band·frames + t] in dB (10·log10 of the magnitude ratio, as librosa). */
export function spectralContrast(spec: Spectrogram): Float32Array {
  const { frames, magnitude } = spec;
  const out = new Float32Array(N_CONTRAST * frames);
  extremes(new Int32Array(magnitude.buffer, magnitude.byteOffset, magnitude.length), frames, out);
  return out;
}

/** Reads float32 bit patterns back as numbers. */
const bitsIn = new Int32Array(1);
const floatOut = new Float32Array(bitsIn.buffer);
const fromBits = (bits: number): number => {
  bitsIn[0] = bits;
  return floatOut[0];
};

/**
 * The two largest and two smallest magnitudes of each band, on their float32 bit patterns (branch-free
 * min and max, bits-order.ts): tracking them with compares took a data-dependent branch per bin. The
 * extremes are the same values, so the output is bit-identical.
 */
function extremes(bits: Int32Array, frames: number, out: Float32Array): void {
  const bandStart = BAND_START;
  const bandEnd = BAND_END;
  const bandK = BAND_K;
  for (let t = 0; t < frames; t++) {
    const row = t * N_BINS;
    for (let b = 0; b < N_CONTRAST; b++) {
      const end = row + bandEnd[b];
      // −1 and 0x7fffffff stand for −∞ and +∞: below and above every non-negative float's bits.
      let top1 = -1, top2 = -1, low1 = 0x7fffffff, low2 = 0x7fffffff;
      for (let i = row + bandStart[b]; i < end; i++) {
        const v = bits[i];
        top2 = maxBits(top2, minBits(top1, v));
        top1 = maxBits(top1, v);
        low2 = minBits(low2, maxBits(low1, v));
        low1 = minBits(low1, v);
      }
      const k = bandK[b];
      const peak = k === 1 ? fromBits(top1) : (fromBits(top1) + fromBits(top2)) / 2;
      const valley = k === 1 ? fromBits(low1) : (fromBits(low1) + fromBits(low2)) / 2;
      out[b * frames + t] = DB_PER_NEPER * Math.log(Math.max(peak, AMIN) / Math.max(valley, AMIN));
    }
  }
}
