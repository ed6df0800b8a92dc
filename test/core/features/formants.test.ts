import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { speechOnly } from '../../../src/core/audio/vad.js';
import { WasmKernels } from '../../../src/core/dsp/fft.js';
import { formantTracks, levinson, polynomialRoots } from '../../../src/core/features/formants.js';
import { decimate, pitchTrack } from '../../../src/core/features/pitch.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised, powerDb, speechMask } from '../../../src/core/features/temporal.js';
import { pcm } from '../../../src/core/pcm.js';
import { RAVDESS_DIR, ravdessFiles, tone, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, gated, harmonicTone } from './signals.js';

/** A synthetic vowel: a 120-Hz pulse train through three two-pole resonators (Klatt-style cascade). */
function vowel(formants: number[], bandwidths: number[], sec = 0.8, f0 = 120): Float32Array {
  let x = new Float64Array(Math.round(sec * SR));
  for (let t = 0; t < x.length; t += SR / f0) x[Math.round(t)] = 1;
  formants.forEach((f, k) => {
    const r = Math.exp((-Math.PI * bandwidths[k]) / SR);
    const a1 = 2 * r * Math.cos((2 * Math.PI * f) / SR), a2 = -r * r;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] + a1 * (y[i - 1] ?? 0) + a2 * (y[i - 2] ?? 0);
    x = y;
  });
  const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return Float32Array.from(x, (v) => (0.5 * v) / peak);
}

const median = (a: Float32Array): number => {
  const v = [...a].filter((q) => !Number.isNaN(q)).sort((p, q) => p - q);
  return v[v.length >> 1];
};

describe('formants', () => {
  // Open vowels: an F1 near 300 Hz sits between the first harmonics of a 120-Hz voice, where LPC is
  // known to drift toward a harmonic (measured here: /i/ F1 270 → 300, /u/ 300 → 360 Hz).
  it.each([
    ['/a/', [730, 1090, 2440], 100],
    ['/ɛ/', [530, 1840, 2480], 150],
    ['/æ/', [660, 1720, 2410], 120],
  ])('finds F1–F3 of a synthetic %s within 8 %', (_name, formants, f0) => {
    const x = vowel(formants, [60, 90, 120], 0.8, f0);
    const voiced = new Uint8Array(Math.floor(x.length / 160) + 1).fill(1);
    const { frequency } = formantTracks(x, voiced);
    formants.forEach((f, k) => expect(Math.abs(median(frequency[k]) - f) / f, `F${k + 1}`).toBeLessThan(0.08));
  });

  it('a wider resonance gets a wider measured bandwidth', () => {
    const voiced = new Uint8Array(81).fill(1);
    const narrow = formantTracks(vowel([600, 1500, 2500], [50, 90, 120]), voiced).bandwidth[0];
    const wide = formantTracks(vowel([600, 1500, 2500], [200, 90, 120]), voiced).bandwidth[0];
    expect(median(wide)).toBeGreaterThan(2 * median(narrow));
  });

  it('leaves frames that are not voiced unmeasured (NaN), and survives silence', () => {
    const x = vowel([700, 1200, 2500], [60, 90, 120]);
    const voiced = new Uint8Array(81);
    voiced.fill(1, 20, 40);
    const { frequency, bandwidth } = formantTracks(x, voiced);
    expect(Number.isNaN(frequency[0][10])).toBe(true);
    expect(Number.isFinite(frequency[0][30])).toBe(true);
    const silent = formantTracks(new Float32Array(8000), new Uint8Array(51).fill(1));
    expect([...silent.frequency[0], ...silent.bandwidth[2]].every(Number.isNaN)).toBe(true);
    expect(bandwidth).toHaveLength(3);
  });

  it('measures higher F1 and F2 for female than male RAVDESS speakers (shorter vocal tracts)', async () => {
    const meanF = async (actor: number, k: number) => {
      const path = join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, `03-01-01-01-01-01-${String(actor).padStart(2, '0')}.wav`);
      const speech = speechOnly(pcm((await decodeAudio(new Uint8Array(readFileSync(path)))).samples)).samples;
      const x = normalised(speech);
      const pitch = pitchTrack(x, speechMask(powerDb(spectrogram(x).meanSquare)));
      return median(formantTracks(x, Uint8Array.from(pitch.f0, (f) => (f > 0 ? 1 : 0))).frequency[k]);
    };
    for (const k of [0, 1]) {
      const male = ((await meanF(1, k)) + (await meanF(3, k)) + (await meanF(5, k))) / 3;
      const female = ((await meanF(2, k)) + (await meanF(4, k)) + (await meanF(6, k))) / 3;
      expect(female, `F${k + 1}`).toBeGreaterThan(male * 1.05);
    }
  });
});

