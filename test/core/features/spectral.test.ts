import { describe, expect, it } from 'vitest';
import { spectralShape } from '../../../src/core/features/spectral.js';
import { spectrogram, type Spectrogram } from '../../../src/core/features/spectrogram.js';
import { rng } from '../../../src/core/model/random.js';
import { tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, harmonicTone } from './signals.js';

const mid = (a: Float32Array): number => a[a.length >> 1];

describe('spectralShape', () => {
  for (const f of [300, 1000, 2500, 5000]) {
    it(`puts a pure ${f} Hz tone's centroid and roll-off at ${f} Hz, with a narrow bandwidth`, () => {
      const s = spectralShape(spectrogram(tone(f, 0.5, SR)));
      expect(Math.abs(mid(s.centroid) / f - 1)).toBeLessThan(0.02);
      expect(Math.abs(mid(s.rolloff) - f)).toBeLessThanOrEqual(32);
      expect(mid(s.bandwidth)).toBeLessThan(100);
    });
  }

  it('puts white noise’s centroid near 4 kHz, roll-off near 85 % of Nyquist, and flatness near that of noise', () => {
    const s = spectralShape(spectrogram(whiteNoise(1, SR, 0.5, 2)));
    expect(Math.abs(mid(s.centroid) - 4000)).toBeLessThan(300);
    expect(Math.abs(mid(s.rolloff) - 0.85 * 8000)).toBeLessThan(300);
    // Per-bin power of white noise is exponential: geometric/arithmetic mean = e^−γ ≈ 0.56.
    expect(mid(s.flatness)).toBeGreaterThan(0.4);
    expect(mid(s.flatness)).toBeLessThan(0.7);
  });

  it('gives a tone a flatness near zero', () => {
    expect(mid(spectralShape(spectrogram(tone(1000, 0.5, SR))).flatness)).toBeLessThan(1e-3);
  });

  it('alpha ratio and Hammarberg index favour low energy for a low voice and high for a bright one', () => {
    const low = spectralShape(spectrogram(harmonicTone(150, 0.5, 0.5, 6)));
    const bright = spectralShape(spectrogram(tone(3000, 0.5, SR).map((v, i) => v + 0.1 * Math.sin((2 * Math.PI * 300 * i) / SR))));
    expect(mid(low.alphaRatio)).toBeGreaterThan(20);
    expect(mid(bright.alphaRatio)).toBeLessThan(-10);
    expect(mid(low.hammarberg)).toBeGreaterThan(20);
    expect(mid(bright.hammarberg)).toBeLessThan(-10);
  });

  it('is all zeros (centroid, bandwidth, roll-off) and finite on silence', () => {
    const s = spectralShape(spectrogram(new Float32Array(1600)));
    for (const track of Object.values(s)) expect(Array.from(track).every(Number.isFinite)).toBe(true);
    expect(Math.max(...s.centroid)).toBe(0);
    expect(Math.max(...s.rolloff)).toBe(0);
  });

  it('gives every frame of a long, odd-length clip the sums of its own bins in bin order (chunks and frame pairs do not mix frames)', () => {
    // 301 frames: two full chunks of 128 and an odd 45, whose last frame is paired with itself.
    const spec = spectrogram(whiteNoise(3, SR, 0.5, 4));
    expect(spec.frames).toBe(301);
    const s = spectralShape(spec);
    const bins = 257;
    for (let t = 0; t < spec.frames; t++) {
      let total = 0;
      let first = 0;
      let second = 0;
      let sum = 0;
      let logSum = 0;
      let prod = 1;
      for (let k = 0; k < bins; k++) {
        const m = spec.magnitude[t * bins + k];
        total += m;
        first += k * 31.25 * m;
        second += (k * 31.25) * (k * 31.25) * m;
        const p = Math.max(spec.power[t * bins + k], 1e-10);
        sum += p;
        prod *= p;
        if ((k & 7) === 7) {
          logSum += Math.log(prod);
          prod = 1;
        }
      }
      logSum += Math.log(prod);
      expect(s.centroid[t]).toBe(Math.fround(first / total));
      expect(s.bandwidth[t]).toBe(Math.fround(Math.sqrt(Math.max(0, second / total - (first / total) ** 2))));
      expect(s.flatness[t]).toBe(Math.fround(Math.exp(logSum / bins) / (sum / bins)));
    }
  });

  it('gives the roll-off, alpha ratio and Hammarberg index of the JavaScript loops they replaced, bit for bit', () => {
    // The reference is shapeChunk's per-frame loops before the WebAssembly kernel took them over.
    const bins = 257;
    const binOf = (hz: number) => Math.min(bins, Math.ceil(hz / 31.25));
    const [b50, b1k, b2k, b5k] = [binOf(50), binOf(1000), binOf(2000), binOf(5000)];
    const db = (a: number, b: number) => 10 * Math.log10((a + 1e-10) / (b + 1e-10));
    const check = (spec: Spectrogram) => {
      const s = spectralShape(spec);
      for (let t = 0; t < spec.frames; t++) {
        const row = t * bins;
        let total = 0;
        for (let k = 0; k < bins; k++) total += spec.magnitude[row + k];
        if (total > 0) {
          let cum = 0;
          let k = 0;
          while (k < bins - 1 && (cum += spec.magnitude[row + k]) < 0.85 * total) k++;
          expect(s.rolloff[t]).toBe(Math.fround(k * 31.25));
        } else expect(s.rolloff[t]).toBe(0);
        let low = 0, high = 0, maxLow = 0, maxHigh = 0;
        for (let k = 0; k < b50; k++) maxLow = Math.max(maxLow, spec.power[row + k]);
        for (let k = b50; k < b1k; k++) (low += spec.power[row + k]), (maxLow = Math.max(maxLow, spec.power[row + k]));
        for (let k = b1k; k < b2k; k++) (high += spec.power[row + k]), (maxLow = Math.max(maxLow, spec.power[row + k]));
        for (let k = b2k; k < b5k; k++) (high += spec.power[row + k]), (maxHigh = Math.max(maxHigh, spec.power[row + k]));
        expect(s.alphaRatio[t]).toBe(Math.fround(db(low, high)));
        expect(s.hammarberg[t]).toBe(Math.fround(db(maxLow, maxHigh)));
      }
    };
    check(spectrogram(whiteNoise(3, SR, 0.5, 4)));
    check(spectrogram(harmonicTone(150, 0.5, 0.5, 6)));
    check(spectrogram(new Float32Array(1600)));
    // Made-up rows: sparse, zero, all the energy in the first or the last bin (roll-off 0 and bins − 1),
    // a run of zeros at the threshold, huge and tiny values.
    const r = rng(3);
    const frames = 37;
    const power = new Float32Array(frames * bins);
    const magnitude = new Float32Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < bins; k++) {
        const kind = t % 6;
        const v = kind === 0 ? (r() < 0.1 ? r() * 1e3 : 0) : kind === 1 ? 0 : kind === 2 ? (k === 0 ? 5 : 0) : kind === 3 ? (k === bins - 1 ? 5 : 0) : kind === 4 ? (k < 40 || k > 200 ? 1 : 0) : r() ** 8 * 1e9;
        power[t * bins + k] = v;
        magnitude[t * bins + k] = Math.sqrt(v);
      }
    }
    check({ frames, power, magnitude, meanSquare: new Float64Array(frames) });
  });
});
