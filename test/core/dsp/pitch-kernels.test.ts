// fft.wat's "xcorr" and "halfband" (PitchKernels) against the JavaScript they replaced in pitch.ts,
// kept here as the reference: every value must be bit-identical.
import { describe, expect, it } from 'vitest';
import { ComplexFFT, PitchKernels } from '../../../src/core/dsp/fft.js';

const N = 512;

/** Deterministic values in [−1, 1) (a fixed LCG), so a failure reproduces. */
function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** pitch.ts's crossCorrelatePair() and combine() before the kernel, unchanged, over three separate transforms. */
function referenceCorrelation(a: Float64Array, b: Float64Array): Float64Array {
  const fftA = new ComplexFFT(N);
  const fftB = new ComplexFFT(N);
  const fftC = new ComplexFFT(N);
  fftA.input.set(a);
  fftB.input.set(b);
  const specA = fftA.output;
  const specB = fftB.output;
  const cross = fftC.input;
  const combine = (k: number, ap: number, aq: number, ar: number, as: number, bp: number, bq: number, br: number, bs: number) => {
    const a1r = (ap + ar) / 2;
    const a1i = (aq - as) / 2;
    const a2r = (aq + as) / 2;
    const a2i = (ar - ap) / 2;
    const b1r = (bp + br) / 2;
    const b1i = (bq - bs) / 2;
    const b2r = (bq + bs) / 2;
    const b2i = (br - bp) / 2;
    const v1r = a1r * b1r + a1i * b1i;
    const v1i = a1i * b1r - a1r * b1i;
    const v2r = a2r * b2r + a2i * b2i;
    const v2i = a2i * b2r - a2r * b2i;
    cross[2 * k] = v1r - v2i;
    cross[2 * k + 1] = v1i + v2r;
  };
  fftA.run();
  fftB.run();
  for (let k = 0; k <= N / 2; k++) {
    const m = k === 0 ? 0 : N - k;
    combine(k, specA[2 * k], specA[2 * k + 1], specA[2 * m], specA[2 * m + 1], specB[2 * k], specB[2 * k + 1], specB[2 * m], specB[2 * m + 1]);
    if (m !== k) combine(m, specA[2 * m], specA[2 * m + 1], specA[2 * k], specA[2 * k + 1], specB[2 * m], specB[2 * m + 1], specB[2 * k], specB[2 * k + 1]);
  }
  fftC.run();
  return Float64Array.from(fftC.output);
}

// pitch.ts's half-band taps (23, Hamming), normalised as there.
const TAPS = Float64Array.from({ length: 23 }, (_, i) => {
  const n = i - 11;
  const sinc = n === 0 ? 1 : Math.sin((Math.PI * n) / 2) / ((Math.PI * n) / 2);
  return 0.5 * sinc * (0.54 + 0.46 * Math.cos((Math.PI * n) / 11));
});
{
  const sum = TAPS.reduce((a, v) => a + v, 0);
  for (let i = 0; i < TAPS.length; i++) TAPS[i] /= sum;
}
const [H0, H1, H3, H5, H7, H9, H11] = [0, 1, 3, 5, 7, 9, 11].map((k) => TAPS[11 + k]);

/** pitch.ts's decimateInside() before the kernel, unchanged. */
function referenceHalfband(x: Float32Array, from: number, to: number, out: Float32Array): void {
  for (let m = from; m < to; m++) {
    const c = 2 * m;
    out[m] =
      H0 * x[c] + H1 * (x[c - 1] + x[c + 1]) + H3 * (x[c - 3] + x[c + 3]) + H5 * (x[c - 5] + x[c + 5]) +
      H7 * (x[c - 7] + x[c + 7]) + H9 * (x[c - 9] + x[c + 9]) + H11 * (x[c - 11] + x[c + 11]);
  }
}

const kernels = new PitchKernels(N, Float64Array.of(H0, H1, H3, H5, H7, H9, H11));

describe('PitchKernels', () => {
  it.each([
    ['full windows and spans', 320, 455, 1],
    ['short (the imaginary part empty, as for an odd last step)', 320, 455, 2],
    ['partly zero (a step at the signal\'s start)', 200, 300, 3],
    ['every slot used', 512, 512, 4],
    ['large values', 320, 455, 5],
  ] as const)('correlates two packed pairs bit for bit as three separate transforms did: %s', (_, window, span, seed) => {
    for (let trial = 0; trial < 8; trial++) {
      const a = new Float64Array(2 * N);
      const b = new Float64Array(2 * N);
      const u = noise(4 * N, 100 * seed + trial);
      const scale = seed === 5 ? 1e6 : 1;
      for (let i = 0; i < window; i++) {
        a[2 * i] = Math.fround(u[i] * scale);
        a[2 * i + 1] = seed === 2 ? 0 : Math.fround(u[N + i] * scale);
      }
      for (let i = 0; i < span; i++) {
        b[2 * i] = Math.fround(u[2 * N + i] * scale);
        b[2 * i + 1] = seed === 2 ? 0 : Math.fround(u[3 * N + i] * scale);
      }
      kernels.windows.set(a);
      kernels.spans.set(b);
      kernels.correlate();
      expect([...kernels.correlation]).toEqual([...referenceCorrelation(a, b)]);
    }
  });

  it.each([
    [24, 6, 7],
    [25, 6, 7],
    [1000, 6, 495],
    [1001, 6, 495],
    [9000, 6, 4495],
    [20_011, 6, 10_000],
    [20_011, 1000, 1001],
  ])('filters bit for bit as the unrolled JavaScript loop (%i samples, outputs %i…%i, blocks of 4096)', (n, from, to) => {
    const x = Float32Array.from(noise(n, n), (v, i) => (i % 97 === 0 ? 0 : v * (i % 3 ? 1 : 1e-3)));
    const want = new Float32Array(Math.ceil(n / 2)).fill(9);
    const got = new Float32Array(Math.ceil(n / 2)).fill(9);
    referenceHalfband(x, from, to, want);
    kernels.halfband(x, from, to, got);
    expect([...got]).toEqual([...want]);
  });
});
