import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { FEATURE_SPEC, extractFeatures, loudness } from '../../../src/core/features/index.js';
import { RAVDESS_DIR, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, featureMap, harmonicTone } from './signals.js';

const N = FEATURE_SPEC.names.length;
const named = (v: Float32Array): Record<string, number> => featureMap(FEATURE_SPEC.names, v);

async function ravdess(actor: number, name: string): Promise<Float32Array> {
  const path = join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, name);
  return (await decodeAudio(new Uint8Array(readFileSync(path)))).samples;
}

function expectFinite(v: Float32Array): void {
  expect(v).toHaveLength(N);
  const bad = FEATURE_SPEC.names.filter((_, i) => !Number.isFinite(v[i]));
  expect(bad).toEqual([]);
}

describe('extractFeatures', () => {
  it('returns one finite value per spec name for speech', async () => {
    expectFinite(extractFeatures(await ravdess(1, '03-01-05-02-01-01-01.wav')));
  });

  it('is deterministic: the same input gives bit-identical output, also after other inputs', async () => {
    const x = await ravdess(1, '03-01-05-02-01-01-01.wav');
    const a = extractFeatures(x);
    extractFeatures(whiteNoise(1, SR, 0.3, 9));
    extractFeatures(new Float32Array(100));
    // Longer than x (the reused working arrays grow), and longer than they are kept for (17 s).
    extractFeatures(whiteNoise(6, SR, 0.3, 10));
    extractFeatures(whiteNoise(17, SR, 0.3, 11));
    const b = extractFeatures(x.slice());
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });

  it('does not modify its input', () => {
    const x = harmonicTone(150, 0.5);
    const copy = x.slice();
    extractFeatures(x);
    expect(x).toEqual(copy);
  });

  describe('never produces NaN or Infinity', () => {
    const tone = harmonicTone(200, 1, 0.5);
    const cases: Record<string, Float32Array> = {
      'silence (all zeros)': new Float32Array(SR),
      'DC offset only': new Float32Array(SR).fill(0.25),
      'a tone on a large DC offset': tone.map((v) => 0.4 + 0.1 * v),
      'full-scale clipping': tone.map((v) => Math.max(-1, Math.min(1, v * 40))),
      'full-scale square wave': tone.map((v) => (v >= 0 ? 1 : -1)),
      'white noise': whiteNoise(1, SR, 0.5, 3),
      '0.3 s of tone (fewer frames than the delta window)': harmonicTone(180, 0.3),
      '50 ms of tone': harmonicTone(180, 0.05),
      'a single sample': Float32Array.of(0.5),
      'two samples': Float32Array.of(0.5, -0.5),
      'a lone impulse in silence': (() => { const x = new Float32Array(SR); x[8000] = 1; return x; })(),
      'denormal-level noise': whiteNoise(0.5, SR, 1e-38, 4),
      'tiny but normal noise': whiteNoise(0.5, SR, 1e-6, 5),
    };
    for (const [name, x] of Object.entries(cases)) {
      it(name, () => expectFinite(extractFeatures(x)));
    }
  });

  it('returns zeros of the right length for an empty array', () => {
    expect(extractFeatures(new Float32Array(0))).toEqual(new Float32Array(N));
  });

  it('is gain-invariant: −18 dB (×0.125) gives identical features', async () => {
    const x = await ravdess(1, '03-01-05-02-01-01-01.wav');
    const a = extractFeatures(x);
    const b = extractFeatures(x.map((v) => v * 0.125));
    // A power-of-two gain is exact in floating point, and the input is normalised to unit RMS first.
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('is gain-invariant within rounding for arbitrary gains (−18.0 dB, peak normalisation)', async () => {
    const x = await ravdess(1, '03-01-01-01-02-01-01.wav');
    const a = extractFeatures(x);
    const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (const gain of [10 ** (-18 / 20), 1 / peak]) {
      const b = extractFeatures(x.map((v) => v * gain));
      const off = FEATURE_SPEC.names.filter((_, i) => Math.abs(b[i] - a[i]) > 1e-3 * (1 + Math.abs(a[i])));
      expect(off, `gain ${gain}`).toEqual([]);
    }
  });

  it('ignores a DC offset', async () => {
    // Real speech: on a pure synthetic tone the spectral valleys are float rounding, which any change moves.
    const x = await ravdess(1, '03-01-01-01-02-01-01.wav');
    const a = extractFeatures(x);
    const b = extractFeatures(x.map((v) => v + 0.25));
    const off = FEATURE_SPEC.names.filter((_, i) => Math.abs(b[i] - a[i]) > 1e-3 * (1 + Math.abs(a[i])));
    expect(off).toEqual([]);
  });

  it('carries emotion on real speech: angry (strong) beats neutral in centroid and F0, with a flatter tilt, same actor', async () => {
    const mean = async (emotion: string, intensity: string, key: string): Promise<number> => {
      let s = 0;
      let n = 0;
      for (const statement of ['01', '02']) {
        for (const rep of ['01', '02']) {
          const v = named(extractFeatures(await ravdess(1, `03-01-${emotion}-${intensity}-${statement}-${rep}-01.wav`)));
          s += v[key];
          n++;
        }
      }
      return s / n;
    };
    for (const key of ['centroid_mean', 'f0_mean', 'hammarberg_mean']) {
      const angry = await mean('05', '02', key);
      const neutral = await mean('01', '01', key);
      if (key === 'hammarberg_mean') expect(angry, key).toBeLessThan(neutral); // flatter tilt when shouting
      else expect(angry, key).toBeGreaterThan(neutral);
    }
  });
});

describe('loudness', () => {
  it('reports the speech RMS in dBFS, not the gain-free features', () => {
    const x = harmonicTone(200, 1, 0.5);
    const a = loudness(x);
    const b = loudness(x.map((v) => v * 0.125));
    expect(b.rmsDb - a.rmsDb).toBeCloseTo(20 * Math.log10(0.125), 3);
    expect(b.peakDb - a.peakDb).toBeCloseTo(20 * Math.log10(0.125), 3);
  });
});
