// Voice quality per voiced frame: harmonics-to-noise, cepstral peak prominence, harmonic tilt (H1–H2, H1–A3), log-mel slopes.
import { CepstralPeaks, featureKernels } from '../dsp/fft.js';
import { scatterRows } from '../dsp/chunk-rows.js';
import { Reused } from '../dsp/reuse.js';
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
 * The cepstral peak prominence of each voiced frame (fft.wat's "cpp"): the dB spectrum (bins 0…M,
 * M = FRAME_LENGTH/2) is half of a real, even sequence of FRAME_LENGTH points, so its transform is a
 * DCT-I of M + 1 points, computed with one real transform of M points.
 */
const M = FRAME_LENGTH / 2;
const cepstralPeaks = new CepstralPeaks(M, Q_MIN, Q_MAX, DB_PER_NEPER, FLOOR);
/** The voiced frames of a clip, kept from call to call. */
const reusedFrames = new Reused((n) => new Int32Array(n), 4096);

export function voiceQuality(spec: Spectrogram, logmel: Float32Array, pitch: PitchTrack): VoiceQuality {
  const { frames, power } = spec;
  const vq: VoiceQuality = {
    hnrDb: new Float32Array(frames),
    cpp: new Float32Array(frames),
    h1h2: new Float32Array(frames),
    h1a3: new Float32Array(frames),
    melSlope: [],
  };
  // Grown by push, not MEL_SLOPE_REGIONS.map(): map() made a HOLEY array when interpreted and a PACKED one once
  // TurboFan inlined it, so the first optimised call deoptimised ("wrong map") at the melSlope store below.
  for (let i = 0; i < MEL_SLOPE_REGIONS.length; i++) vq.melSlope.push(new Float32Array(frames));
  const voiced = reusedFrames.take(frames);
  let count = 0;
  for (let t = 0; t < frames; t++) if (pitch.f0[t] > 0) voiced[count++] = t;
  cepstralPeaks.run(power, voiced, count, vq.cpp);
  const slopes = melSlopes(logmel, frames);
  for (let t = 0; t < frames; t++) {
    const f0 = pitch.f0[t];
    if (!(f0 > 0)) continue;
    const r = Math.min(1 - R_LIMIT, Math.max(R_LIMIT, pitch.strength[t]));
    vq.hnrDb[t] = 10 * Math.log10(r / (1 - r));
    const row = t * N_BINS;
    const h1 = harmonicDb(power, row, f0);
    vq.h1h2[t] = h1 - harmonicDb(power, row, 2 * f0);
    let a3 = 0;
    for (let k = A3_LO; k < A3_HI; k++) a3 = Math.max(a3, power[row + k]);
    vq.h1a3[t] = h1 - DB_PER_NEPER * Math.log(a3 + FLOOR);
    for (let i = 0; i < MEL_SLOPE_REGIONS.length; i++) vq.melSlope[i][t] = slopes[i * frames + t];
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

/** Frames of log-mel rows per bandSlope call. */
const SLOPE_CHUNK = 256;
// Byte offsets: one chunk's log-mel rows, then its slopes for each band group.
const SLOPE_ROWS_AT = featureKernels.region(4 * N_MELS * SLOPE_CHUNK + 4 * MEL_SLOPE_REGIONS.length * SLOPE_CHUNK);
const SLOPES_AT = SLOPE_ROWS_AT + 4 * N_MELS * SLOPE_CHUNK;
const slopeRows = new Float32Array(featureKernels.buffer, SLOPE_ROWS_AT, N_MELS * SLOPE_CHUNK);
const slopeOut = new Float32Array(featureKernels.buffer, SLOPES_AT, MEL_SLOPE_REGIONS.length * SLOPE_CHUNK);
const bandSlope = featureKernels.exports.bandSlope as (
  rows: number, n: number, nm: number, a: number, z: number, xm: number, den: number, out: number,
) => void;
/** Per band group: the mean band index, and Σ (b − mean)² over its bands (the slope's denominator, the same for every frame). */
const SLOPE_XM = MEL_SLOPE_REGIONS.map(([a, z]) => (a + z - 1) / 2);
const SLOPE_DEN = MEL_SLOPE_REGIONS.map(([a, z], i) => {
  let den = 0;
  for (let b = a; b < z; b++) den += (b - SLOPE_XM[i]) ** 2;
  return den;
});

/**
 * slopes[i·frames + t]: the least-squares slope (dB per band) of frame t's log-mel over band group i, for every
 * frame, in WebAssembly (fft.wat's "bandSlope": the mean and the slope's sum each add the bands in order, as the
 * JavaScript did, kept in voice-quality.test as the reference). A frame's 40 bands in a kernel rather than the
 * voiced-frame loop: that inner loop made voiceQuality one more function TurboFan compiled on-stack and whole.
 */
function melSlopes(logmel: Float32Array, frames: number): Float32Array {
  const slopes = new Float32Array(MEL_SLOPE_REGIONS.length * frames);
  for (let t0 = 0; t0 < frames; t0 += SLOPE_CHUNK) {
    const n = Math.min(SLOPE_CHUNK, frames - t0);
    slopeRows.set(logmel.subarray(t0 * N_MELS, (t0 + n) * N_MELS));
    for (let i = 0; i < MEL_SLOPE_REGIONS.length; i++) {
      const region = MEL_SLOPE_REGIONS[i];
      bandSlope(SLOPE_ROWS_AT, n, N_MELS, region[0], region[1], SLOPE_XM[i], SLOPE_DEN[i], SLOPES_AT + 4 * i * SLOPE_CHUNK);
    }
    scatterRows(slopeOut, SLOPE_CHUNK, MEL_SLOPE_REGIONS.length, n, slopes, frames, t0);
  }
  return slopes;
}
