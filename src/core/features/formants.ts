// Formants per voiced frame: F1–F3 and their bandwidths from the roots of a 10th-order LPC polynomial.
//
// Why: vowel space and articulation change with emotion (a smile raises F1–F2, tension sharpens
// the resonances, sad speech centralises the vowels). Added to f4 they were worth +1.3 points of
// grouped-CV accuracy for the linear model on their own, and were part of every best combination
// (models/EXPERIMENTS.md). Frequencies are in Hz, so they carry no recording gain.
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

/** `d` is decimate(x): pass it when the caller already has it (extract.ts shares it with pitchTrack). */
export function formantTracks(x: Float32Array, voiced: Uint8Array, d = decimate(x)): Formants {
  const frames = voiced.length;
  const frequency = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames).fill(NaN));
  const bandwidth = Array.from({ length: N_FORMANTS }, () => new Float32Array(frames).fill(NaN));
  const at = (j: number) => (j >= 0 && j < d.length ? d[j] : 0);
  const buf = new Float64Array(WINDOW);
  const r = new Float64Array(ORDER + 1);
  const found: [number, number][] = [];
  for (let t = 0; t < frames; t++) {
    if (!voiced[t]) continue;
    const start = t * STEP - WINDOW / 2;
    let prev = at(start - 1);
    for (let i = 0; i < WINDOW; i++) {
      const v = at(start + i);
      buf[i] = (v - PRE_EMPHASIS * prev) * HAMMING[i];
      prev = v;
    }
    for (let k = 0; k <= ORDER; k++) {
      let s = 0;
      for (let i = k; i < WINDOW; i++) s += buf[i] * buf[i - k];
      r[k] = s;
    }
    r[0] *= 1 + 1e-9; // a hair of white noise keeps the recursion stable on pure tones
    const a = levinson(r, ORDER);
    if (!a) continue;
    const { re, im } = polynomialRoots(a);
    found.length = 0;
    for (let i = 0; i < ORDER; i++) {
      if (im[i] <= 0) continue; // one of each conjugate pair
      const f = (Math.atan2(im[i], re[i]) * RATE) / (2 * Math.PI);
      const bw = (-Math.log(Math.hypot(re[i], im[i])) * RATE) / Math.PI;
      if (f > MIN_HZ && f < MAX_HZ && bw > 0 && bw < MAX_BANDWIDTH_HZ) found.push([f, bw]);
    }
    found.sort((p, q) => p[0] - q[0]);
    for (let k = 0; k < N_FORMANTS && k < found.length; k++) {
      frequency[k][t] = found[k][0];
      bandwidth[k][t] = found[k][1];
    }
  }
  return { frequency, bandwidth };
}

/** Levinson–Durbin: LPC coefficients a (a[0] = 1) from autocorrelation r; null if the recursion goes unstable. */
export function levinson(r: Float64Array, order: number): Float64Array | null {
  const a = new Float64Array(order + 1);
  const prev = new Float64Array(order + 1);
  a[0] = 1;
  let e = r[0];
  if (!(e > 0)) return null;
  for (let i = 1; i <= order; i++) {
    let acc = r[i];
    for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
    const k = -acc / e;
    prev.set(a);
    for (let j = 1; j < i; j++) a[j] = prev[j] + k * prev[i - j];
    a[i] = k;
    e *= 1 - k * k;
    if (!(e > 0)) return null;
  }
  return a;
}

/**
 * Roots of z^p + a[1]·z^(p−1) + … + a[p] by Durand–Kerner (all roots at once, no deflation error):
 * for a stable LPC polynomial of order 10 it settles in a few dozen sweeps.
 */
export function polynomialRoots(a: Float64Array): { re: Float64Array; im: Float64Array } {
  const p = a.length - 1;
  const re = new Float64Array(p), im = new Float64Array(p);
  // Start spread on a circle inside the unit circle, off the real axis (symmetric starts stall).
  for (let i = 0; i < p; i++) {
    const angle = (2 * Math.PI * i) / p + 0.4;
    re[i] = 0.9 * Math.cos(angle);
    im[i] = 0.9 * Math.sin(angle);
  }
  for (let sweep = 0; sweep < 200; sweep++) {
    let moved = 0;
    for (let i = 0; i < p; i++) {
      let fr = 1, fi = 0; // Horner: f(z_i)
      for (let k = 1; k <= p; k++) {
        const nr = fr * re[i] - fi * im[i] + a[k];
        fi = fr * im[i] + fi * re[i];
        fr = nr;
      }
      let dr = 1, di = 0; // Π (z_i − z_j)
      for (let j = 0; j < p; j++) {
        if (j === i) continue;
        const xr = re[i] - re[j], xi = im[i] - im[j];
        const nr = dr * xr - di * xi;
        di = dr * xi + di * xr;
        dr = nr;
      }
      const den = dr * dr + di * di || 1e-30;
      const qr = (fr * dr + fi * di) / den, qi = (fi * dr - fr * di) / den;
      re[i] -= qr;
      im[i] -= qi;
      moved = Math.max(moved, Math.abs(qr) + Math.abs(qi));
    }
    if (moved < 1e-10) break;
  }
  return { re, im };
}
