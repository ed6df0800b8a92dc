// Voice quality per voiced frame: harmonics-to-noise, cepstral peak prominence, harmonic tilt (H1–H2, H1–A3), log-mel slopes.
import FFT from 'fft.js';
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

const fft = new FFT(FRAME_LENGTH);
const logSpec: number[] = new Array<number>(FRAME_LENGTH).fill(0);
const cepstrum: number[] = fft.createComplexArray();
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
    MEL_SLOPE_REGIONS.forEach(([a, z], i) => (vq.melSlope[i][t] = bandSlope(logmel, t * N_MELS, a, z)));
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
  for (let k = 0; k < N_BINS; k++) logSpec[k] = DB_PER_NEPER * Math.log(power[row + k] + FLOOR);
  // The dB spectrum is real and even, so its transform is the real cepstrum (times FRAME_LENGTH).
  for (let k = 1; k < N_BINS - 1; k++) logSpec[FRAME_LENGTH - k] = logSpec[k];
  fft.realTransform(cepstrum, logSpec);
  let sum = 0;
  let cross = 0;
  let peak = 0;
  let arg = Q_MIN;
  for (let q = Q_MIN; q < Q_MAX; q++) {
    const c = Math.abs(cepstrum[2 * q]) / FRAME_LENGTH;
    sum += c;
    cross += (q - Q_MEAN) * c;
    if (c > peak) { peak = c; arg = q; }
  }
  const mean = sum / (Q_MAX - Q_MIN);
  return peak - (mean + (cross / Q_VAR) * (arg - Q_MEAN));
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