describe('LPC helpers', () => {
  it('Levinson–Durbin recovers an AR(2) process from its autocorrelation', () => {
    // x[n] = 1.2 x[n−1] − 0.5 x[n−2] + e[n]: Yule–Walker gives r1/r0 = a1/(1 − a2) etc.
    const a1 = 1.2, a2 = -0.5;
    const r1 = a1 / (1 - a2);
    const r2 = a1 * r1 + a2;
    const a = levinson(Float64Array.from([1, r1, r2]), 2)!;
    expect(a[1]).toBeCloseTo(-a1, 10);
    expect(a[2]).toBeCloseTo(-a2, 10);
    expect(levinson(Float64Array.from([0, 0, 0]), 2)).toBeNull();
  });

  it('finds all roots of a polynomial with real and complex ones', () => {
    // (z − 0.5)(z + 0.25)(z² + 0.81) = z⁴ − 0.25z³ + 0.685z² − 0.2025z − 0.10125
    const { re, im } = polynomialRoots(Float64Array.from([1, -0.25, 0.685, -0.2025, -0.10125]));
    const round = (v: number) => Math.round(v * 1e6) / 1e6; // the imaginary pair's real parts are ±1e-17
    const roots = [...re].map((r, i) => [round(r), im[i]]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    const expected = [[-0.25, 0], [0, -0.9], [0, 0.9], [0.5, 0]];
    roots.forEach(([r, i], k) => {
      expect(r).toBeCloseTo(expected[k][0], 8);
      expect(i).toBeCloseTo(expected[k][1], 8);
    });
  });
});

/**
 * formantTracks as JavaScript computed it before the window, the autocorrelation, Levinson–Durbin and the
 * warm/cold choice moved into WebAssembly (fft.wat's "lpcRoots"); the sweeps run in the "roots" kernel as
 * then. The kernel must give the same tracks bit for bit.
 */
function referenceTracks(x: Float32Array, voiced: Uint8Array): { frequency: Float32Array[]; bandwidth: Float32Array[] } {
  const d = decimate(x);
  const W = 256, ORDER = 10;
  const ham = Float64Array.from({ length: W }, (_, i) => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (W - 1)));
  const kernels = new WasmKernels(1 << 16);
  const A = 64, RE = A + 8 * 11, IM = RE + 80;
  const a = new Float64Array(kernels.buffer, A, 11);
  const re = new Float64Array(kernels.buffer, RE, 10);
  const im = new Float64Array(kernels.buffer, IM, 10);
  const frequency = [0, 1, 2].map(() => new Float32Array(voiced.length).fill(NaN));
  const bandwidth = [0, 1, 2].map(() => new Float32Array(voiced.length).fill(NaN));
  let warm = false;
  for (let t = 0; t < voiced.length; t++) {
    if (!voiced[t]) continue;
    const start = t * 80 - W / 2;
    const buf = new Float64Array(W);
    let prev = start - 1 >= 0 && start - 1 < d.length ? d[start - 1] : 0;
    for (let i = 0; i < W; i++) {
      const v = start + i >= 0 && start + i < d.length ? d[start + i] : 0;
      buf[i] = (v - 0.97 * prev) * ham[i];
      prev = v;
    }
    const r = new Float64Array(ORDER + 1);
    for (let k = 0; k <= ORDER; k++) for (let i = k; i < W; i++) r[k] += buf[i] * buf[i - k];
    r[0] *= 1 + 1e-9;
    // Levinson–Durbin.
    a.fill(0);
    a[0] = 1;
    let e = r[0];
    let stable = e > 0;
    for (let i = 1; stable && i <= ORDER; i++) {
      let acc = r[i];
      for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
      const k = -acc / e;
      const old = a.slice();
      for (let j = 1; j < i; j++) a[j] = old[j] + k * old[i - j];
      a[i] = k;
      e *= 1 - k * k;
      stable = e > 0;
    }
    if (!stable) continue;
    let settled = false;
    if (warm) {
      for (let i = 0; i < ORDER; i++) {
        const x0 = re[i], y0 = im[i];
        re[i] = x0 * Math.cos(0.01) - y0 * Math.sin(0.01);
        im[i] = x0 * Math.sin(0.01) + y0 * Math.cos(0.01);
      }
      settled = kernels.roots(A, RE, IM, ORDER, 60);
    }
    if (!settled) {
      for (let i = 0; i < ORDER; i++) {
        const angle = (2 * Math.PI * i) / ORDER + 0.4;
        re[i] = 0.9 * Math.cos(angle);
        im[i] = 0.9 * Math.sin(angle);
      }
      kernels.roots(A, RE, IM, ORDER, 200);
    }
    warm = true;
    const found: Array<[number, number]> = [];
    for (let i = 0; i < ORDER; i++) {
      if (im[i] <= 0) continue;
      const f = (Math.atan2(im[i], re[i]) * 8000) / (2 * Math.PI);
      const bw = (-Math.log(Math.hypot(re[i], im[i])) * 8000) / Math.PI;
      if (f > 90 && f < 3950 && bw > 0 && bw < 400) found.push([f, bw]);
    }
    found.sort((p, q) => p[0] - q[0]);
    found.slice(0, 3).forEach(([f, bw], k) => {
      frequency[k][t] = f;
      bandwidth[k][t] = bw;
    });
  }
  return { frequency, bandwidth };
}

