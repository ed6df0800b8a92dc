import { describe, expect, it } from 'vitest';
import { harmonicPercussive } from '../../../src/core/features/hpss.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { tone } from '../../helpers/audio-fixtures.js';
import { SR, clickTrain, harmonicTone } from './signals.js';

function energyShare(x: Float32Array): { harmonic: number; ratioMean: number } {
  const hp = harmonicPercussive(spectrogram(normalised(x)));
  let h = 0;
  let p = 0;
  for (let t = 0; t < hp.harmDb.length; t++) {
    h += 10 ** (hp.harmDb[t] / 10);
    p += 10 ** (hp.percDb[t] / 10);
  }
  const ratios = Array.from(hp.harmRatio);
  return { harmonic: h / (h + p), ratioMean: ratios.reduce((a, b) => a + b, 0) / ratios.length };
}

describe('harmonicPercussive', () => {
  it('puts a steady tone in the harmonic part', () => {
    expect(energyShare(tone(440, 1, SR)).harmonic).toBeGreaterThan(0.95);
    expect(energyShare(harmonicTone(150, 1)).harmonic).toBeGreaterThan(0.95);
  });

  it('puts clicks in the percussive part', () => {
    expect(energyShare(clickTrain(0.25, 2)).harmonic).toBeLessThan(0.05);
  });

  it('splits a tone plus clicks between the two', () => {
    // Equal energy: 8 clicks of 0.81 vs a 2 s sine of amplitude 0.02 (32000 · 0.0002 = 6.4).
    const clicks = clickTrain(0.25, 2);
    const mix = tone(440, 2, SR, 0.02).map((v, i) => v + clicks[i]);
    const share = energyShare(mix).harmonic;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.75);
  });

  it('gives a ratio of 0.5 and finite dB on silence', () => {
    const hp = harmonicPercussive(spectrogram(new Float32Array(3200)));
    expect(Array.from(hp.harmRatio).every((r) => r === 0.5)).toBe(true);
    expect(Array.from(hp.harmDb).every(Number.isFinite)).toBe(true);
  });

  it('gives every frame a value, also for an odd frame count', () => {
    const spec = spectrogram(tone(440, 0.105, SR));
    expect(spec.frames % 2).toBe(1);
    const hp = harmonicPercussive(spec);
    expect(hp.harmRatio).toHaveLength(spec.frames);
    expect(hp.harmDb[spec.frames - 1]).toBeGreaterThan(0);
  });
});
