import { describe, expect, it } from 'vitest';
import { harmonicPercussive } from '../../../src/core/features/hpss.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { N_BINS } from '../../../src/core/features/frames.js';
import type { Spectrogram } from '../../../src/core/features/spectrogram.js';
import { SR, clickTrain, gated, harmonicTone } from './signals.js';

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

/**
 * The split as JavaScript computed it before it moved into WebAssembly (fft.wat's "hpss"): pooling into
 * band-major float32 cells, 9-wide medians over time and over bands on the float32 bits as int32 (ends
 * repeated 4 times), the soft mask's energies added over bands in order. The kernel must match it bit for bit.
 */
function referenceSplit(spec: Spectrogram): { harmDb: Float32Array; percDb: Float32Array; harmRatio: Float32Array } {
  const { frames: nFrames, magnitude } = spec;
  const bands = 64;
  const cells = Math.ceil(nFrames / 2);
  const s = new Float32Array(bands * cells);
  for (let t = 0; t < nFrames; t++) {
    for (let b = 0; b < bands; b++) {
      let v = 0;
      for (let j = 0; j < 2; j++) v += magnitude[t * N_BINS + b * 2 + j];
      s[b * cells + Math.floor(t / 2)] += v;
    }
  }
  if (nFrames % 2 === 1) for (let b = 0; b < bands; b++) s[b * cells + cells - 1] *= 2;
  const bits = new Int32Array(s.buffer);
  const median = (at: (i: number) => number, n: number, i: number): number => {
    const w: number[] = [];
    for (let k = i - 4; k <= i + 4; k++) w.push(at(Math.min(n - 1, Math.max(0, k))));
    return w.sort((a, b) => a - b)[4];
  };
  const harm = new Int32Array(bands * cells);
  const perc = new Int32Array(bands * cells);
  for (let b = 0; b < bands; b++) for (let c = 0; c < cells; c++) harm[b * cells + c] = median((k) => bits[b * cells + k], cells, c);
  for (let c = 0; c < cells; c++) for (let b = 0; b < bands; b++) perc[b * cells + c] = median((k) => bits[k * cells + c], bands, b);
  const h = new Float32Array(harm.buffer);
  const p = new Float32Array(perc.buffer);
  const out = { harmDb: new Float32Array(nFrames), percDb: new Float32Array(nFrames), harmRatio: new Float32Array(nFrames) };
  for (let c = 0; c < cells; c++) {
    let eh = 0;
    let ep = 0;
    for (let b = 0; b < bands; b++) {
      const i = b * cells + c;
      const h2 = h[i] * h[i];
      const p2 = p[i] * p[i];
      const total = h2 + p2;
      const mh = total > 0 ? h2 / total : 0.5;
      const sh = s[i] * mh;
      const sp = s[i] * (1 - mh);
      eh += sh * sh;
      ep += sp * sp;
    }
    const end = Math.min(nFrames, (c + 1) * 2);
    out.harmDb.fill(10 * Math.log10(eh / 4 + 1e-10), c * 2, end);
    out.percDb.fill(10 * Math.log10(ep / 4 + 1e-10), c * 2, end);
    out.harmRatio.fill(eh + ep > 0 ? eh / (eh + ep) : 0.5, c * 2, end);
  }
  return out;
}

describe('harmonicPercussive in WebAssembly', () => {
  it('matches the JavaScript split bit for bit on 40 signals: 1 to ~1100 frames (several 64-cell chunks), odd and even counts', () => {
    const signals: Float32Array[] = [new Float32Array(160), new Float32Array(3200)];
    const seconds = [0.004, 0.01, 0.015, 0.02, 0.035, 0.11, 0.3, 1.27, 1.28, 1.29, 1.31, 2.55, 2.57, 3.3, 5.1, 11.03];
    seconds.forEach((sec, i) => {
      signals.push(whiteNoise(sec, SR, 0.3, i + 1));
      signals.push(harmonicTone(110 + 20 * i, sec));
    });
    signals.push(clickTrain(0.25, 2), gated(harmonicTone(180, 3), 0.2, 0.15), tone(440, 1.5, SR, 0.02).map((v, i) => v + (i % 4000 === 0 ? 0.8 : 0)));
    signals.push(Float32Array.from(whiteNoise(2, SR, 0.5, 99), (v, i) => v * Math.sin(i / 900) ** 4));
    signals.push(harmonicTone(95, 7.7), whiteNoise(6.43, SR, 1e-4, 7));
    expect(signals).toHaveLength(40);
    for (const x of signals) {
      const spec = spectrogram(normalised(x));
      const got = harmonicPercussive(spec);
      const want = referenceSplit(spec);
      expect(got.harmDb).toEqual(want.harmDb);
      expect(got.percDb).toEqual(want.percDb);
      expect(got.harmRatio).toEqual(want.harmRatio);
    }
  });
});
