// Formants per voiced frame: F1–F3 and their bandwidths from the roots of a 10th-order LPC polynomial.
//
// Why: vowel space and articulation change with emotion (a smile raises F1–F2, tension sharpens
// the resonances, sad speech centralises the vowels). Added to f4 they were worth +1.3 points of
// grouped-CV accuracy for the linear model on their own, and were part of every best combination
// (models/EXPERIMENTS.md). Frequencies are in Hz, so they carry no recording gain.
import { featureKernels as kernels } from '../dsp/fft.js';
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
const PRE_EMPHASIS = 0.97;
const HAMMING = Float64Array.from({ length: WINDOW }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (WINDOW - 1)));
/** Resonances outside 90 Hz … Nyquist − 50 Hz, or wider than 400 Hz, are tilt or noise, not formants. */
const MIN_HZ = 90;
const MAX_HZ = RATE / 2 - 50;
const MAX_BANDWIDTH_HZ = 400;

// Per-frame work buffers, module-level: nothing is allocated per frame. The window and its
// autocorrelation live in the feature kernels' WebAssembly memory, where the lags are summed; so do
// the polynomial and roots of solveRoots (up to degree MAX_DEGREE).
const MAX_DEGREE = 32;
// The autocorrelation reads 8 bytes before the window: the region starts 16 bytes before it.
const BUF_AT = 16 + kernels.region(16 + 8 * WINDOW + 8 * (ORDER + 1) + 8 * (MAX_DEGREE + 1) + 16 * MAX_DEGREE);
const R_AT = BUF_AT + 8 * WINDOW;
const buf = new Float64Array(kernels.buffer, BUF_AT, WINDOW);
const r = new Float64Array(kernels.buffer, R_AT, ORDER + 1);
const POLY_AT = R_AT + 8 * (ORDER + 1);
const RE_AT = POLY_AT + 8 * (MAX_DEGREE + 1);
const IM_AT = RE_AT + 8 * MAX_DEGREE;
const poly = new Float64Array(kernels.buffer, POLY_AT, MAX_DEGREE + 1);
const polyRe = new Float64Array(kernels.buffer, RE_AT, MAX_DEGREE);
const polyIm = new Float64Array(kernels.buffer, IM_AT, MAX_DEGREE);
const lpc = new Float64Array(ORDER + 1);
const lpcPrev = new Float64Array(ORDER + 1);
const rootRe = new Float64Array(ORDER);
const rootIm = new Float64Array(ORDER);
/** Candidate formants of one frame, sorted by frequency as they are inserted. */
const foundHz = new Float64Array(ORDER);
const foundBw = new Float64Array(ORDER);
/** Sweeps a warm start may take before the frame is solved again from the cold start. */
const WARM_SWEEPS = 60;

/** `d` is decimate(x): pass it when the caller already has it (extract.ts shares it with pitchTrack). */
export function formantTracks(x: Float32Array, voiced: Uint8Array, d = decimate(x)): Formants {
  const frames = voiced.length;
  const frequency = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames).fill(NaN));
  const bandwidth = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames).fill(NaN));
  let warm = false;
  for (let t = 0; t < frames; t++) {
    if (!voiced[t]) continue;
    windowed(d, t * STEP - WINDOW / 2);
    autocorrelation();
    r[0] *= 1 + 1e-9; // a hair of white noise keeps the recursion stable on pure tones
    if (!levinsonInto(r, ORDER, lpc, lpcPrev)) continue;
    // The roots move little from one 10-ms frame to the next: start from the last frame's, nudged
    // off the real axis (Durand–Kerner cannot leave it from there). Converged to the same 1e-10.
    if (!(warm && solveRoots(lpc, rootRe, rootIm, true, WARM_SWEEPS))) solveRoots(lpc, rootRe, rootIm, false, 200);
    warm = true;
    const n = formantCandidates();
    for (let k = 0; k < N_FORMANTS && k < n; k++) {
      frequency[k][t] = foundHz[k];
      bandwidth[k][t] = foundBw[k];
    }
  }
  return { frequency, bandwidth };
}

/** buf = pre-emphasised, Hamming-windowed d[start…start+WINDOW) (zero outside d). */
function windowed(d: Float32Array, start: number): void {
  if (start >= 1 && start + WINDOW <= d.length) {
    // Inside the signal (every frame but the first and last few): no bounds tests per sample.
    let prev = d[start - 1];
    for (let i = 0; i < WINDOW; i++) {
      const v = d[start + i];
      buf[i] = (v - PRE_EMPHASIS * prev) * HAMMING[i];
      prev = v;
    }
    return;
  }
  let prev = start - 1 >= 0 && start - 1 < d.length ? d[start - 1] : 0;
  for (let i = 0; i < WINDOW; i++) {
    const j = start + i;
    const v = j >= 0 && j < d.length ? d[j] : 0;
    buf[i] = (v - PRE_EMPHASIS * prev) * HAMMING[i];
    prev = v;
  }
}

