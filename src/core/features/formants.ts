// Formants per voiced frame: F1–F3 and their bandwidths from the roots of a 10th-order LPC polynomial.
//
// Why: vowel space and articulation change with emotion (a smile raises F1–F2, tension sharpens
// the resonances, sad speech centralises the vowels). Added to f4 they were worth +1.3 points of
// grouped-CV accuracy for the linear model on their own, and were part of every best combination
// (models/EXPERIMENTS.md). Frequencies are in Hz, so they carry no recording gain.
import { featureKernels as kernels, levinsonKernel } from '../dsp/fft.js';
import { HOP } from './frames.js';
import { decimate } from './pitch.js';

export interface Formants {
  /** F1, F2, F3 in Hz per frame; NaN where the frame is unvoiced or fewer formants were found. */
  frequency: Float32Array[];
  /** Their −3 dB bandwidths in Hz, same layout. */
  bandwidth: Float32Array[];
}

export const N_FORMANTS = 3;
/** decimate() output: 8 kHz, flat to ~3.4 kHz, which holds F1–F3 of adult voices. */
const RATE = 8000;
/** 2 + rate in kHz, the usual rule: one pole pair per kHz plus two for the glottal/radiation tilt. */
const ORDER = 10;
/** 32 ms at 8 kHz, centred on each spectral frame's centre. */
const WINDOW = 256;
const STEP = HOP / 2;
// Pre-emphasis 0.97: fft.wat's "lpcRoots" applies it as it windows the frame.
const HAMMING = Float64Array.from({ length: WINDOW }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (WINDOW - 1)));
/** Resonances outside 90 Hz … Nyquist − 50 Hz, or wider than 400 Hz, are tilt or noise, not formants. */
const MIN_HZ = 90;
const MAX_HZ = RATE / 2 - 50;
const MAX_BANDWIDTH_HZ = 400;

// Per-frame work buffers, module-level: nothing is allocated per frame. They live in the feature kernels'
// WebAssembly memory, where each voiced frame is windowed, its autocorrelation summed, its LPC
// coefficients found and their polynomial solved (fft.wat's "lpcRoots"): the window, r, a, the roots,
// the Hamming window, the cold starting points, and a stretch of the decimated signal.
const MAX_DEGREE = 32;
/** Samples of the 8-kHz signal held in the memory at a time (2 s); a longer one is loaded stretch by stretch. */
const SIGNAL_CAP = 16_384;
// The autocorrelation reads 8 bytes before the window: the region starts 16 bytes before it.
const BUF_AT = 16 + kernels.region(
  16 + 8 * WINDOW + 8 * (ORDER + 1) + 8 * (MAX_DEGREE + 1) + 16 * MAX_DEGREE + 8 * (ORDER + 1) + 8 * WINDOW + 16 * ORDER + 4 * (SIGNAL_CAP + 1),
);
const R_AT = BUF_AT + 8 * WINDOW;
const buf = new Float64Array(kernels.buffer, BUF_AT, WINDOW);
const POLY_AT = R_AT + 8 * (ORDER + 1);
const RE_AT = POLY_AT + 8 * (MAX_DEGREE + 1);
const IM_AT = RE_AT + 8 * MAX_DEGREE;
const PREV_AT = IM_AT + 8 * MAX_DEGREE;
const HAMMING_AT = PREV_AT + 8 * (ORDER + 1);
const COLD_AT = HAMMING_AT + 8 * WINDOW;
/** The signal d[from…] with d[from − 1] before it (an f32 per sample). */
const SIGNAL_AT = COLD_AT + 16 * ORDER;
const poly = new Float64Array(kernels.buffer, POLY_AT, MAX_DEGREE + 1);
const polyRe = new Float64Array(kernels.buffer, RE_AT, MAX_DEGREE);
const polyIm = new Float64Array(kernels.buffer, IM_AT, MAX_DEGREE);
const signal = new Float32Array(kernels.buffer, SIGNAL_AT, SIGNAL_CAP + 1);
new Float64Array(kernels.buffer, HAMMING_AT, WINDOW).set(HAMMING);
// formantRange's frames at a time: their voiced flags and their six rows (F1–F3, bandwidths 1–3), its fixed
// arguments, and its scratch for one frame's candidates (frequencies, then bandwidths).
const RANGE = 512;
const PAR_AT = kernels.region(128 + 8 * 2 * ORDER + 4 * 6 * RANGE + RANGE);
const FOUND_AT = PAR_AT + 128;
const ROWS_AT = FOUND_AT + 8 * 2 * ORDER;
const VOICED_AT = ROWS_AT + 4 * 6 * RANGE;
const rows = Array.from({ length: 6 }, (_, k) => new Float32Array(kernels.buffer, ROWS_AT + 4 * RANGE * k, RANGE));
const voicedRow = new Uint8Array(kernels.buffer, VOICED_AT, RANGE);
const warmFlag = new Int32Array(kernels.buffer, PAR_AT + 48, 1);
type FormantRangeExport = (par: number, t0: number, t1: number, from: number, to: number) => number;
const formantRange = kernels.exports.formantRange as FormantRangeExport;
/** A hair of white noise keeps the recursion stable on pure tones: r[0] times this. */
const WHITE = 1 + 1e-9;

