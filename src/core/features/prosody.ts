// Utterance-level prosody from the F0 track and the energy envelope: voicing, jitter, shimmer, rate, pauses.
import { FRAME_SECONDS } from './frames.js';
import type { PitchTrack } from './pitch.js';

export interface Prosody {
  /** Voiced share of the speech frames. */
  voicedFraction: number;
  /** Mean peak NCCF over the speech frames: how periodic (vs breathy/noisy) the voice is. */
  voicingStrength: number;
  /** Mean |ΔT| of consecutive voiced frames' periods over the mean period. */
  jitter: number;
  /** Mean |Δ level| in dB of consecutive voiced frames. */
  shimmer: number;
  /** Syllable nuclei (voiced energy peaks) per second of audio. */
  syllableRate: number;
  /** Share of frames that are not speech. */
  pauseRatio: number;
}

/** Consecutive periods differing by more than this are a tracking jump (often an octave), not jitter. */
const MAX_PERIOD_CHANGE = 0.2;
/** Envelope smoothing (±2 frames = 50 ms) so one vowel gives one peak. */
const SMOOTH = 2;
/** A nucleus is the loudest frame within ±80 ms … */
const PEAK_RADIUS = 8;
/** … standing this many dB above the lower of the dips within 150 ms on either side. */
const MIN_PROMINENCE_DB = 3;
const DIP_RADIUS = 15;

export function prosody(pitch: PitchTrack, levelDb: Float32Array, speech: Uint8Array): Prosody {
  const frames = speech.length;
  const { f0, strength } = pitch;
  let speechFrames = 0;
  let voiced = 0;
  let strengthSum = 0;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    speechFrames++;
    strengthSum += strength[t];
    if (f0[t] > 0) voiced++;
  }
  let periodDiff = 0;
  let periodSum = 0;
  let levelDiff = 0;
  let pairs = 0;
  for (let t = 1; t < frames; t++) {
    if (!(f0[t] > 0 && f0[t - 1] > 0)) continue;
    const p0 = 1 / f0[t - 1];
    const p1 = 1 / f0[t];
    if (Math.abs(p1 - p0) > MAX_PERIOD_CHANGE * p0) continue;
    periodDiff += Math.abs(p1 - p0);
    periodSum += p1;
    levelDiff += Math.abs(levelDb[t] - levelDb[t - 1]);
    pairs++;
  }
  return {
    voicedFraction: speechFrames ? voiced / speechFrames : 0,
    voicingStrength: speechFrames ? strengthSum / speechFrames : 0,
    jitter: pairs ? periodDiff / periodSum : 0,
    shimmer: pairs ? levelDiff / pairs : 0,
    syllableRate: frames ? syllableNuclei(levelDb, speech, f0) / (frames * FRAME_SECONDS) : 0,
    pauseRatio: frames ? 1 - speechFrames / frames : 0,
  };
}

/** Counts energy-envelope peaks that are speech, voiced nearby, and prominent. */
export function syllableNuclei(levelDb: Float32Array, speech: Uint8Array, f0: Float32Array): number {
  const n = levelDb.length;
  const env = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, t - SMOOTH); j <= Math.min(n - 1, t + SMOOTH); j++, c++) s += levelDb[j];
    env[t] = s / c;
  }
  const minOver = (a: number, b: number): number => {
    let m = Infinity;
    for (let j = Math.max(0, a); j <= Math.min(n - 1, b); j++) m = Math.min(m, env[j]);
    return m;
  };
  let count = 0;
  for (let t = 0; t < n; t++) {
    if (!speech[t]) continue;
    let isPeak = true;
    for (let j = Math.max(0, t - PEAK_RADIUS); j <= Math.min(n - 1, t + PEAK_RADIUS) && isPeak; j++) {
      // Ties go to the earliest frame so a flat top counts once.
      if (env[j] > env[t] || (env[j] === env[t] && j < t)) isPeak = false;
    }
    if (!isPeak) continue;
    let voicedNear = false;
    for (let j = Math.max(0, t - 2); j <= Math.min(n - 1, t + 2); j++) if (f0[j] > 0) voicedNear = true;
    if (!voicedNear) continue;
    const dip = Math.max(minOver(t - DIP_RADIUS, t), minOver(t, t + DIP_RADIUS));
    if (env[t] - dip >= MIN_PROMINENCE_DB) count++;
  }
  return count;
}