/**
 * r[k] = Σ_{i ≥ k} buf[i]·buf[i − k] for k = 0…ORDER, in WebAssembly: two lags per SIMD vector,
 * each sum still added in ascending i, so the sums are the same bit for bit as one loop per lag.
 */
function autocorrelation(): void {
  kernels.autocorrelation(BUF_AT, WINDOW, ORDER, R_AT);
}

/** The roots that are formants (upper half plane, in range, narrow enough) into foundHz/foundBw, sorted; their count. */
function formantCandidates(): number {
  let n = 0;
  for (let i = 0; i < ORDER; i++) {
    if (rootIm[i] <= 0) continue; // one of each conjugate pair
    const f = (Math.atan2(rootIm[i], rootRe[i]) * RATE) / (2 * Math.PI);
    const bw = (-Math.log(Math.hypot(rootRe[i], rootIm[i])) * RATE) / Math.PI;
    if (!(f > MIN_HZ && f < MAX_HZ && bw > 0 && bw < MAX_BANDWIDTH_HZ)) continue;
    let k = n++;
    for (; k > 0 && foundHz[k - 1] > f; k--) {
      foundHz[k] = foundHz[k - 1];
      foundBw[k] = foundBw[k - 1];
    }
    foundHz[k] = f;
    foundBw[k] = bw;
  }
  return n;
}

/** Levinson–Durbin: LPC coefficients a (a[0] = 1) from autocorrelation r; null if the recursion goes unstable. */
export function levinson(r: Float64Array, order: number): Float64Array | null {
  const a = new Float64Array(order + 1);
  return levinsonInto(r, order, a, new Float64Array(order + 1)) ? a : null;
}

/** levinson() into `a`, with `prev` as scratch; false if the recursion goes unstable. */
function levinsonInto(r: Float64Array, order: number, a: Float64Array, prev: Float64Array): boolean {
  a.fill(0);
  a[0] = 1;
  let e = r[0];
  if (!(e > 0)) return false;
  for (let i = 1; i <= order; i++) {
    let acc = r[i];
    for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
    const k = -acc / e;
    for (let j = 1; j < i; j++) prev[j] = a[j]; // only a[1…i−1] are read back
    for (let j = 1; j < i; j++) a[j] = prev[j] + k * prev[i - j];
    a[i] = k;
    e *= 1 - k * k;
    if (!(e > 0)) return false;
  }
  return true;
}

/**
 * Roots of z^p + a[1]·z^(p−1) + … + a[p] by Durand–Kerner (all roots at once, no deflation error):
 * for a stable LPC polynomial of order 10 it settles in a few dozen sweeps.
 */
export function polynomialRoots(a: Float64Array): { re: Float64Array; im: Float64Array } {
  const p = a.length - 1;
  const re = new Float64Array(p), im = new Float64Array(p);
  solveRoots(a, re, im, false, 200);
  return { re, im };
}

/** The nudge that takes warm starts off the real axis and out of conjugate symmetry: a turn of 0.01 rad. */
const NUDGE_COS = Math.cos(0.01);
const NUDGE_SIN = Math.sin(0.01);

/**
 * Durand–Kerner into re/im. Cold: from points spread on a circle; warm: from the roots already in
 * re/im, nudged. True when the sweeps settled (moves below 1e-10) within maxSweeps.
 */
function solveRoots(a: Float64Array, re: Float64Array, im: Float64Array, warm: boolean, maxSweeps: number): boolean {
  const p = a.length - 1;
  if (p < 2 || p > MAX_DEGREE) throw new RangeError(`solveRoots: degree ${p} is outside 2…${MAX_DEGREE}`);
  for (let i = 0; i < p; i++) {
    if (warm) {
      const x = re[i], y = im[i];
      re[i] = x * NUDGE_COS - y * NUDGE_SIN;
      im[i] = x * NUDGE_SIN + y * NUDGE_COS;
    } else {
      // Start spread on a circle inside the unit circle, off the real axis (symmetric starts stall).
      const angle = (2 * Math.PI * i) / p + 0.4;
      re[i] = 0.9 * Math.cos(angle);
      im[i] = 0.9 * Math.sin(angle);
    }
  }
  // The sweeps run in WebAssembly (fft.wat's "roots"): the same arithmetic in the same order.
  poly.set(a);
  polyRe.set(re);
  polyIm.set(im);
  const settled = kernels.roots(POLY_AT, RE_AT, IM_AT, p, maxSweeps);
  for (let i = 0; i < p; i++) {
    re[i] = polyRe[i];
    im[i] = polyIm[i];
  }
  return settled;
}