/** `d` is decimate(x): pass it when the caller already has it (extract.ts shares it with pitchTrack). */
export function formantTracks(x: Float32Array, voiced: Uint8Array, d = decimate(x)): Formants {
  const frames = voiced.length;
  const frequency = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames));
  const bandwidth = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames));
  warmFlag[0] = 0;
  // fft.wat's "formantRange" runs the frames (every frame written, NaN where no formant) while the memory holds
  // their windows: d[from − 1 …] up to index to − 1, zeros where an index falls outside d (the frames at either
  // end of the signal), loaded here from the first frame it could not window. Each voiced frame is windowed,
  // solved (lpcRoots: the roots move little from one 10-ms frame to the next, so a warm frame starts from the
  // last frame's, nudged off the real axis) and its candidates picked, as this file's JavaScript did frame by frame.
  for (let t = 0; t < frames; ) {
    const end = Math.min(frames, t + RANGE);
    voicedRow.set(voiced.subarray(t, end));
    const from = t * STEP - WINDOW / 2;
    const to = Math.min(from + SIGNAL_CAP, Math.max(d.length, from + WINDOW));
    const lo = Math.max(from - 1, 0);
    const hi = Math.max(lo, Math.min(d.length, to));
    signal.fill(0, 0, lo - (from - 1));
    signal.set(d.subarray(lo, hi), lo - (from - 1));
    signal.fill(0, hi - (from - 1), to - (from - 1));
    const stop = formantRange(PAR_AT, t, end, from, to);
    for (let k = 0; k < N_FORMANTS; k++) {
      frequency[k].set(rows[k].subarray(0, stop - t), t);
      bandwidth[k].set(rows[N_FORMANTS + k].subarray(0, stop - t), t);
    }
    t = stop;
  }
  return { frequency, bandwidth };
}

/** Levinson–Durbin (fft.wat's "levinson"): LPC coefficients a (a[0] = 1) from autocorrelation r; null if the recursion goes unstable. */
export function levinson(r: Float64Array, order: number): Float64Array | null {
  if (order < 1 || order > MAX_DEGREE) throw new RangeError(`levinson: order ${order} is outside 1…${MAX_DEGREE}`);
  // r in the window's place (free between frames), a in the polynomial's, scratch in the roots'.
  buf.set(r.subarray(0, order + 1));
  if (!levinsonKernel(BUF_AT, order, POLY_AT, RE_AT)) return null;
  return poly.slice(0, order + 1);
}

/**
 * Roots of z^p + a[1]·z^(p−1) + … + a[p] by Durand–Kerner (all roots at once, no deflation error):
 * for a stable LPC polynomial of order 10 it settles in a few dozen sweeps.
 */
export function polynomialRoots(a: Float64Array): { re: Float64Array; im: Float64Array } {
  const p = a.length - 1;
  if (p < 2 || p > MAX_DEGREE) throw new RangeError(`polynomialRoots: degree ${p} is outside 2…${MAX_DEGREE}`);
  coldStart(p, polyRe, polyIm);
  // The sweeps run in WebAssembly (fft.wat's "roots").
  poly.set(a);
  kernels.roots(POLY_AT, RE_AT, IM_AT, p, 200);
  return { re: polyRe.slice(0, p), im: polyIm.slice(0, p) };
}

/** Durand–Kerner's cold start: points spread on a circle inside the unit circle, off the real axis (symmetric starts stall). */
function coldStart(p: number, re: Float64Array, im: Float64Array): void {
  for (let i = 0; i < p; i++) {
    const angle = (2 * Math.PI * i) / p + 0.4;
    re[i] = 0.9 * Math.cos(angle);
    im[i] = 0.9 * Math.sin(angle);
  }
}

/** The nudge that takes warm starts off the real axis and out of conjugate symmetry: a turn of 0.01 rad. */
const NUDGE_COS = Math.cos(0.01);
const NUDGE_SIN = Math.sin(0.01);
/** lpcRoots' cold start for ORDER, as (re, im) pairs. */
const cold = { re: new Float64Array(ORDER), im: new Float64Array(ORDER) };
coldStart(ORDER, cold.re, cold.im);
const coldPairs = new Float64Array(kernels.buffer, COLD_AT, 2 * ORDER);
for (let i = 0; i < ORDER; i++) {
  coldPairs[2 * i] = cold.re[i];
  coldPairs[2 * i + 1] = cold.im[i];
}

// formantRange's fixed arguments (see fft.wat).
new Int32Array(kernels.buffer, PAR_AT, 16).set([
  VOICED_AT, SIGNAL_AT, HAMMING_AT, BUF_AT, R_AT, POLY_AT, PREV_AT, RE_AT, IM_AT, COLD_AT, ROWS_AT, 4 * RANGE, 0, STEP, WINDOW, FOUND_AT,
]);
new Float64Array(kernels.buffer, PAR_AT + 64, 7).set([WHITE, NUDGE_COS, NUDGE_SIN, RATE, MIN_HZ, MAX_HZ, MAX_BANDWIDTH_HZ]);
