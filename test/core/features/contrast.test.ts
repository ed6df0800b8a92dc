import { describe, expect, it } from 'vitest';
import { spectralContrast } from '../../../src/core/features/contrast.js';
import { N_CONTRAST } from '../../../src/core/features/spec.js';
import { spectrogram, type Spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { concat, readRavdess, tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR } from './signals.js';

/** Mean contrast of each band over the middle frames. */
function bandMeans(x: Float32Array): number[] {
  const spec = spectrogram(x);
  const c = spectralContrast(spec);
  const from = 5;
  const to = spec.frames - 5;
  return Array.from({ length: N_CONTRAST }, (_, b) => {
    let s = 0;
    for (let t = from; t < to; t++) s += c[b * spec.frames + t];
    return s / (to - from);
  });
}

describe('spectralContrast', () => {
  it('is much higher for a tone than for white noise in the tone’s octave band', () => {
    const noise = bandMeans(whiteNoise(1, SR, 0.5, 4));
    // Bands: 0–200, 200–400, 400–800, 800–1600, 1600–3200, 3200–6400, 6400–8000 Hz. The two low
    // bands hold only 6 and 12 bins, so a tone's main lobe fills much of them: a smaller margin.
    for (const [f, band, margin] of [[300, 1, 10], [600, 2, 15], [1000, 3, 40], [2400, 4, 30], [5000, 5, 40], [7000, 6, 40]] as const) {
      const toneC = bandMeans(tone(f, 1, SR).map((v, i) => v + 1e-3 * Math.sin(i)));
      expect(toneC[band], `${f} Hz`).toBeGreaterThan(noise[band] + margin);
    }
  });

  it('gives white noise similar, moderate contrast in every band', () => {
    const noise = bandMeans(whiteNoise(1, SR, 0.5, 4));
    for (const v of noise.slice(1)) {
      expect(v).toBeGreaterThan(5);
      expect(v).toBeLessThan(40);
    }
  });

  it('on white noise, varies little from frame to frame in the bands above 800 Hz (a fifth of the bins, not the one deepest)', () => {
    // A noise floor's deepest bin is a random dip: with librosa's one or two bins these bands moved 1.9–3.0 dB
    // from frame to frame, so the valley followed whatever noise a recording had (a 16-bit device's, 24 dB quieter).
    const spec = spectrogram(whiteNoise(3, SR, 0.5, 6));
    const c = spectralContrast(spec);
    for (let b = 3; b < N_CONTRAST; b++) {
      const v = c.subarray(b * spec.frames + 5, (b + 1) * spec.frames - 5);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
      expect(std, `band ${b}`).toBeLessThan(1.5);
    }
  });

  it('is zero on silence', () => {
    expect(bandMeans(new Float32Array(SR)).every((v) => v === 0)).toBe(true);
  });

  it('gives every frame of a 301-frame clip its own bands\' extremes (chunk and lane boundaries do not mix frames)', () => {
    const spec = spectrogram(whiteNoise(3, 16000, 0.5, 6));
    expect(spec.frames).toBe(301);
    expectReference(spec);
  });

  it('gives real speech between digital silence the dB of the JavaScript loop it replaced (kept here), bit for bit, every frame', () => {
    const quiet = new Float32Array(4000);
    expectReference(spectrogram(concat(quiet, normalised(readRavdess(18, 5).samples), quiet)));
  });
});

/**
 * Band b (librosa's bounds as contrast.ts builds them): bins [start, end) sorted, the k smallest summed up
 * from the least and the k largest down from the greatest, each over k; contrastDb's dB before the kernel.
 */
function expectReference(spec: Spectrogram): void {
  const got = spectralContrast(spec);
  const bounds = [[0, 6, 1], [6, 12, 1], [12, 25, 3], [25, 51, 5], [51, 102, 10], [102, 204, 21], [204, 257, 11]];
  for (let t = 0; t < spec.frames; t++) {
    bounds.forEach(([a, z, k], b) => {
      const v = [...spec.magnitude.subarray(t * 257 + a, t * 257 + z)].sort((p, q) => p - q);
      let low = 0;
      let high = 0;
      for (let i = 0; i < k; i++) {
        low += v[i];
        high += v[v.length - 1 - i];
      }
      const want = Math.fround((10 / Math.LN10) * Math.log(Math.max(high / k, 1e-10) / Math.max(low / k, 1e-10)));
      if (!Object.is(got[b * spec.frames + t], want)) expect(got[b * spec.frames + t], `frame ${t}, band ${b}`).toBe(want);
    });
  }
}
