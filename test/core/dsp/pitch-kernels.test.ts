// fft.wat's "pitchPair", "pitchPeaks", "halfband" and "prefixSquares" (PitchKernels) against the JavaScript they replaced
// in pitch.ts, kept here as the reference: every value must be bit-identical.
import { describe, expect, it } from 'vitest';
import { ComplexFFT, PITCH_CANDIDATES, PitchKernels } from '../../../src/core/dsp/fft.js';

const N = 512;

/** Deterministic values in [−1, 1) (a fixed LCG), so a failure reproduces. */
function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

// pitch.ts's step geometry at 8 kHz: 40 ms windows, lags of 500 … 60 Hz.
const WINDOW = 320;
const LAG_MIN = 16;
const LAG_MAX = 134;
const SPAN = WINDOW + LAG_MAX + 1;

/** pitch.ts's load() before the kernel, unchanged: step `start`'s window and span (or zeros) into part 0 or 1. */
function referenceLoad(d: Float32Array, start: number | null, part: 0 | 1, packedA: Float64Array, packedB: Float64Array): void {
  const from = start === null ? SPAN : Math.max(0, -start);
  const to = start === null ? SPAN : Math.max(from, Math.min(SPAN, d.length - start));
  for (let i = 0; i < from; i++) {
    packedB[2 * i + part] = 0;
    if (i < WINDOW) packedA[2 * i + part] = 0;
  }
  const both = Math.min(to, Math.max(from, WINDOW));
  for (let i = from; i < both; i++) {
    const v = d[start! + i];
    packedB[2 * i + part] = v;
    packedA[2 * i + part] = v;
  }
  for (let i = both; i < to; i++) packedB[2 * i + part] = d[start! + i];
  for (let i = to; i < SPAN; i++) {
    packedB[2 * i + part] = 0;
    if (i < WINDOW) packedA[2 * i + part] = 0;
  }
}

