import { describe, expect, it } from 'vitest';
import { logMel, N_MELS } from '../../../src/core/features/mel.js';
import { pitchTrack } from '../../../src/core/features/pitch.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised, powerDb, speechMask } from '../../../src/core/features/temporal.js';
import { MEL_SLOPE_REGIONS, voiceQuality, type VoiceQuality } from '../../../src/core/features/voice-quality.js';
import { concat, readRavdess, whiteNoise } from '../../helpers/audio-fixtures.js';
import { N_BINS } from '../../../src/core/features/frames.js';
import { SR, harmonicTone } from './signals.js';

function qualityOf(x: Float32Array): { vq: VoiceQuality; voiced: number[] } {
  const y = normalised(x);
  const spec = spectrogram(y);
  const pitch = pitchTrack(y, speechMask(powerDb(spec.meanSquare)));
  const voiced = [...pitch.f0.keys()].filter((t) => pitch.f0[t] > 0);
  return { vq: voiceQuality(spec, logMel(spec), pitch), voiced };
}

const meanOver = (a: Float32Array, idx: number[]): number => idx.reduce((s, t) => s + a[t], 0) / idx.length;
const withNoise = (x: Float32Array, amp: number): Float32Array => {
  const n = whiteNoise(x.length / SR, SR, amp, 7);
  return x.map((v, i) => v + n[i]);
};

describe('voiceQuality', () => {
  it('H1–H2 of a voice whose harmonics fall as 1/k is 20·log10(2) ≈ 6 dB', () => {
    // 125 Hz: H1 and H2 sit exactly on bins 4 and 8.
    const { vq, voiced } = qualityOf(harmonicTone(125, 1));
    expect(voiced.length).toBeGreaterThan(50);
    expect(meanOver(vq.h1h2, voiced)).toBeCloseTo(6.02, 0);
  });

  it('breathiness (more aspiration noise) lowers HNR and CPP', () => {
    // A little noise keeps the spectrum between harmonics off the numeric floor, as in real speech.
    const modal = qualityOf(withNoise(harmonicTone(150, 1), 0.02));
    const breathy = qualityOf(withNoise(harmonicTone(150, 1), 0.2));
    expect(breathy.voiced.length).toBeGreaterThan(50);
    expect(meanOver(breathy.vq.hnrDb, breathy.voiced)).toBeLessThan(meanOver(modal.vq.hnrDb, modal.voiced) - 10);
    expect(meanOver(breathy.vq.cpp, breathy.voiced)).toBeLessThan(meanOver(modal.vq.cpp, modal.voiced) - 0.3);
  });

  it('a voice with more high harmonics has a smaller H1–A3 (flatter tilt)', () => {
    const dull = qualityOf(harmonicTone(150, 1, 0.5, 6));
    const bright = qualityOf(harmonicTone(150, 1, 0.5, 40));
    expect(meanOver(bright.vq.h1a3, bright.voiced)).toBeLessThan(meanOver(dull.vq.h1a3, dull.voiced) - 10);
  });

  it('leaves unvoiced frames at zero and is finite everywhere', () => {
    const { vq, voiced } = qualityOf(whiteNoise(0.5, SR, 0.3, 3));
    const all = [vq.hnrDb, vq.cpp, vq.h1h2, vq.h1a3, ...vq.melSlope];
    for (const a of all) for (let t = 0; t < a.length; t++) {
      expect(Number.isFinite(a[t])).toBe(true);
      if (!voiced.includes(t)) expect(a[t]).toBe(0);
    }
  });

  it('CPP is the cepstral peak over its regression line, from the 512-point cepstrum by its definition', () => {
    // The product computes the cepstrum as a 257-point DCT-I through a 256-point real FFT; here it is
    // the plain sum over all 512 points of the even dB spectrum.
    const y = normalised(withNoise(harmonicTone(140, 0.3), 0.05));
    const spec = spectrogram(y);
    const pitch = pitchTrack(y, speechMask(powerDb(spec.meanSquare)));
    const vq = voiceQuality(spec, logMel(spec), pitch);
    const voiced = [...pitch.f0.keys()].filter((t) => pitch.f0[t] > 0);
    expect(voiced.length).toBeGreaterThan(10);
    const n = 2 * (N_BINS - 1);
    for (const t of voiced.slice(0, 5)) {
      const db = Float64Array.from({ length: n }, (_, i) => {
        const k = i < N_BINS ? i : n - i;
        return (10 / Math.LN10) * Math.log(spec.power[t * N_BINS + k] + 1e-10);
      });
      const c: number[] = [];
      for (let q = 32; q < 256; q++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += db[i] * Math.cos((2 * Math.PI * ((q * i) % n)) / n);
        c.push(Math.abs(s) / n);
      }
      const qs = c.map((_, i) => 32 + i);
      const qMean = qs.reduce((a, v) => a + v, 0) / qs.length;
      const cMean = c.reduce((a, v) => a + v, 0) / c.length;
      const slope = qs.reduce((a, q, i) => a + (q - qMean) * c[i], 0) / qs.reduce((a, q) => a + (q - qMean) ** 2, 0);
      const arg = c.indexOf(Math.max(...c));
      const want = c[arg] - (cMean + slope * (qs[arg] - qMean));
      expect(vq.cpp[t]).toBeCloseTo(want, 5);
    }
  });

  it('gives the log-mel slopes of voiced frames as the JavaScript loop it replaced did (kept here), bit for bit, on real speech over several chunks', () => {
    const y = normalised(concat(readRavdess(9, 4).samples, readRavdess(12, 7).samples, readRavdess(14, 1).samples));
    const spec = spectrogram(y);
    expect(spec.frames).toBeGreaterThan(2 * 256);
    const pitch = pitchTrack(y, speechMask(powerDb(spec.meanSquare)));
    const logmel = logMel(spec);
    const vq = voiceQuality(spec, logmel, pitch);
    let voiced = 0;
    for (let t = 0; t < spec.frames; t++) {
      MEL_SLOPE_REGIONS.forEach(([a, z], i) => {
        const want = pitch.f0[t] > 0 ? Math.fround(referenceBandSlope(logmel, t * N_MELS, a, z)) : 0;
        expect(Object.is(vq.melSlope[i][t], want), `frame ${t}, group ${i}`).toBe(true);
      });
      if (pitch.f0[t] > 0) voiced++;
    }
    expect(voiced).toBeGreaterThan(200);
  });
});

/** voice-quality.ts's bandSlope before the kernel, unchanged. */
function referenceBandSlope(logmel: Float32Array, row: number, a: number, z: number): number {
  const xm = (a + z - 1) / 2;
  let ym = 0;
  for (let b = a; b < z; b++) ym += logmel[row + b];
  ym /= z - a;
  let num = 0;
  let den = 0;
  for (let b = a; b < z; b++) {
    num += (b - xm) * (logmel[row + b] - ym);
    den += (b - xm) ** 2;
  }
  return num / den;
}
