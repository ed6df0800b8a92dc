import { describe, expect, it } from 'vitest';
import { frameCount } from '../../../src/core/features/frames.js';
import { loudness } from '../../../src/core/features/loudness.js';
import { framePowerAbout, frameZcr, normalised, powerDb, speechMask } from '../../../src/core/features/temporal.js';
import { concat, silence, tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR } from './signals.js';

describe('normalised', () => {
  it('removes the mean and scales to unit RMS', () => {
    const y = normalised(tone(300, 1, SR, 0.2).map((v) => v + 0.3));
    let sum = 0;
    let sq = 0;
    for (const v of y) {
      sum += v;
      sq += v * v;
    }
    expect(Math.abs(sum / y.length)).toBeLessThan(1e-6);
    expect(Math.sqrt(sq / y.length)).toBeCloseTo(1, 5);
  });

  it('is bit-identical under a power-of-two gain', () => {
    const x = whiteNoise(0.5, SR, 0.3, 3).map((v) => v + 0.01);
    expect(Array.from(normalised(x.map((v) => v * 0.125)))).toEqual(Array.from(normalised(x)));
  });

  it('returns zeros for silence, a constant and an empty input', () => {
    expect(Array.from(normalised(new Float32Array(10))).every((v) => v === 0)).toBe(true);
    expect(Array.from(normalised(new Float32Array(10).fill(0.7))).every((v) => v === 0)).toBe(true);
    expect(normalised(new Float32Array(0))).toHaveLength(0);
  });
});

describe('frame power and zero crossings', () => {
  it('a sine has mean square amp²/2 and crosses zero 2f times per second', () => {
    const x = tone(1000, 1, SR, 0.5);
    const p = framePowerAbout(x, 0);
    const z = frameZcr(x);
    expect(p).toHaveLength(frameCount(x.length));
    expect(p[50]).toBeCloseTo(0.125, 3);
    expect(z[50]).toBeCloseTo((2 * 1000) / SR, 2);
  });

  it('edge frames are zero-padded (the first frame sees half the signal)', () => {
    const p = framePowerAbout(new Float32Array(SR).fill(1), 0);
    expect(p[0]).toBeCloseTo(0.5, 10);
    expect(p[50]).toBe(1);
  });
});

describe('speechMask', () => {
  it('keeps frames within 35 dB of the loud ones and drops silence and faint noise', () => {
    const x = concat(whiteNoise(0.5, SR, 1e-4, 1), tone(200, 1, SR, 0.5), silence(0.5, SR));
    const mask = speechMask(powerDb(framePowerAbout(x, 0)));
    expect(mask[10]).toBe(0); // −80 dB noise
    expect(mask[100]).toBe(1);
    expect(mask[180]).toBe(0); // digital silence
  });

  it('is empty for all-silent input', () => {
    expect(Array.from(speechMask(powerDb(framePowerAbout(new Float32Array(1600), 0)))).every((v) => v === 0)).toBe(true);
  });
});

describe('loudness', () => {
  it('reads a full-scale sine as −3 dBFS RMS and 0 dBFS peak', () => {
    const l = loudness(tone(440, 1, SR, 1));
    expect(l.rmsDb).toBeCloseTo(-3.01, 1);
    expect(l.peakDb).toBeCloseTo(0, 2);
  });

  it('measures the speech frames only, not the pauses around them', () => {
    const voice = tone(300, 1, SR, 0.1);
    const padded = concat(silence(1, SR), voice, silence(2, SR));
    expect(loudness(padded).rmsDb).toBeCloseTo(loudness(voice).rmsDb, 0);
  });

  it('ignores a DC offset for the RMS but not for the peak (that is what clips)', () => {
    const x = tone(300, 1, SR, 0.1);
    const shifted = x.map((v) => v + 0.5);
    expect(loudness(shifted).rmsDb).toBeCloseTo(loudness(x).rmsDb, 2);
    expect(loudness(shifted).peakDb).toBeCloseTo(20 * Math.log10(0.6), 2);
  });

  it('floors silence and empty input at −120 dBFS', () => {
    expect(loudness(new Float32Array(SR))).toEqual({ rmsDb: -120, peakDb: -120 });
    expect(loudness(new Float32Array(0))).toEqual({ rmsDb: -120, peakDb: -120 });
  });
});