/** pitch.ts's normalisedCorrelation() before the kernel, unchanged (nccf[lag], LAG_MIN − 1 … LAG_MAX + 1). */
function referenceNccf(corr: Float64Array, start: number, part: 0 | 1, energy: Float64Array, n: number): Float64Array {
  const nccf = new Float64Array(LAG_MAX + 2);
  const sumSq = (a: number, b: number) => energy[Math.min(n, Math.max(0, b))] - energy[Math.min(n, Math.max(0, a))];
  const ea = sumSq(start, start + WINDOW);
  if (start + LAG_MIN - 1 >= 0 && start + LAG_MAX + 1 + WINDOW <= n) {
    for (let lag = LAG_MIN - 1; lag <= LAG_MAX + 1; lag++) {
      const den = ea * (energy[start + lag + WINDOW] - energy[start + lag]);
      nccf[lag] = den > 1e-20 ? (corr[2 * lag + part] * (1 / N)) / Math.sqrt(den) : 0;
    }
    return nccf;
  }
  for (let lag = LAG_MIN - 1; lag <= LAG_MAX + 1; lag++) {
    const den = ea * sumSq(start + lag, start + lag + WINDOW);
    nccf[lag] = den > 1e-20 ? (corr[2 * lag + part] * (1 / N)) / Math.sqrt(den) : 0;
  }
  return nccf;
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

const kernels = new PitchKernels(N, Float64Array.of(H0, H1, H3, H5, H7, H9, H11), {
  window: WINDOW,
  span: SPAN,
  lo: LAG_MIN - 1,
  hi: LAG_MAX + 1,
  tiny: 1e-20,
  rate: 8000,
  unvoiced: 0.5,
  octaveCost: 0.02,
});

/** d's prefix sums of squares, as pitchTrack makes them. */
function prefixEnergy(d: Float32Array): Float64Array {
  const energy = new Float64Array(d.length + 1);
  let acc = 0;
  for (let i = 0; i < d.length; i++) energy[i + 1] = acc += d[i] * d[i];
  return energy;
}

/** The reference NCCF rows of a pair, from fresh packed inputs (slots beyond window and span zero). */
function referencePair(d: Float32Array, energy: Float64Array, a: number, b: number | null): Float64Array[] {
  const packedA = new Float64Array(2 * N);
  const packedB = new Float64Array(2 * N);
  referenceLoad(d, a, 0, packedA, packedB);
  referenceLoad(d, b, 1, packedA, packedB);
  const corr = referenceCorrelation(packedA, packedB);
  const rows = [referenceNccf(corr, a, 0, energy, d.length)];
  if (b !== null) rows.push(referenceNccf(corr, b, 1, energy, d.length));
  return rows;
}

/** A step's candidates as pitch.ts's measure() left them. */
interface ReferenceCandidates {
  count: number;
  f0: Float64Array;
  strength: Float64Array;
  peak: number;
}

/** pitch.ts's measure() before the kernel, unchanged but for where it writes (RATE 8000, threshold 0.5, octave cost 0.02). */
function referenceMeasure(nccf: Float64Array): ReferenceCandidates {
  const c = { f0: new Float64Array(PITCH_CANDIDATES), strength: new Float64Array(PITCH_CANDIDATES) };
  const o = 0;
  c.f0[o] = 0;
  c.strength[o] = 0.5;
  let count = 1;
  let best = 0;
  for (let lag = LAG_MIN; lag <= LAG_MAX; lag++) {
    const y0 = nccf[lag];
    if (!(y0 > 0 && y0 >= nccf[lag - 1] && y0 > nccf[lag + 1])) continue;
    const ym = nccf[lag - 1];
    const yp = nccf[lag + 1];
    const curve = ym - 2 * y0 + yp;
    const delta = curve < 0 ? (0.5 * (ym - yp)) / curve : 0;
    const value = Math.min(1, y0 - 0.25 * (ym - yp) * delta);
    best = Math.max(best, value);
    const strength = value + 0.02 * Math.log2(LAG_MAX / (lag + delta));
    if (count === PITCH_CANDIDATES && strength <= c.strength[o + count - 1]) continue;
    let j = count < PITCH_CANDIDATES ? count++ : count - 1;
    while (j > 1 && c.strength[o + j - 1] < strength) {
      c.strength[o + j] = c.strength[o + j - 1];
      c.f0[o + j] = c.f0[o + j - 1];
      j--;
    }
    c.strength[o + j] = strength;
    c.f0[o + j] = 8000 / (lag + delta);
  }
  return { count, f0: c.f0.subarray(0, count), strength: c.strength.subarray(0, count), peak: best };
}

/** Step i's candidates as the kernels hold them. */
function kernelCandidates(k: PitchKernels, i: number): ReferenceCandidates {
  const count = k.count[i];
  const o = i * PITCH_CANDIDATES;
  return { count, f0: k.candidateF0.slice(o, o + count), strength: k.candidateStrength.slice(o, o + count), peak: k.peak[i] };
}

const bitsOf = (c: ReferenceCandidates) => ({
  count: c.count,
  f0: [...new BigUint64Array(Float64Array.from(c.f0).buffer)],
  strength: [...new BigUint64Array(Float64Array.from(c.strength).buffer)],
  peak: new BigUint64Array(Float64Array.of(c.peak).buffer)[0],
});

const lags = (row: Float64Array) => [...row.subarray(LAG_MIN - 1, LAG_MAX + 2)];

describe('PitchKernels', () => {
  it('gives pitch.ts\'s NCCF of two steps bit for bit: steps inside, at and past both ends, far apart (the spare slot), alone, across window refills, and after reset() on a new signal', () => {
    // A voice-like signal with silent stretches (exact zeros: a product of energies below 1e-20).
    const make = (n: number, seed: number) => {
      const u = noise(n, seed);
      return Float32Array.from(u, (v, i) => (Math.floor(i / 3000) % 4 === 3 ? 0 : 0.3 * Math.sin(i * 0.09 + 0.5 * Math.sin(i * 0.003)) + 0.05 * v));
    };
    const d = make(40_000, 1);
    const energy = prefixEnergy(d);
    const starts: (number | null)[][] = [[-300, -100], [-50, 0]];
    for (let s = 100; s < d.length; s += 160) starts.push([s, s + 160]);
    starts.push([1000, 30_000], [30_100, 2000], [39_800, null], [39_900, 40_100], [12_000, null]);
    let pairs = 0;
    kernels.reset();
    for (const [a, b] of starts) {
      kernels.pair(d, energy, a!, b, 0);
      const want = referencePair(d, energy, a!, b);
      expect(lags(kernels.nccfA)).toEqual(lags(want[0]));
      if (b !== null) expect(lags(kernels.nccfB)).toEqual(lags(want[1]));
      pairs++;
    }
    expect(pairs).toBeGreaterThan(240);
    // The same starts on another signal: reset() drops the window of the last one.
    kernels.pair(d, energy, 1000, 1160, 0);
    const d2 = make(5000, 2);
    const energy2 = prefixEnergy(d2);
    kernels.reset();
    kernels.pair(d2, energy2, 1000, 1160, 0);
    const want = referencePair(d2, energy2, 1000, 1160);
    expect(lags(kernels.nccfA)).toEqual(lags(want[0]));
    expect(lags(kernels.nccfB)).toEqual(lags(want[1]));
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

  it.each([0, 1, 4095, 4096, 4097, 20_011])('sums squares as pitch.ts\'s JavaScript loop did, bit for bit (%i samples, blocks of 4096), after halfband used the memory', (n) => {
    // Speech-like values of every size (tiny, zero, near 1): a prefix sum carries rounding, so any reordering shows.
    const d = Float32Array.from(noise(n, n + 17), (v, i) => (i % 89 === 0 ? 0 : v * (i % 5 ? 0.3 : 1e-4)));
    kernels.halfband(Float32Array.from(noise(9000, 3)), 6, 4000, new Float32Array(4500));
    const want = new Float64Array(n + 1);
    let acc = 0;
    for (let i = 0; i < n; i++) want[i + 1] = acc += d[i] * d[i];
    const got = new Float64Array(n + 1).fill(7);
    kernels.prefixSquares(d, got);
    expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });

  it('picks each step\'s candidates bit for bit as pitch.ts\'s JavaScript did: real NCCF rows of a voice-like signal, and rows with many peaks, plateaus, ties, negatives and zeros', () => {
    const d = Float32Array.from(noise(30_000, 9), (v, i) => (Math.floor(i / 2500) % 5 === 4 ? 0 : 0.4 * Math.sin(i * 0.07 + 0.8 * Math.sin(i * 0.002)) + 0.1 * v));
    const energy = prefixEnergy(d);
    kernels.path(200);
    kernels.reset();
    let step = 0;
    let voiced = 0;
    for (let s = -200; s < d.length && step < 198; s += 300, step += 2) {
      kernels.pair(d, energy, s, s + 160, step);
      for (const [part, row] of [[0, kernels.nccfA], [1, kernels.nccfB]] as const) {
        const want = referenceMeasure(row);
        expect(bitsOf(kernelCandidates(kernels, step + part))).toEqual(bitsOf(want));
        if (want.count > 1) voiced++;
      }
    }
    expect(voiced).toBeGreaterThan(100);
    // Rows written directly: more than five peaks, equal strengths, flat tops, values above 1, negatives and zeros.
    const u = noise(40 * (LAG_MAX + 2), 4);
    let full = 0;
    for (let r = 0; r < 40; r++) {
      const row = kernels.nccfA;
      for (let lag = 0; lag < row.length; lag++) {
        const v = u[r * (LAG_MAX + 2) + lag];
        row[lag] = r % 4 === 0 ? Math.round(v * 4) / 4 : r % 4 === 1 ? 1.2 * Math.abs(v) : r % 4 === 2 ? (lag % 7 === 3 ? 0.8 : 0.1 * v) : v;
      }
      kernels.peaks(r, false);
      const want = referenceMeasure(row);
      expect(bitsOf(kernelCandidates(kernels, r))).toEqual(bitsOf(want));
      if (want.count === PITCH_CANDIDATES) full++;
    }
    expect(full).toBeGreaterThan(20);
  });
});
