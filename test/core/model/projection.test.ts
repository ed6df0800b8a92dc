import { describe, expect, it } from 'vitest';
import { fitProjection, Projector } from '../../../src/core/model/projection.js';
import { PROJECTION_WASM } from '../../../src/core/model/projection-wasm.js';
import { rng } from '../../../src/core/model/random.js';

/** Standard normal draws (Box–Muller) from a seeded generator. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/**
 * Rows of `lead` plain features, then a block of p whose variance lies along two known directions (spreads 5 and 2)
 * plus a little isotropic noise (0.1), centred at 3.
 */
function rows(n: number, lead: number, p: number, seed: number): { rows: Float32Array[]; u: Float64Array; v: Float64Array } {
  const rand = rng(seed);
  const u = Float64Array.from({ length: p }, (_, j) => (j % 3 === 0 ? 1 : 0));
  const v = Float64Array.from({ length: p }, (_, j) => (j % 3 === 1 ? 1 : -0.2));
  const unit = (a: Float64Array) => { const s = Math.hypot(...a); return a.map((x) => x / s); };
  const U = unit(u), V = unit(v.map((x, j) => x - U[j] * U.reduce((s, y, i) => s + y * v[i], 0)));
  const out = Array.from({ length: n }, () => {
    const a = 5 * normal(rand), b = 2 * normal(rand);
    return Float32Array.from({ length: lead + p }, (_, j) => (j < lead ? rand() : 3 + a * U[j - lead] + b * V[j - lead] + 0.1 * normal(rand)));
  });
  return { rows: out, u: U, v: V };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, n: number, at = 0) => { let s = 0; for (let j = 0; j < n; j++) s += a[at + j] * b[j]; return s; };

describe('projection (the frame offsets reduced to their principal axes)', () => {
  it('finds the block\'s principal axes in order, with the share of variance they hold', () => {
    const p = 37; // odd: the kernels' pair loops end with a single column
    const { rows: x, u, v } = rows(403, 4, p, 1); // 403 rows: the last block of eight is short
    const fitted = fitProjection(x, 4, 3, 11);
    // Axis c as a row: loadings[j·k + c].
    const components = Float64Array.from({ length: 3 * p }, (_, i) => fitted.loadings[(i % p) * 3 + Math.floor(i / p)]);
    expect(fitted.mean).toHaveLength(p);
    for (const m of Array.from(fitted.mean)) expect(m).toBeCloseTo(3, 0);
    expect(Math.abs(dot(components, u, p))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(components, v, p, p))).toBeGreaterThan(0.99);
    // Unit length, orthogonal, each axis's largest loading positive.
    for (let c = 0; c < 3; c++) {
      const axis = components.slice(c * p, (c + 1) * p);
      expect(dot(axis, axis, p)).toBeCloseTo(1, 9);
      expect(Math.max(...axis)).toBeGreaterThanOrEqual(-Math.min(...axis));
    }
    expect(dot(components, components.slice(p, 2 * p), p)).toBeCloseTo(0, 9);
    // Spreads 25 and 4 against 37 × 0.01 of noise: two axes hold ~98.7 %, three a little more.
    expect(fitted.explained).toBeGreaterThan(0.98);
    expect(fitted.explained).toBeLessThan(1);
  });

  it('is the same bits for the same rows and seed', () => {
    const { rows: x } = rows(120, 2, 20, 2);
    const a = fitProjection(x, 2, 4, 7), b = fitProjection(x, 2, 4, 7);
    expect(Buffer.from(Float64Array.from(a.loadings).buffer).equals(Buffer.from(Float64Array.from(b.loadings).buffer))).toBe(true);
  });

  it('keeps the features before the block as they are and projects the block, in order; many rows at once as one at a time', () => {
    const { rows: x } = rows(50, 5, 21, 3);
    for (const k of [4, 3]) { // an odd k: the kernel's last axis alone
      const fitted = fitProjection(x, 5, k, 1);
      const projector = new Projector(fitted);
      expect(projector.width).toBe(5 + k);
      const one = projector.project(x[7]);
      expect(one).toHaveLength(5 + k);
      expect([...one.subarray(0, 5)]).toEqual([...x[7].subarray(0, 5)]);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < 21; j++) s += (x[7][5 + j] - fitted.mean[j]) * fitted.loadings[j * k + c];
        expect(one[5 + c]).toBe(Math.fround(s));
      }
      const flat = new Float32Array(50 * 26);
      x.forEach((r, i) => flat.set(r, i * 26));
      const all = projector.projectAll(flat, 50, 26);
      x.forEach((r, i) => expect([...all.subarray(i * (5 + k), (i + 1) * (5 + k))]).toEqual([...projector.project(r)]));
      // Only some rows (a fold's own): those the same, the others zero.
      const some = projector.projectAll(flat, 50, 26, [3, 7, 40]);
      x.forEach((_, i) => expect([...some.subarray(i * (5 + k), (i + 1) * (5 + k))]).toEqual([3, 7, 40].includes(i) ? [...all.subarray(i * (5 + k), (i + 1) * (5 + k))] : new Array(5 + k).fill(0)));
      // And again one at a time after the many: the instance's memory grew, its answers did not change.
      expect([...projector.project(x[7])]).toEqual([...one]);
    }
  });

  it('refuses too few rows or more axes than the block has', () => {
    const { rows: x } = rows(10, 1, 6, 4);
    expect(() => fitProjection(x.slice(0, 1), 1, 2, 1)).toThrow(/at least two rows/);
    expect(() => fitProjection(x, 1, 7, 1)).toThrow();
    const projector = new Projector(fitProjection(x, 1, 2, 1));
    expect(() => projector.projectAll(new Float32Array(10 * 8), 10, 8)).toThrow(/does not fit/);
    expect(() => projector.project(new Float32Array(6))).toThrow(/does not fit/);
  });

  it('fewer rows than axes asked for: at most rows − 1 axes, orthonormal, holding at most all of the variance', () => {
    const { rows: x } = rows(20, 0, 100, 5);
    const fitted = fitProjection(x, 0, 64, 1);
    const k = fitted.loadings.length / 100;
    expect(k).toBe(19);
    expect(fitted.explained).toBeLessThanOrEqual(1 + 1e-9);
    expect(fitted.explained).toBeGreaterThan(0.9);
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let r = 0; r < 100; r++) s += fitted.loadings[r * k + a] * fitted.loadings[r * k + b];
        expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-6);
      }
    }
  });

  it('embeds the bytes of projection.wat (npm run build:fft-wasm after editing it)', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/model/projection.wat')).toString('base64')).toBe(PROJECTION_WASM);
  });
});
