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

/** Band b (librosa's bounds as contrast.ts builds them): bins [start, end) sorted, k extremes averaged; contrastDb's dB before the kernel. */
function expectReference(spec: Spectrogram): void {
  const got = spectralContrast(spec);
  const bounds = [[0, 6, 1], [6, 12, 1], [12, 25, 1], [25, 51, 1], [51, 102, 1], [102, 204, 2], [204, 257, 1]];
  for (let t = 0; t < spec.frames; t++) {
    bounds.forEach(([a, z, k], b) => {
      const v = [...spec.magnitude.subarray(t * 257 + a, t * 257 + z)].sort((p, q) => p - q);
      const peak = k === 1 ? v[v.length - 1] : (v[v.length - 1] + v[v.length - 2]) / 2;
      const valley = k === 1 ? v[0] : (v[0] + v[1]) / 2;
      const want = Math.fround((10 / Math.LN10) * Math.log(Math.max(peak, 1e-10) / Math.max(valley, 1e-10)));
      if (!Object.is(got[b * spec.frames + t], want)) expect(got[b * spec.frames + t], `frame ${t}, band ${b}`).toBe(want);
    });
  }
}
