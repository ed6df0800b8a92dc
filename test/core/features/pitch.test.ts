import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { frameCount } from '../../../src/core/features/frames.js';
import { decimate, pitchTrack } from '../../../src/core/features/pitch.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { RAVDESS_DIR, tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, harmonicTone } from './signals.js';

const allFrames = (x: Float32Array): Uint8Array => new Uint8Array(frameCount(x.length)).fill(1);

function track(x: Float32Array) {
  const y = normalised(x);
  return pitchTrack(y, allFrames(y));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const voiced = (f0: Float32Array): number[] => Array.from(f0).filter((f) => f > 0);

describe('pitchTrack', () => {
  for (const f0 of [150, 220, 80, 400]) {
    it(`finds ${f0} Hz in a harmonic tone within 2 % in every frame, all voiced`, () => {
      const { f0: est } = track(harmonicTone(f0, 1));
      // The first and last frames see the zero padding; the rest must all be voiced.
      const inner = Array.from(est).slice(3, -3);
      expect(inner.every((f) => f > 0)).toBe(true);
      for (const f of inner) expect(Math.abs(f / f0 - 1)).toBeLessThan(0.02);
    });
  }

  it('is not fooled into a subharmonic by a strong second harmonic', () => {
    const x = new Float32Array(SR).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 200 * i) / SR) + Math.sin((2 * Math.PI * 400 * i) / SR + 1));
    expect(Math.abs(median(voiced(track(x).f0)) / 200 - 1)).toBeLessThan(0.02);
  });

  it('finds the fundamental of a pure sine', () => {
    expect(Math.abs(median(voiced(track(tone(130, 1, SR)).f0)) / 130 - 1)).toBeLessThan(0.02);
  });

  it('follows a glide', () => {
    // 120 → 240 Hz over 2 s: the estimate at each frame is near the instantaneous frequency.
    const sec = 2;
    let phase = 0;
    const x = new Float32Array(sec * SR).map((_, i) => {
      const f = 120 * 2 ** (i / SR / sec);
      phase += (2 * Math.PI * f) / SR;
      return Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase);
    });
    const { f0 } = track(x);
    for (let t = 10; t < f0.length - 10; t += 20) {
      const expected = 120 * 2 ** ((t * 0.01) / sec);
      expect(Math.abs(f0[t] / expected - 1), `frame ${t}`).toBeLessThan(0.03);
    }
  });

  it('calls white noise unvoiced', () => {
    const { f0, strength } = track(whiteNoise(2, SR, 0.5, 7));
    expect(voiced(f0).length / f0.length).toBeLessThan(0.03);
    expect(Math.max(...strength)).toBeLessThan(0.5);
  });

  it('gives voiced frames a high strength and leaves frames it was not asked about at zero', () => {
    const y = normalised(harmonicTone(200, 1));
    const ask = allFrames(y);
    ask.fill(0, 0, 50);
    const { f0, strength } = pitchTrack(y, ask);
    expect(Array.from(f0.subarray(0, 50)).every((f) => f === 0)).toBe(true);
    expect(Array.from(strength.subarray(0, 50)).every((s) => s === 0)).toBe(true);
    expect(Math.min(...strength.subarray(55, 95))).toBeGreaterThan(0.9);
  });

  it('puts a male and a female RAVDESS voice in their ranges, without octave jumps between steps', async () => {
    for (const [actor, lo, hi] of [[1, 80, 170], [2, 160, 320]] as const) {
      const name = `03-01-01-01-01-01-${String(actor).padStart(2, '0')}.wav`;
      const bytes = readFileSync(join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, name));
      const { f0 } = track((await decodeAudio(new Uint8Array(bytes))).samples);
      const m = median(voiced(f0));
      expect(m, name).toBeGreaterThan(lo);
      expect(m, name).toBeLessThan(hi);
      for (let t = 1; t < f0.length; t++) {
        if (f0[t] > 0 && f0[t - 1] > 0) expect(Math.abs(Math.log2(f0[t] / f0[t - 1])), `${name} frame ${t}`).toBeLessThan(0.8);
      }
    }
  });

  it('handles input shorter than one analysis window', () => {
    const { f0 } = track(harmonicTone(200, 0.02));
    expect(f0.length).toBe(frameCount(320));
    expect(Array.from(f0).every(Number.isFinite)).toBe(true);
  });
});

describe('decimate', () => {
  it('keeps a 1 kHz tone and removes a 6 kHz one', () => {
    const gain = (f: number): number => {
      const d = decimate(tone(f, 0.5, SR, 1));
      let s = 0;
      for (let i = 100; i < d.length - 100; i++) s += d[i] * d[i];
      return Math.sqrt((2 * s) / (d.length - 200));
    };
    expect(gain(1000)).toBeCloseTo(1, 2);
    expect(gain(6000)).toBeLessThan(0.01);
  });

  it('reads samples outside the signal as zeros: a short signal decimates exactly as it does inside a run of zeros', () => {
    // The ends take another code path than the inside; embedded in 40 zeros each side, the same
    // samples are all inside, so every output must agree bit for bit, for every length and parity.
    for (let n = 0; n <= 60; n++) {
      const x = whiteNoise(n / SR, SR, 0.5, n + 1).subarray(0, n);
      const padded = new Float32Array(n + 80);
      padded.set(x, 40);
      expect(decimate(x)).toEqual(decimate(padded).subarray(20, 20 + Math.ceil(n / 2)));
    }
  });
});
