// fft.wat's "cpp" kernel (CepstralPeaks) against the JavaScript it replaced in voice-quality.ts, kept
// here as the reference: every value must be bit-identical, and its logarithm must be Math.log's.
import { describe, expect, it } from 'vitest';
import { CepstralPeaks, realFFT } from '../../../src/core/dsp/fft.js';
import { N_BINS } from '../../../src/core/features/frames.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { whiteNoise } from '../../helpers/audio-fixtures.js';
import { clickTrain, harmonicTone, SR } from '../features/signals.js';

const M = 256;
const Q_MIN = 32;
const Q_MAX = 256;
const FLOOR = 1e-10;
const DB_PER_NEPER = 10 / Math.LN10;

/** voice-quality.ts's cepstralPeakProminence before the kernel, unchanged. */
function referenceCpp(power: Float32Array, row: number): number {
  const Q_MEAN = (Q_MIN + Q_MAX - 1) / 2;
  const Q_VAR = Array.from({ length: Q_MAX - Q_MIN }, (_, i) => (Q_MIN + i - Q_MEAN) ** 2).reduce((a, v) => a + v, 0);
  const x = new Float64Array(M + 1);
  for (let k = 0; k <= M; k++) x[k] = DB_PER_NEPER * Math.log(power[row + k] + FLOOR);
  // The DCT-I through a real transform of M points (Numerical Recipes' cosft1).
  const u = new Float64Array(M);
  u[0] = 0.5 * (x[0] + x[M]);
  let odd = 0.5 * (x[0] - x[M]);
  for (let j = 1; j < M / 2; j++) {
    const a = x[j];
    const b = x[M - j];
    const mean = 0.5 * (a + b);
    const d = Math.sin((Math.PI * j) / M) * (a - b);
    u[j] = mean - d;
    u[M - j] = mean + d;
    odd += Math.cos((Math.PI * j) / M) * (a - b);
  }
  u[M / 2] = x[M / 2];
  const re = new Float64Array(M / 2 + 1);
  const im = new Float64Array(M / 2 + 1);
  realFFT(M).forward(u, re, im);
  const y = new Float64Array(M);
  y[0] = re[0];
  y[1] = odd;
  for (let k = 1; k < M / 2; k++) {
    y[2 * k] = re[k];
    y[2 * k + 1] = y[2 * k - 1] - im[k];
  }
  let sum = 0;
  let cross = 0;
  let peak = 0;
  let arg = Q_MIN;
  for (let q = Q_MIN; q < Q_MAX; q++) {
    const c = Math.abs(y[q]) / M;
    sum += c;
    cross += (q - Q_MEAN) * c;
    if (c > peak) {
      peak = c;
      arg = q;
    }
  }
  const mean = sum / (Q_MAX - Q_MIN);
  return peak - (mean + (cross / Q_VAR) * (arg - Q_MEAN));
}

/** Deterministic values in [0, 1) (a fixed LCG), so a failure reproduces. */
function uniform(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  });
}

const kernel = new CepstralPeaks(M, Q_MIN, Q_MAX, DB_PER_NEPER, FLOOR);

/** The power rows of a signal's spectrogram, and rows made to hit the edges: zeros, huge, tiny, random. */
function powers(): { name: string; power: Float32Array }[] {
  const mixed = (x: Float32Array) => x.map((v, i) => v + 0.05 * Math.sin(i * 0.37));
  const signals: [string, Float32Array][] = [
    ['voice 110 Hz', harmonicTone(110, 1.7)],
    ['voice 240 Hz + hum', mixed(harmonicTone(240, 0.9, 0.3))],
    ['noise', whiteNoise(1.3, SR, 0.2, 3)],
    ['clicks', clickTrain(0.007, 0.8)],
    ['silence', new Float32Array(SR)],
  ];
  const out = signals.map(([name, x]) => ({ name, power: spectrogram(x).power }));
  const rows = 300;
  const u = uniform(rows * N_BINS, 9);
  const v = uniform(rows * N_BINS, 10);
  out.push({
    name: 'random rows (1e-30 … 1e12, exact zeros)',
    power: Float32Array.from(u, (a, i) => (v[i] < 0.05 ? 0 : Math.exp((a - 0.5) * 97))),
  });
  return out;
}

describe('CepstralPeaks', () => {
  it.each(powers())('gives the JavaScript cepstral peak prominence bit for bit: $name', ({ power }) => {
    const frames = power.length / N_BINS;
    // Every frame; every third; and a sparse list whose gaps exceed the kernel's chunk of rows.
    const lists = [
      Int32Array.from({ length: frames }, (_, t) => t),
      Int32Array.from({ length: Math.ceil(frames / 3) }, (_, i) => 3 * i),
      Int32Array.from([0, 1, 130, 131, 300].filter((t) => t < frames)),
    ];
    for (const list of lists) {
      const got = new Float32Array(frames).fill(-7);
      kernel.run(power, list, list.length, got);
      const want = new Float32Array(frames).fill(-7);
      for (const t of list) want[t] = referenceCpp(power, t * N_BINS);
      expect([...got]).toEqual([...want]);
    }
  });

  it('only the listed frames are written, and an empty list writes nothing', () => {
    const power = spectrogram(harmonicTone(150, 0.5)).power;
    const out = new Float32Array(power.length / N_BINS).fill(3);
    kernel.run(power, new Int32Array(8), 0, out);
    expect(out.every((v) => v === 3)).toBe(true);
  });

  it('takes logarithms bit for bit as Math.log: power-like values, near 1 and powers of two, every exponent, subnormals, zeros, ±∞, NaN', () => {
    const n = 1 << 17;
    const u = uniform(4 * n, 5);
    const bits = new BigUint64Array(n);
    for (let i = 0; i < n; i++) bits[i] = (BigInt(Math.floor(u[2 * n + i] * 2 ** 32)) << 32n) | BigInt(Math.floor(u[3 * n + i] * 2 ** 32));
    const f32 = new Float32Array(1);
    const sets = [
      Float64Array.from(u.subarray(0, n), (a) => ((f32[0] = Math.exp((a - 0.7) * 60)), f32[0] + FLOOR)),
      Float64Array.from(u.subarray(n, 2 * n), (a) => 0.5 + 1.5 * a),
      Float64Array.from(u.subarray(0, n), (a, i) => 2 ** ((i % 300) - 150) * (1 + (a - 0.5) * 2 ** -18)),
      new Float64Array(bits.buffer),
      Float64Array.from({ length: 1001 }, (_, i) => [0, -0, Infinity, -Infinity, NaN, 5e-324, 1e-310, 1, 2, 0.5, -1, 1 + 2 ** -52, 1 - 2 ** -53][i % 13]),
    ];
    for (const x of sets) {
      const got = kernel.logs(x);
      let bad = 0;
      for (let i = 0; i < x.length; i++) if (!Object.is(got[i], Math.log(x[i]))) bad++;
      expect(bad).toBe(0);
    }
  });
});
