// fft.wat's ports of V8's Math.log2, Math.log10 (pitch, the VAD), Math.atan2 and the two-argument Math.hypot (the
// formants) and Math.exp (the spectral flatness) against Math itself: every value must be bit-identical, specials included.
import { describe, expect, it } from 'vitest';
import { WasmKernels } from '../../../src/core/dsp/fft.js';

const N = 1 << 18;
const kernels = new WasmKernels(24 * N + 64);
const A = 16;
const B = A + 8 * N;
const OUT = B + 8 * N;
const a = new Float64Array(kernels.buffer, A, N);
const b = new Float64Array(kernels.buffer, B, N);
const out = new Float64Array(kernels.buffer, OUT, N);
/** fft.wat's "mathPorts": out = log2 a (fn 0), log10 a (1), atan2(a, b) (2), hypot(b, a) (3) or exp a (4). */
const mathPorts = kernels.exports.mathPorts as (fn: number, y: number, x: number, n: number, out: number) => void;

/** Deterministic values in [0, 1) (a fixed LCG), so a failure reproduces. */
function uniform(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Random 64-bit patterns (every exponent, NaNs and infinities among them); `mask` clears high-word bits (subnormals). */
function bitPatterns(n: number, seed: number, mask = 0xffffffff): Float64Array {
  const u = uniform(2 * n, seed);
  return new Float64Array(Uint32Array.from(u, (v, i) => (i % 2 ? (v * 2 ** 32) & mask : v * 2 ** 32)).buffer);
}

const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1e-310, 1, -1, 2, 0.5, 10, 1e22, 1e-300, 1 + 2 ** -52, 1 - 2 ** -53, 2 ** -1022, Number.MAX_VALUE, -Number.MAX_VALUE];

/** How many of the kernel's values differ from `ref` (Object.is), in chunks of N. */
function differences(x: Float64Array, y: Float64Array | null, run: (n: number) => void, ref: (x: number, y: number) => number): number {
  let bad = 0;
  for (let i = 0; i < x.length; i += N) {
    const n = Math.min(N, x.length - i);
    a.set(x.subarray(i, i + n));
    if (y) b.set(y.subarray(i, i + n));
    run(n);
    for (let j = 0; j < n; j++) if (!Object.is(out[j], ref(x[i + j], y ? y[i + j] : 0))) bad++;
  }
  return bad;
}

describe('fft.wat\'s ports of V8\'s Math functions', () => {
  it('log2 and log10: F0 and lag ratios, near 1 and powers of two, every exponent, level-like values, random bit patterns, subnormals, specials', () => {
    const n = 1 << 19;
    const u = uniform(2 * n, 11);
    const sets = [
      Float64Array.from({ length: n }, (_, i) => (60 + 440 * u[i]) / (60 + 440 * u[n + i])),
      Float64Array.from({ length: n }, (_, i) => 134 / (16 + 118 * u[i])),
      Float64Array.from({ length: n }, (_, i) => 1 + (u[i] - 0.5) * 2 ** -((u[n + i] * 60) | 0)),
      Float64Array.from({ length: n }, (_, i) => 2 ** ((i % 2098) - 1074) * (1 + (u[i] - 0.5) * 2 ** -18)),
      Float64Array.from({ length: n }, (_, i) => Math.exp((u[i] - 0.7) * 60)),
      bitPatterns(n, 12),
      bitPatterns(n, 13, 0x000fffff),
      Float64Array.from({ length: 1000 }, (_, i) => SPECIALS[i % SPECIALS.length]),
    ];
    for (const x of sets) {
      expect(differences(x, null, (m) => mathPorts(0, A, B, m, OUT), Math.log2)).toBe(0);
      expect(differences(x, null, (m) => mathPorts(1, A, B, m, OUT), Math.log10)).toBe(0);
    }
  });

  it('atan2 and hypot: LPC roots near the unit circle, every scale, random bit patterns, all pairs of specials', () => {
    const n = 1 << 19;
    const u = uniform(4 * n, 21);
    const roots = [Float64Array.from({ length: n }, (_, i) => (0.5 + 0.5 * u[i]) * Math.sin(Math.PI * u[n + i])),
      Float64Array.from({ length: n }, (_, i) => (0.5 + 0.5 * u[i]) * Math.cos(Math.PI * u[n + i]))];
    const scaled = [Float64Array.from({ length: n }, (_, i) => (u[2 * n + i] - 0.5) * 2 ** (((u[i] * 200) | 0) - 100)),
      Float64Array.from({ length: n }, (_, i) => (u[3 * n + i] - 0.5) * 2 ** (((u[n + i] * 200) | 0) - 100))];
    const bits = [bitPatterns(n, 22), bitPatterns(n, 23)];
    const specials = [Float64Array.from({ length: SPECIALS.length ** 2 }, (_, i) => SPECIALS[i % SPECIALS.length]),
      Float64Array.from({ length: SPECIALS.length ** 2 }, (_, i) => SPECIALS[Math.floor(i / SPECIALS.length)])];
    for (const [y, x] of [roots, scaled, bits, specials]) {
      expect(differences(y, x, (m) => mathPorts(2, A, B, m, OUT), Math.atan2)).toBe(0);
      expect(differences(y, x, (m) => mathPorts(3, A, B, m, OUT), (p, q) => Math.hypot(q, p))).toBe(0);
    }
  });

  it('exp: flatness-like means of logs, every scale up to over- and underflow, near 0 and 1, random bit patterns, specials', () => {
    const n = 1 << 19;
    const u = uniform(2 * n, 31);
    const sets = [
      Float64Array.from({ length: n }, (_, i) => -25 + 50 * u[i]),
      Float64Array.from({ length: n }, (_, i) => (u[i] - 0.5) * 1500),
      Float64Array.from({ length: n }, (_, i) => (u[i] - 0.5) * 2 ** -((u[n + i] * 60) | 0)),
      Float64Array.from({ length: n }, (_, i) => 1 + (u[i] - 0.5) * 1e-6),
      Float64Array.from({ length: n }, (_, i) => [709.782712893384, -745.1332191019411, 0.34657359027997264, 1.0397207708399179][i % 4] + (u[i] - 0.5) * 1e-12),
      bitPatterns(n, 32),
      Float64Array.from({ length: 1000 }, (_, i) => SPECIALS[i % SPECIALS.length]),
    ];
    for (const x of sets) expect(differences(x, null, (m) => mathPorts(4, A, B, m, OUT), Math.exp)).toBe(0);
  });
});
