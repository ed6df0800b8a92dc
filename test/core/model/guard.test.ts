import { describe, expect, it } from 'vitest';
import { applyGuard, atypicality, chooseGuard } from '../../../src/core/model/guard.js';
import { argmax } from '../../../src/core/model/metrics.js';
import { rng } from '../../../src/core/model/random.js';

describe('out-of-distribution guard', () => {
  it('standardised features of typical rows score about 1; extreme ones far more, one broken feature capped', () => {
    const rand = rng(1);
    const z = Float64Array.from({ length: 400 }, () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand()));
    expect(atypicality(z)).toBeGreaterThan(0.9);
    expect(atypicality(z)).toBeLessThan(1.1);
    expect(atypicality(z.map((v) => v * 4))).toBeGreaterThan(3.5);
    const broken = z.slice();
    broken[0] = 1e9;
    expect(atypicality(broken)).toBeLessThan(atypicality(z) + 0.5);
  });

  it('pulls confidence toward uniform beyond the threshold, never changing the best guess', () => {
    const p = Float64Array.from([0.85, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02]);
    const guard = { above: 2 };
    expect(applyGuard(p, 1.9, guard)).toBe(p);
    expect(applyGuard(p, undefined, guard)).toBe(p);
    expect(applyGuard(p, 50, null)).toBe(p);
    const q = applyGuard(p, 4, guard);
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(argmax(q)).toBe(0);
    expect(q[0]).toBeCloseTo(0.25 * 0.85 + 0.75 / 7, 12); // twice as atypical keeps a quarter
    expect(q[0]).toBeLessThan(0.4);
  });

  it('takes its threshold from held-out speech, and none from nothing', () => {
    const held = Array.from({ length: 1000 }, (_, i) => 1 + i / 1000);
    expect(chooseGuard(held)!.above).toBeCloseTo(1.994, 3);
    expect(chooseGuard([])).toBeNull();
    expect(chooseGuard([NaN, Infinity])).toBeNull();
  });
});
