import { describe, expect, it } from 'vitest';
import { compile, FRAME_DIMS, frameMixtureFeatures, frameVectors, posteriors } from '../../../src/core/features/frame-mixture.js';
import { FRAME_MIXTURE } from '../../../src/core/features/frame-mixture-table.js';
import { N_FRAME_OCCUPANCY, N_MFCC } from '../../../src/core/features/spec.js';
import { rng } from '../../../src/core/model/random.js';
import { fitMixture } from '../../../scripts/fit-frame-mixture.js';

/** Standard normal draws (Box–Muller) from a seeded generator. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

describe('frame mixture (f10)', () => {
  it('the fit finds two well-separated groups of frames, their shares, centres and spreads', () => {
    const rand = rng(3);
    const n = 3000;
    const x = new Float64Array(n * FRAME_DIMS);
    for (let i = 0; i < n; i++) {
      const second = i % 10 < 3; // 30 %
      for (let d = 0; d < FRAME_DIMS; d++) x[i * FRAME_DIMS + d] = (second ? 8 : -2) + (second ? 0.5 : 2) * normal(rand);
    }
    const { mixture } = fitMixture(x, 2, 1, 30);
    const big = mixture.weights[0] > mixture.weights[1] ? 0 : 1;
    expect(mixture.weights[big]).toBeCloseTo(0.7, 2);
    for (let d = 0; d < FRAME_DIMS; d++) {
      expect(mixture.means[big * FRAME_DIMS + d]).toBeCloseTo(-2, 0);
      expect(mixture.means[(1 - big) * FRAME_DIMS + d]).toBeCloseTo(8, 0);
      expect(Math.sqrt(mixture.variances[big * FRAME_DIMS + d])).toBeCloseTo(2, 0);
      expect(Math.sqrt(mixture.variances[(1 - big) * FRAME_DIMS + d])).toBeCloseTo(0.5, 1);
    }
  });

  it('the shipped table has the size the spec names', () => {
    expect(FRAME_MIXTURE.weights).toHaveLength(N_FRAME_OCCUPANCY);
    expect(FRAME_MIXTURE.means).toHaveLength(N_FRAME_OCCUPANCY * FRAME_DIMS);
    expect(FRAME_MIXTURE.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    for (const v of FRAME_MIXTURE.variances) expect(v).toBeGreaterThan(0);
  });

  it('occupancy is the log share of the frames each Gaussian holds: the shares sum to one', () => {
    // Frames at two of the mixture's own centres: each Gaussian's share is where its frames are.
    const at = (k: number) => FRAME_MIXTURE.means.slice(k * FRAME_DIMS, (k + 1) * FRAME_DIMS);
    const v = Float64Array.from([...at(3), ...at(3), ...at(3), ...at(17)]);
    const features = frameMixtureFeatures(v);
    const occ = features.subarray(0, N_FRAME_OCCUPANCY);
    expect(occ).toHaveLength(N_FRAME_OCCUPANCY);
    const share = Array.from(occ, (o) => Math.exp(o) - 1e-4);
    expect(share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(share[3]).toBeGreaterThan(0.6);
    expect(share[17]).toBeGreaterThan(0.2);
    expect(Math.max(...occ)).toBe(occ[3]);
    // Gaussian 3's frames sit on its centre: its offsets are ~0. Gaussian 17 holds a quarter at its own centre.
    const offsets = (k: number) => features.subarray(N_FRAME_OCCUPANCY + k * FRAME_DIMS, N_FRAME_OCCUPANCY + (k + 1) * FRAME_DIMS);
    for (const o of offsets(3)) expect(Math.abs(o)).toBeLessThan(0.2);
    for (const o of offsets(17)) expect(Math.abs(o)).toBeLessThan(0.2);
  });

  it('offsets: frames 0.1 σ above a centre read as 0.1·√share there, in every dimension', () => {
    const near = (k: number) => Array.from({ length: FRAME_DIMS }, (_, d) => FRAME_MIXTURE.means[k * FRAME_DIMS + d] + 0.1 * Math.sqrt(FRAME_MIXTURE.variances[k * FRAME_DIMS + d]));
    const featuresAt = (k: number) => frameMixtureFeatures(Float64Array.from([...near(k), ...near(k)]));
    // The Gaussian that holds its own neighbourhood best (they overlap: not every one does).
    const k = Array.from({ length: N_FRAME_OCCUPANCY }, (_, j) => j).reduce((a, b) => (featuresAt(b)[b] > featuresAt(a)[a] ? b : a));
    const features = featuresAt(k);
    const share = Math.exp(features[k]) - 1e-4;
    expect(share).toBeGreaterThan(0.9);
    for (let d = 0; d < FRAME_DIMS; d++) expect(features[N_FRAME_OCCUPANCY + k * FRAME_DIMS + d]).toBeCloseTo(0.1 * Math.sqrt(share), 2);
  });

  it('no frames: every share is zero, a finite floor; no offsets', () => {
    const features = frameMixtureFeatures(new Float64Array(0));
    expect(features).toHaveLength(N_FRAME_OCCUPANCY + N_FRAME_OCCUPANCY * FRAME_DIMS);
    for (const o of features.subarray(0, N_FRAME_OCCUPANCY)) expect(o).toBeCloseTo(Math.log(1e-4), 10);
    for (const o of features.subarray(N_FRAME_OCCUPANCY)) expect(o).toBe(0);
  });

  it('a channel (the same cepstral offset on every frame) does not move the frame vectors; the level c0 is not in them', () => {
    const frames = 50;
    const rand = rng(9);
    const c = Float32Array.from({ length: N_MFCC * frames }, () => 10 * normal(rand));
    const d = Float32Array.from({ length: N_MFCC * frames }, () => normal(rand));
    const shifted = c.map((v, i) => v + (Math.floor(i / frames) === 0 ? 40 : 3 * Math.floor(i / frames)));
    const selected = Int32Array.from({ length: 25 }, (_, i) => 2 * i);
    const a = frameVectors(c, d, frames, selected);
    const b = frameVectors(shifted, d, frames, selected);
    expect(a).toHaveLength(25 * FRAME_DIMS);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 3);
    // The deltas are passed through as they are.
    expect(a[FRAME_DIMS - 1]).toBe(d[(N_MFCC - 1) * frames + 0]);
  });

  it('the WebAssembly kernel gives the bits of posteriors() in JavaScript, frames far from every centre too', () => {
    const rand = rng(21);
    const at = (k: number) => FRAME_MIXTURE.means.slice(k * FRAME_DIMS, (k + 1) * FRAME_DIMS);
    const frames: number[] = [];
    for (let i = 0; i < 400; i++) frames.push(...at(i % N_FRAME_OCCUPANCY).map((m, d) => m + 3 * normal(rand) * Math.sqrt(FRAME_MIXTURE.variances[(i % N_FRAME_OCCUPANCY) * FRAME_DIMS + d])));
    for (let i = 0; i < 5; i++) frames.push(...Array.from({ length: FRAME_DIMS }, () => 400 * normal(rand))); // posteriors of exactly 0 and 1
    const v = Float64Array.from(frames);
    const n = v.length / FRAME_DIMS, k = N_FRAME_OCCUPANCY;
    // The reference: the plain loops (what the features were before the kernel, and what the mixture's fit runs).
    const g = compile(FRAME_MIXTURE);
    const share = new Float64Array(k), weighted = new Float64Array(k * FRAME_DIMS);
    posteriors(g, v, share, (i, post) => {
      for (let j = 0; j < k; j++) if (post[j] !== 0) for (let d = 0; d < FRAME_DIMS; d++) weighted[j * FRAME_DIMS + d] += post[j] * v[i * FRAME_DIMS + d];
    });
    const want = new Float64Array(k + k * FRAME_DIMS);
    for (let j = 0; j < k; j++) want[j] = Math.log(share[j] / n + 1e-4);
    for (let j = 0; j < k; j++) for (let d = 0; d < FRAME_DIMS; d++) {
      const nk = share[j] + 1e-6, at2 = j * FRAME_DIMS + d;
      want[k + at2] = ((weighted[at2] / nk - g.means[at2]) * Math.sqrt(g.precision[at2])) * Math.sqrt(nk / n);
    }
    expect(Buffer.from(frameMixtureFeatures(v).buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });
});
