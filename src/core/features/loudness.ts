// The absolute speech level, for the energy gate outside the model (the features themselves ignore gain).
import { FRAME_LENGTH, HOP, frameStart } from './frames.js';
import { framePowerAbout, powerDb, speechMask } from './temporal.js';
import { moments } from '../dsp/signal-passes.js';

export interface LoudnessInfo {
  /** RMS of the speech frames in dBFS (a full-scale square wave is 0 dB; floor −120). */
  rmsDb: number;
  /** Largest absolute sample in dBFS (DC included: it is what clips; floor −120). */
  peakDb: number;
}

const FLOOR_DB = -120;

const toDb = (power: number): number => Math.max(FLOOR_DB, 10 * Math.log10(power));

/** `m` is moments(samples) when the caller has it already (clipFeatures: normalisation needs it too). */
export function loudness(samples: Float32Array, m: ArrayLike<number> = moments(samples)): LoudnessInfo {
  // The mean (the DC offset, removed before the frame energies) and the peak, from one pass.
  const peak = m[2];
  const power = framePowerAbout(samples, samples.length ? m[0] / samples.length : 0);
  const mask = speechMask(powerDb(power));
  // Frames hanging over either end are partly zero padding and would read low: use the speech
  // frames fully inside the clip, or all speech frames when none is (a clip of a frame or two).
  // Fully inside: frameStart(t) ≥ 0 and frameStart(t) + FRAME_LENGTH ≤ samples.length.
  const firstInside = Math.ceil(-frameStart(0) / HOP);
  const endInside = Math.max(firstInside, Math.floor((samples.length - FRAME_LENGTH - frameStart(0)) / HOP) + 1);
  const nAll = maskedCount(mask, 0, power.length);
  const nInside = maskedCount(mask, firstInside, Math.min(endInside, power.length));
  const mean = nInside
    ? maskedSum(power, mask, firstInside, Math.min(endInside, power.length)) / nInside
    : nAll
      ? maskedSum(power, mask, 0, power.length) / nAll
      : 0;
  return { rmsDb: nAll ? toDb(mean) : FLOOR_DB, peakDb: toDb(peak * peak) };
}

// Loop kernels that end in a bare `return` (see temporal.ts: no deopt of their OSR code per clip).

function maskedCount(mask: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let t = from; t < to; t++) if (mask[t]) n++;
  return n;
}

function maskedSum(power: Float64Array, mask: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let t = from; t < to; t++) if (mask[t]) s += power[t];
  return s;
}
