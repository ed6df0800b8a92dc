// Voice quality per voiced frame: harmonics-to-noise, cepstral peak prominence, harmonic tilt (H1–H2, H1–A3), log-mel slopes.
import { realFFT } from '../dsp/fft.js';
import { BIN_HZ, FRAME_LENGTH, N_BINS } from './frames.js';
import { N_MELS } from './mel.js';
import type { PitchTrack } from './pitch.js';
import type { Spectrogram } from './spectrogram.js';

export interface VoiceQuality {
  /** 10·log10(r / (1 − r)) of the frame's peak NCCF r: breathy and rough voices score low. */
  hnrDb: Float32Array;
  /**
   * Cepstral peak prominence in the 2–16 ms quefrency range: strong, regular harmonics stand out.
   * In cepstral amplitude (dB spectrum / FRAME_LENGTH), not Hillenbrand's dB scale: only its ordering matters to the forest.
   */
  cpp: Float32Array;
  /** dB of the first harmonic over the second: high for breathy (sad, tender) phonation. */
  h1h2: Float32Array;
  /** dB of the first harmonic over the strongest 1.8–3.5 kHz bin (third-formant region): spectral tilt. */
  h1a3: Float32Array;
  /** Least-squares slope (dB per band) of the log-mel spectrum over low, mid and high band groups. */
  melSlope: Float32Array[];
}

/** Band groups for melSlope: about 0–0.9 kHz, 0.9–2.9 kHz and 2.9–8 kHz. */
export const MEL_SLOPE_REGIONS: readonly (readonly [number, number])[] = [[0, 12], [12, 26], [26, 40]];
/** The NCCF is kept within this distance of 0 and 1, so the HNR stays finite. */
const R_LIMIT = 1e-3;
const FLOOR = 1e-10;
/** Quefrencies (samples at 16 kHz) of 2 ms … 16 ms, i.e. F0 of 500 … 62.5 Hz; 256 is the 512-point cepstrum's limit. */
const Q_MIN = 32;
const Q_MAX = 256;
const A3_LO = Math.round(1800 / BIN_HZ);
const A3_HI = Math.round(3500 / BIN_HZ);
const DB_PER_NEPER = 10 / Math.LN10;

/**
 * The dB spectrum (bins 0…M, M = FRAME_LENGTH/2) is half of a real, even sequence of FRAME_LENGTH
 * points, so its transform is a DCT-I of M + 1 points, computed with one real transform of M points.
 */
const M = FRAME_LENGTH / 2;
const dct = realFFT(M);
const logSpec = new Float64Array(M + 1);
const folded = new Float64Array(M);
const foldedRe = new Float64Array(M / 2 + 1);
const foldedIm = new Float64Array(M / 2 + 1);
/** sin and cos of πj/M, j ≤ M/2: the fold's weights. */
const FOLD_SIN = Float64Array.from({ length: M / 2 + 1 }, (_, j) => Math.sin((Math.PI * j) / M));
const FOLD_COS = Float64Array.from({ length: M / 2 + 1 }, (_, j) => Math.cos((Math.PI * j) / M));
/** y[q], q < M: the DCT-I, half the real cepstrum of the FRAME_LENGTH-point dB spectrum. */
const dctOut = new Float64Array(M);
/** Quefrency axis of the CPP regression, centred once. */
const Q_MEAN = (Q_MIN + Q_MAX - 1) / 2;
const Q_VAR = Array.from({ length: Q_MAX - Q_MIN }, (_, i) => (Q_MIN + i - Q_MEAN) ** 2).reduce((a, v) => a + v, 0);

