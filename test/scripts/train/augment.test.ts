// The simulated recordings training learns from and robustness is scored on: real signal processing, checked on a real clip.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyVariant, augmentsFor, AUGMENT_SHARE, AUGMENT_VARIANTS, TEST_VARIANTS, variantSeed, type BabbleBeds } from '../../../scripts/train/augment.js';
import { decodeAudio } from '../../../src/core/audio/decode.js';

const RAVDESS = join(import.meta.dirname, '../../../../shared/datasets/ravdess');
let x: Float32Array;
let beds: BabbleBeds;

const power = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0) / a.length;

beforeAll(async () => {
  x = (await decodeAudio(await readFile(join(RAVDESS, 'Actor_05/03-01-05-02-01-01-05.wav')))).samples;
  const other = (await decodeAudio(await readFile(join(RAVDESS, 'Actor_06/03-01-01-01-01-01-06.wav')))).samples;
  beds = { train: [other], test: [other.slice().reverse()] };
});

describe('training variants and held-out conditions', () => {
  it('every variant gives finite audio in [-1, 1], the same length (speed aside), and is repeatable from its seed', () => {
    for (const v of [...AUGMENT_VARIANTS, ...TEST_VARIANTS]) {
      const seed = variantSeed(1234, v);
      const y = applyVariant(x, v, seed, beds);
      expect(y.every((s) => Number.isFinite(s) && Math.abs(s) <= 1), v).toBe(true);
      if (v !== 'speed' && v !== 'mix1' && v !== 'mix2') expect(y.length, v).toBe(x.length);
      expect(applyVariant(x, v, seed, beds), v).toEqual(y);
    }
  });

  it('noise and babble are added 20 dB below the speech', () => {
    for (const v of ['noise20', 'babble20'] as const) {
      const y = applyVariant(x, v, variantSeed(7, v), beds);
      const added = y.map((s, i) => s - x[i]);
      // Relative to all samples (pauses included) the noise sits a little closer than 20 dB.
      const snr = 10 * Math.log10(power(x) / power(added));
      expect(snr, v).toBeGreaterThan(12);
      expect(snr, v).toBeLessThan(20.5);
    }
  });

  it('quiet and minus24 are 16-bit recordings at the lower level; peaknorm reaches full scale', () => {
    for (const [v, db] of [['quiet', -30], ['minus24', -24]] as const) {
      const y = applyVariant(x, v, 1, beds);
      expect(y.every((s) => Math.abs(s * 32767 - Math.round(s * 32767)) < 1e-3), v).toBe(true);
      expect(10 * Math.log10(power(y) / power(x))).toBeCloseTo(db, 0);
    }
    expect(Math.max(...applyVariant(x, 'peaknorm', 1, beds).map(Math.abs))).toBeCloseTo(1, 6);
  });

  it('quiet16 puts the speech at −78…−48 dBFS as 16 bits, never louder, on about its share of the clips', () => {
    // The loud half of the 20-ms frames, as the variant measures the speech.
    const speechDb = (a: Float32Array) => {
      const p: number[] = [];
      for (let i = 0; i + 320 <= a.length; i += 320) p.push(power(a.subarray(i, i + 320)));
      p.sort((u, v) => v - u);
      const half = p.slice(0, Math.ceil(p.length / 2));
      return 10 * Math.log10(half.reduce((s, v) => s + v, 0) / half.length);
    };
    for (let seed = 0; seed < 20; seed++) {
      const y = applyVariant(x, 'quiet16', variantSeed(seed, 'quiet16'), beds);
      expect(y.every((s) => Math.abs(s * 32767 - Math.round(s * 32767)) < 1e-3)).toBe(true);
      const db = speechDb(y);
      expect(db).toBeGreaterThan(-79);
      expect(db).toBeLessThan(-47);
    }
    const quiet = x.map((v) => v * 1e-4);
    expect(speechDb(applyVariant(quiet, 'quiet16', 3, beds))).toBeCloseTo(speechDb(quiet.map((v) => Math.round(v * 32767) / 32767)), 6);
    const hashes = Array.from({ length: 2000 }, (_, i) => (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4));
    const got = hashes.filter((h) => augmentsFor(h, ['mix1', 'quiet16']).includes('quiet16')).length / hashes.length;
    expect(got).toBeGreaterThan(AUGMENT_SHARE.quiet16! - 0.05);
    expect(got).toBeLessThan(AUGMENT_SHARE.quiet16! + 0.05);
    expect(hashes.every((h) => augmentsFor(h, ['mix1', 'quiet16']).includes('mix1'))).toBe(true);
  });

  it('the phone channel removes what lies outside 200–3600 Hz', () => {
    const n = 16000;
    const tone = (f: number) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 16000));
    const kept = power(applyVariant(tone(1000), 'phone', 1, beds).subarray(2000)) / power(tone(1000));
    const low = power(applyVariant(tone(60), 'phone', 1, beds).subarray(2000)) / power(tone(60));
    const high = power(applyVariant(tone(6000), 'phone', 1, beds).subarray(2000)) / power(tone(6000));
    expect(kept).toBeGreaterThan(0.7);
    expect(low).toBeLessThan(0.01);
    expect(high).toBeLessThan(0.01);
  });

  it('reverb smears the signal in time (energy after a click lasts)', () => {
    const click = new Float32Array(16000);
    click[100] = 0.9;
    const y = applyVariant(click, 'reverb', 1, beds);
    expect(power(y.subarray(3000, 6000))).toBeGreaterThan(0);
    expect(Math.abs(y[100])).toBeLessThan(0.9);
  });
});
