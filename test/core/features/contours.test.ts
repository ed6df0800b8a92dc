import { describe, expect, it } from 'vitest';
import { contours } from '../../../src/core/features/contours.js';

const FRAMES = 200; // 2 s at 10 ms
const speechAll = new Uint8Array(FRAMES).fill(1);

describe('contours', () => {
  it('a steady rise of 6 semitones over 2 s reads as rising at 3 st/s, late half higher, no falls', () => {
    const f0 = Float32Array.from({ length: FRAMES }, (_, t) => 30 + (6 * t) / FRAMES);
    const c = contours(f0, new Float32Array(FRAMES), speechAll);
    expect(c.f0RateAbs).toBeCloseTo(3, 5);
    expect(c.f0FallShare).toBe(0);
    expect(c.f0HalfDiff).toBeCloseTo(3, 1);
    expect(c.f0LastQuarter).toBeGreaterThan(0);
    expect(c.f0FirstQuarter).toBeLessThan(0);
    expect(c.f0MaxAboveMedian).toBeCloseTo(3, 1);
  });

  it('a level contour beating at 5 Hz puts its modulation power in 4–8 Hz', () => {
    const level = Float32Array.from({ length: FRAMES }, (_, t) => -20 + 10 * Math.sin((2 * Math.PI * 5 * t) / 100));
    const c = contours(new Float32Array(FRAMES), level, speechAll);
    expect(c.mod4to8).toBeGreaterThan(0.9);
    expect(c.modCentroid).toBeGreaterThan(4);
    expect(c.modCentroid).toBeLessThan(6);
  });

  it('counts voiced stretches and their lengths', () => {
    // Three voiced runs of 0.3 s separated by 0.2 s gaps, over 1.5 s.
    const f0 = Float32Array.from({ length: 150 }, (_, t) => (t % 50 < 30 ? 30 : 0));
    const c = contours(f0, new Float32Array(150), new Uint8Array(150).fill(1));
    expect(c.voicedRunsPerSec).toBeCloseTo(2, 5);
    expect(c.voicedRunMean).toBeCloseTo(0.3, 5);
    expect(c.voicedRunStd).toBeCloseTo(0, 5);
    expect(c.voicedRunMax).toBeCloseTo(0.3, 5);
  });

  it('sharp onsets and slow decays show as large attack and small decay steps', () => {
    // Saw-tooth level: jumps up 12 dB in one frame, falls 1 dB per frame.
    const level = Float32Array.from({ length: FRAMES }, (_, t) => -12 + 12 - (t % 12));
    const c = contours(new Float32Array(FRAMES), level, speechAll);
    expect(c.attackMean).toBeCloseTo(11, 5);
    expect(c.decayMean).toBeCloseTo(-1, 5);
    expect(c.attackP90).toBeLessThanOrEqual(11);
  });

  it('no frames, or no voice, gives zeros, not NaN', () => {
    for (const c of [contours(new Float32Array(0), new Float32Array(0), new Uint8Array(0)), contours(new Float32Array(50), new Float32Array(50), new Uint8Array(50))]) {
      for (const [k, v] of Object.entries(c)) expect(Number.isFinite(v), k).toBe(true);
    }
  });

  it('gives a clip the same contours whatever clip came before (its lists are reused from call to call)', () => {
    const clip = (frames: number, seed: number) => {
      let s = seed;
      const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const f0 = Float32Array.from({ length: frames }, (_, t) => (Math.sin(t / 7 + seed) > -0.3 ? 28 + 4 * r() : 0));
      const level = Float32Array.from({ length: frames }, () => -40 + 30 * r());
      const speech = Uint8Array.from({ length: frames }, () => (r() < 0.8 ? 1 : 0));
      return [f0, level, speech] as const;
    };
    const a = clip(180, 1);
    const first = contours(...a);
    contours(...clip(900, 2)); // longer: a grown buffer
    contours(...clip(40, 3));
    expect(contours(...a)).toEqual(first);
  });
});
