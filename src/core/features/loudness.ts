// The absolute speech level, for the energy gate outside the model (the features themselves ignore gain).
import { framePower, powerDb, speechMask, withoutDc } from './temporal.js';

export interface LoudnessInfo {
  /** RMS of the speech frames in dBFS (a full-scale square wave is 0 dB; floor −120). */
  rmsDb: number;
  /** Largest absolute sample in dBFS (DC included: it is what clips; floor −120). */
  peakDb: number;
}

const FLOOR_DB = -120;

const toDb = (power: number): number => Math.max(FLOOR_DB, 10 * Math.log10(power));

export function loudness(samples: Float32Array): LoudnessInfo {
  const power = framePower(withoutDc(samples));
  const mask = speechMask(powerDb(power));
  let sum = 0;
  let n = 0;
  for (let t = 0; t < power.length; t++) {
    if (mask[t]) {
      sum += power[t];
      n++;
    }
  }
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  return { rmsDb: n ? toDb(sum / n) : FLOOR_DB, peakDb: toDb(peak * peak) };
}
