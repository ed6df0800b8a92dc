// The absolute speech level, for the energy gate outside the model (the features themselves ignore gain).
import { FRAME_LENGTH, frameStart } from './frames.js';
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
  // Frames hanging over either end are partly zero padding and would read low: use the speech
  // frames fully inside the clip, or all speech frames when none is (a clip of a frame or two).
  const inside = (t: number): boolean => frameStart(t) >= 0 && frameStart(t) + FRAME_LENGTH <= samples.length;
  const sums = { inside: 0, nInside: 0, all: 0, nAll: 0 };
  for (let t = 0; t < power.length; t++) {
    if (!mask[t]) continue;
    sums.all += power[t];
    sums.nAll++;
    if (inside(t)) {
      sums.inside += power[t];
      sums.nInside++;
    }
  }
  const mean = sums.nInside ? sums.inside / sums.nInside : sums.nAll ? sums.all / sums.nAll : 0;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  return { rmsDb: sums.nAll ? toDb(mean) : FLOOR_DB, peakDb: toDb(peak * peak) };
}