describe('formantTracks in WebAssembly', () => {
  it('matches the JavaScript LPC pipeline bit for bit (vowels, tones, noise, gaps, edges, 2-s signal stretches, RAVDESS)', async () => {
    const signals: Float32Array[] = [
      vowel([730, 1090, 2440], [80, 90, 120]),
      vowel([300, 870, 2240], [60, 90, 120], 5.3, 140),
      tone(440, 1, SR),
      whiteNoise(2.5, SR, 0.3, 3),
      harmonicTone(110, 4.6),
      gated(harmonicTone(200, 3.1), 0.25, 0.1),
      new Float32Array(4000),
    ];
    for (const f of ravdessFiles(1).slice(0, 3)) {
      signals.push(normalised(speechOnly(pcm((await decodeAudio(new Uint8Array(readFileSync(join(RAVDESS_DIR, 'Actor_01', f))))).samples)).samples));
    }
    for (const x of signals) {
      const frames = Math.floor(x.length / 160) + 1;
      // Every frame, every other one, and runs with gaps (the warm start carries across them).
      for (const voiced of [new Uint8Array(frames).fill(1), Uint8Array.from({ length: frames }, (_, t) => t % 2), Uint8Array.from({ length: frames }, (_, t) => (t % 37 < 20 ? 1 : 0))]) {
        const got = formantTracks(x, voiced);
        const want = referenceTracks(x, voiced);
        expect(got.frequency).toEqual(want.frequency);
        expect(got.bandwidth).toEqual(want.bandwidth);
      }
    }
  });
});
