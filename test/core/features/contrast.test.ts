import { describe, expect, it } from 'vitest';
import { spectralContrast } from '../../../src/core/features/contrast.js';
import { N_CONTRAST } from '../../../src/core/features/spec.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { tone, whiteNoise } from '../../helpers/audio-fixtures.js';
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
});
