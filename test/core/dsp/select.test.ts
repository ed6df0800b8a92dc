import { describe, expect, it } from 'vitest';
import { hasNaN, percentileOf, rankOf } from '../../../src/core/dsp/select.js';
import { percentileSorted } from '../../../src/core/features/stats.js';

/** Deterministic arrays: spread values, few distinct values (many ties), zeros of both signs, sorted and reversed runs. */
function arrays(): Float64Array[] {
  let s = 99;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: Float64Array[] = [];
  for (const n of [1, 2, 3, 5, 8, 31, 100, 301, 1000]) {
    out.push(Float64Array.from({ length: n }, () => rand() * 200 - 100));
    out.push(Float64Array.from({ length: n }, () => Math.floor(rand() * 4) - 2));
    out.push(Float64Array.from({ length: n }, () => [0, -0, 1, -1, -0][Math.floor(rand() * 5)]));
    out.push(Float64Array.from({ length: n }, () => (rand() < 0.5 ? -0 : 0)));
    out.push(Float64Array.from({ length: n }, (_, i) => i));
    out.push(Float64Array.from({ length: n }, (_, i) => n - i));
  }
  return out;
}

const same = (a: number, b: number) => Object.is(a, b);

describe('order statistics by selection', () => {
  it('rankOf gives every rank as the sorted array holds it, −0 and +0 included', () => {
    for (const a of arrays()) {
      const sorted = a.slice().sort();
      const work = a.slice();
      for (let k = 0; k < a.length; k++) expect(same(rankOf(work, a.length, k), sorted[k]), `rank ${k} of ${a.length}`).toBe(true);
      // Fresh copies too (each rank from the original order).
      for (const k of [0, a.length >> 1, a.length - 1]) expect(same(rankOf(a.slice(), a.length, k), sorted[k])).toBe(true);
    }
  });

  it('percentileOf equals percentileSorted on the sorted copy bit for bit, several percentiles on one array', () => {
    for (const a of arrays()) {
      const sorted = a.slice().sort();
      const work = a.slice();
      for (const q of [0.9, 0.1, 0.5, 0.95, 0, 1, 0.37]) {
        expect(same(percentileOf(work, a.length, q), percentileSorted(sorted, a.length, q)), `q ${q} of ${a.length}`).toBe(true);
      }
    }
    expect(percentileOf(new Float64Array(0), 0, 0.5)).toBe(0);
  });

  it('hasNaN finds a NaN (callers then sort, as selection cannot rank it)', () => {
    expect(hasNaN(Float64Array.of(1, NaN, 2), 3)).toBe(true);
    expect(hasNaN(Float64Array.of(1, 2, NaN), 2)).toBe(false);
  });
});
