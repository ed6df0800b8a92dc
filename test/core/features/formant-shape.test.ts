// formantShape in WebAssembly gives the bits of the JavaScript it replaced, kept here as the reference.
import { describe, expect, it } from 'vitest';
import { formantShape } from '../../../src/core/features/formant-shape.js';
import { whiteNoise } from '../../helpers/audio-fixtures.js';

/** formantShape() as it was in JavaScript before fft.wat's "formantShape". */
function formantShapeReference(frequency: readonly Float32Array[]): number[] {
  const [f1, f2, f3] = frequency;
  let n = 0;
  let dispersion = 0;
  let ratio = 0;
  let logSum = 0;
  for (let t = 0; t < f1.length; t++) {
    if (!(f1[t] > 0 && f2[t] > 0 && f3[t] > 0)) continue;
    dispersion += (f3[t] - f1[t]) / 2;
    ratio += Math.log2(f2[t] / f1[t]);
    logSum += Math.log2(f1[t]);
    n++;
  }
  if (n === 0) return [0, 0, 0];
  const logMean = logSum / n;
  let sq = 0;
  for (let t = 0; t < f1.length; t++) if (f1[t] > 0 && f2[t] > 0 && f3[t] > 0) sq += (Math.log2(f1[t]) - logMean) ** 2;
  return [dispersion / n, ratio / n, Math.sqrt(sq / n)];
}

/** A formant track around `hz` that wanders, with NaN (not measured), 0 and negative frames now and then. */
function track(frames: number, hz: number, seed: number): Float32Array {
  const noise = whiteNoise(frames / 16000, 16000, 1, seed);
  return Float32Array.from({ length: frames }, (_, t) => (t % 17 === seed % 17 ? Number.NaN : t % 23 === 5 ? 0 : t % 29 === 7 ? -hz : hz * (1 + 0.4 * noise[t])));
}

describe('formantShape', () => {
  it('equals the JavaScript bit for bit (1 to 5,000 frames, gaps of each formant, none measured)', () => {
    for (const frames of [1, 3, 50, 375, 5000]) {
      for (let seed = 1; seed <= 4; seed++) {
        const f = [track(frames, 500, seed), track(frames, 1500, seed + 5), track(frames, 2500, seed + 11)];
        expect(formantShape(f)).toEqual(formantShapeReference(f));
      }
      const none = [new Float32Array(frames).fill(Number.NaN), track(frames, 1500, 2), track(frames, 2500, 3)];
      expect(formantShape(none)).toEqual([0, 0, 0]);
    }
  });
});
