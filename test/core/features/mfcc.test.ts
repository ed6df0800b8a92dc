import { describe, expect, it } from 'vitest';
import { BIN_HZ, N_BINS } from '../../../src/core/features/frames.js';
import { N_MELS, hzToMel, logMel, melFlux, melToHz } from '../../../src/core/features/mel.js';
import { mfcc } from '../../../src/core/features/mfcc.js';
import { N_MFCC } from '../../../src/core/features/spec.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR } from './signals.js';
import { referencePower } from './reference.js';

/** MFCCs of frame t by the textbook route: direct DFT → dense Slaney mel triangles → 10·log10 → DCT-II (ortho). */
function referenceMfcc(x: Float32Array, t: number): number[] {
  const power = referencePower(x, t);
  const melMax = hzToMel(SR / 2);
  const edges = Array.from({ length: N_MELS + 2 }, (_, i) => melToHz((melMax * i) / (N_MELS + 1)));
  const logmel = Array.from({ length: N_MELS }, (_, m) => {
    let e = 0;
    for (let k = 0; k < N_BINS; k++) {
      const f = k * BIN_HZ;
      const up = (f - edges[m]) / (edges[m + 1] - edges[m]);
      const down = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
      e += Math.max(0, Math.min(up, down)) * (2 / (edges[m + 2] - edges[m])) * power[k];
    }
    return 10 * Math.log10(Math.max(e, 1e-10));
  });
  return Array.from({ length: N_MFCC }, (_, n) => {
    let s = 0;
    for (let m = 0; m < N_MELS; m++) s += logmel[m] * Math.cos((Math.PI * n * (m + 0.5)) / N_MELS);
    return s * Math.sqrt((n === 0 ? 1 : 2) / N_MELS);
  });
}

describe('mel scale', () => {
  it('is Slaney’s: linear to 1 kHz (15 mel), logarithmic above, and inverts', () => {
    expect(hzToMel(1000)).toBeCloseTo(15, 10);
    expect(hzToMel(200)).toBeCloseTo(3, 10);
    expect(hzToMel(6400)).toBeCloseTo(42, 10);
    for (const f of [0, 100, 999, 1000, 3000, 8000]) expect(melToHz(hzToMel(f))).toBeCloseTo(f, 6);
  });
});

describe('mfcc', () => {
  it('matches a direct, slow reference computation', () => {
    const x = whiteNoise(0.3, SR, 0.3, 5).map((v, i) => v + 0.5 * Math.sin((2 * Math.PI * 300 * i) / SR));
    const spec = spectrogram(x);
    const cc = mfcc(logMel(spec), spec.frames);
    for (const t of [2, 10, 25]) {
      const ref = referenceMfcc(x, t);
      for (let n = 0; n < N_MFCC; n++) expect(cc[n * spec.frames + t], `frame ${t} c${n}`).toBeCloseTo(ref[n], 2);
    }
  });

  it('floors quiet cells 80 dB below the loudest (power_to_db top_db), so silence does not dominate', () => {
    const x = new Float32Array(SR);
    x.set(tone(1000, 0.5, SR, 0.5));
    const spec = spectrogram(x);
    const lm = logMel(spec);
    const max = Math.max(...lm);
    expect(Math.min(...lm)).toBeCloseTo(max - 80, 3);
  });
});

describe('melFlux', () => {
  it('is zero for a steady signal and positive at an onset', () => {
    const x = new Float32Array(SR);
    x.set(tone(500, 0.5, SR, 0.5), SR / 2);
    const spec = spectrogram(x);
    const flux = melFlux(logMel(spec), spec.frames);
    expect(flux[0]).toBe(0);
    expect(Math.max(...flux.subarray(10, 40))).toBe(0);
    expect(Math.max(...flux.subarray(45, 55))).toBeGreaterThan(5);
    expect(Math.max(...flux.subarray(60, 95))).toBeLessThan(0.01);
  });

  it('adds the rises bit for bit as `if (d > 0) s += d` did (branch-free now): equal, rising and falling bands, ±0', () => {
    const frames = 200;
    let seed = 5;
    const logmel = Float32Array.from({ length: frames * 40 }, (_, i) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      // Every fifth frame repeats (d = 0), some cells are -0, the rest random dB.
      if (Math.floor(i / 40) % 5 === 1) return NaN;
      return seed % 7 === 0 ? -0 : (seed / 2 ** 32) * 90 - 70;
    });
    for (let i = 0; i < logmel.length; i++) if (Number.isNaN(logmel[i])) logmel[i] = logmel[i - 40];
    const got = melFlux(logmel, frames);
    for (let t = 1; t < frames; t++) {
      let s = 0;
      for (let m = 0; m < 40; m++) {
        const d = logmel[t * 40 + m] - logmel[(t - 1) * 40 + m];
        if (d > 0) s += d;
      }
      expect(Object.is(got[t], Math.fround(s / 40))).toBe(true);
    }
    expect(got[0]).toBe(0);
  });

  it('gives each coefficient of each frame as one in-order sum over the bands, bit for bit (301 frames: chunks of 128)', () => {
    const frames = 301;
    let seed = 9;
    const logmel = Float32Array.from({ length: frames * 40 }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return (seed / 2 ** 32) * 80 - 60;
    });
    const got = mfcc(logmel, frames);
    for (let n = 0; n < 20; n++) {
      const scale = n === 0 ? Math.sqrt(1 / 40) : Math.sqrt(2 / 40);
      for (let t = 0; t < frames; t += 10) {
        let s = 0;
        for (let m = 0; m < 40; m++) s += scale * Math.cos((Math.PI * n * (m + 0.5)) / 40) * logmel[t * 40 + m];
        expect(got[n * frames + t]).toBe(Math.fround(s));
      }
    }
  });
});