export function voiceQuality(spec: Spectrogram, logmel: Float32Array, pitch: PitchTrack): VoiceQuality {
  const { frames, power } = spec;
  const vq: VoiceQuality = {
    hnrDb: new Float32Array(frames),
    cpp: new Float32Array(frames),
    h1h2: new Float32Array(frames),
    h1a3: new Float32Array(frames),
    melSlope: MEL_SLOPE_REGIONS.map(() => new Float32Array(frames)),
  };
  for (let t = 0; t < frames; t++) {
    const f0 = pitch.f0[t];
    if (!(f0 > 0)) continue;
    const r = Math.min(1 - R_LIMIT, Math.max(R_LIMIT, pitch.strength[t]));
    vq.hnrDb[t] = 10 * Math.log10(r / (1 - r));
    const row = t * N_BINS;
    vq.cpp[t] = cepstralPeakProminence(power, row);
    const h1 = harmonicDb(power, row, f0);
    vq.h1h2[t] = h1 - harmonicDb(power, row, 2 * f0);
    let a3 = 0;
    for (let k = A3_LO; k < A3_HI; k++) a3 = Math.max(a3, power[row + k]);
    vq.h1a3[t] = h1 - DB_PER_NEPER * Math.log(a3 + FLOOR);
    for (let i = 0; i < MEL_SLOPE_REGIONS.length; i++) {
      vq.melSlope[i][t] = bandSlope(logmel, t * N_MELS, MEL_SLOPE_REGIONS[i][0], MEL_SLOPE_REGIONS[i][1]);
    }
  }
  return vq;
}

/** dB of the strongest bin within ±1 bin of `hz` (bins are 31.25 Hz: a harmonic may fall between two). */
function harmonicDb(power: Float32Array, row: number, hz: number): number {
  const k = Math.round(hz / BIN_HZ);
  let m = 0;
  for (let j = Math.max(0, k - 1); j <= Math.min(N_BINS - 1, k + 1); j++) m = Math.max(m, power[row + j]);
  return DB_PER_NEPER * Math.log(m + FLOOR);
}

/** Peak of |cepstrum of the dB spectrum| over Q_MIN…Q_MAX−1, above the straight line fitted through that range. */
function cepstralPeakProminence(power: Float32Array, row: number): number {
  const x = logSpec;
  for (let k = 0; k <= M; k++) x[k] = DB_PER_NEPER * Math.log(power[row + k] + FLOOR);
  const y = dctOut;
  dctI(x, y);
  let sum = 0;
  let cross = 0;
  let peak = 0;
  let arg = Q_MIN;
  for (let q = Q_MIN; q < Q_MAX; q++) {
    // The FRAME_LENGTH-point cepstrum is 2·y[q]; /FRAME_LENGTH as before: |y[q]|/M.
    const c = Math.abs(y[q]) / M;
    sum += c;
    cross += (q - Q_MEAN) * c;
    if (c > peak) { peak = c; arg = q; }
  }
  const mean = sum / (Q_MAX - Q_MIN);
  return peak - (mean + (cross / Q_VAR) * (arg - Q_MEAN));
}

/**
 * y[q] = ½(x[0] + (−1)^q·x[M]) + Σ_{j=1}^{M−1} x[j]·cos(πjq/M), q < M (Numerical Recipes' cosft1):
 * u[j] = ½(x[j] + x[M−j]) − sin(πj/M)·(x[j] − x[M−j]) has Re U[k] = y[2k] and Im U[k] = y[2k−1] − y[2k+1],
 * with y[1] = ½(x[0] − x[M]) + Σ x[j]·cos(πj/M) summed directly.
 */
function dctI(x: Float64Array, y: Float64Array): void {
  const u = folded;
  u[0] = 0.5 * (x[0] + x[M]);
  let odd = 0.5 * (x[0] - x[M]);
  for (let j = 1; j < M / 2; j++) {
    const a = x[j];
    const b = x[M - j];
    const mean = 0.5 * (a + b);
    const d = FOLD_SIN[j] * (a - b);
    u[j] = mean - d;
    u[M - j] = mean + d;
    odd += FOLD_COS[j] * (a - b);
  }
  u[M / 2] = x[M / 2];
  dct.forward(u, foldedRe, foldedIm);
  y[0] = foldedRe[0];
  y[1] = odd;
  for (let k = 1; k < M / 2; k++) {
    y[2 * k] = foldedRe[k];
    y[2 * k + 1] = y[2 * k - 1] - foldedIm[k];
  }
}

function bandSlope(logmel: Float32Array, row: number, a: number, z: number): number {
  const xm = (a + z - 1) / 2;
  let ym = 0;
  for (let b = a; b < z; b++) ym += logmel[row + b];
  ym /= z - a;
  let num = 0;
  let den = 0;
  for (let b = a; b < z; b++) {
    num += (b - xm) * (logmel[row + b] - ym);
    den += (b - xm) ** 2;
  }
  return num / den;
}
