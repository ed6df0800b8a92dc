import { describe, expect, it } from 'vitest';
import { FRAME_SECONDS } from '../../../src/core/features/frames.js';
import type { Functional } from '../../../src/core/features/spec.js';
import { momentsOf, percentileSorted, selectFrames, summarize, summarizeFrom } from '../../../src/core/features/stats.js';

const ALL: Functional[] = ['mean', 'std', 'p10', 'p50', 'p90', 'range', 'slope'];

function summary(values: number[], frames?: number[]): Record<Functional, number> {
  const out = new Float32Array(ALL.length);
  summarize(Float32Array.from(values), Int32Array.from(frames ?? values.map((_, i) => i)), ALL, out, 0);
  return Object.fromEntries(ALL.map((f, i) => [f, out[i]])) as Record<Functional, number>;
}

describe('summarize', () => {
  it('computes mean, population std, numpy-style percentiles, range and slope per second', () => {
    // 0, 1, …, 10 over 11 frames: slope 1 per frame = 1 / FRAME_SECONDS per second.
    const s = summary(Array.from({ length: 11 }, (_, i) => i));
    expect(s.mean).toBeCloseTo(5, 6);
    expect(s.std).toBeCloseTo(Math.sqrt(10), 5);
    expect(s.p10).toBeCloseTo(1, 6);
    expect(s.p50).toBeCloseTo(5, 6);
    expect(s.p90).toBeCloseTo(9, 6);
    expect(s.range).toBeCloseTo(8, 6);
    expect(s.slope).toBeCloseTo(1 / FRAME_SECONDS, 3);
  });

  it('interpolates percentiles between neighbours', () => {
    const s = summary([10, 20, 30, 40]);
    expect(s.p10).toBeCloseTo(13, 5);
    expect(s.p50).toBeCloseTo(25, 5);
  });

  it('uses only the selected frames, at their own times', () => {
    // Values equal to frame index at frames 0, 5, 10; a large outlier at frame 3 is not selected.
    const values = Array.from({ length: 11 }, (_, i) => (i === 3 ? 1000 : i));
    const s = summary(values, [0, 5, 10]);
    expect(s.mean).toBeCloseTo(5, 5);
    expect(s.slope).toBeCloseTo(1 / FRAME_SECONDS, 3);
  });

  it('writes zeros for no frames and a zero slope/std for one', () => {
    expect(Object.values(summary([4, 5], []))).toEqual(new Array(ALL.length).fill(0));
    const one = summary([4, 5], [1]);
    expect(one.mean).toBe(5);
    expect(one.std).toBe(0);
    expect(one.slope).toBe(0);
    expect(one.range).toBe(0);
  });

  it('gives each percentile and the range the same bits in any order and combination (p10 and p90 are taken once)', () => {
    let seed = 9;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 50 - 25;
    const values = Float32Array.from({ length: 301 }, (_, i) => (i % 17 === 0 ? 0 : i % 23 === 0 ? -0 : rand()));
    const frames = Int32Array.from({ length: 240 }, (_, i) => (i * 5) % 301);
    // The reference reads the sorted copy, as summarize() did before it selected ranks.
    const sortedSel = Float64Array.from(frames, (t) => values[t]).sort();
    const p = (q: number) => percentileSorted(sortedSel, sortedSel.length, q);
    const alone = (f: Functional) => Math.fround(f === 'p10' ? p(0.1) : f === 'p50' ? p(0.5) : f === 'p90' ? p(0.9) : p(0.9) - p(0.1));
    const combos: Functional[][] = [['range'], ['p90', 'range'], ['range', 'p10'], ['p10', 'p90', 'range'], ['range', 'p50', 'p90', 'p10'], ['p10', 'p50', 'p90', 'range']];
    for (const combo of combos) {
      const out = new Float32Array(combo.length);
      summarize(values, frames, combo, out, 0);
      combo.forEach((f, i) => expect(Object.is(out[i], alone(f)), `${combo.join(',')}: ${f}`).toBe(true));
    }
  });

  it('writes at the given offset in the given order only', () => {
    const out = new Float32Array(5).fill(-1);
    summarize(Float32Array.of(1, 3), Int32Array.of(0, 1), ['std', 'mean'], out, 2);
    expect(Array.from(out)).toEqual([-1, -1, 1, 2, -1]);
  });
});

describe('momentsOf', () => {
  it('gives summarize() the same numbers bit for bit, for 1 to 9 tracks (four at a time and the rest)', () => {
    let seed = 5;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 200 - 100;
    const frames = Int32Array.from({ length: 517 }, (_, i) => i * 2 + (i % 3));
    for (let count = 1; count <= 9; count++) {
      const tracks = Array.from({ length: count + 2 }, () => Float32Array.from({ length: 1600 }, rand));
      const slots = Int32Array.from({ length: count }, (_, k) => (k * 5) % tracks.length);
      const mean = new Float64Array(count + 3);
      const sq = new Float64Array(count + 3);
      momentsOf(tracks, slots, frames, mean, sq);
      for (let k = 0; k < count; k++) {
        const want = new Float32Array(ALL.length);
        const got = new Float32Array(ALL.length);
        summarize(tracks[slots[k]], frames, ALL, want, 0);
        summarizeFrom(tracks[slots[k]], frames, ALL, mean[k], sq[k], got, 0);
        expect(got).toEqual(want);
      }
    }
  });
});

describe('helpers', () => {
  it('percentileSorted handles the ends and an empty array', () => {
    const s = Float64Array.of(1, 2, 3);
    expect(percentileSorted(s, 3, 0)).toBe(1);
    expect(percentileSorted(s, 3, 1)).toBe(3);
    expect(percentileSorted(s, 0, 0.5)).toBe(0);
  });

  it('selectFrames lists the set positions', () => {
    expect(Array.from(selectFrames(Uint8Array.of(0, 1, 1, 0, 1)))).toEqual([1, 2, 4]);
    expect(selectFrames(Uint8Array.of(0, 0))).toHaveLength(0);
  });
});

/** stats.ts's moments4() before the kernel, unchanged but one track at a time (each sum is its own chain). */
function referenceMoments(a: Float32Array, frames: Int32Array): [number, number] {
  const n = frames.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[frames[i]];
  const m = s / n;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const d = a[frames[i]] - m;
    q += d * d;
  }
  return [m, q];
}

describe('momentsOf in WebAssembly', () => {
  it('gives the old JavaScript\'s means and squared deviations bit for bit: 1 to 250 tracks, any frame list (repeats, one frame, none), level-like values', () => {
    let seed = 9;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    // Odd lengths and counts too: the means' place after the rows must still be 8-byte aligned.
    for (const [count, len, n] of [[1, 10, 1], [3, 1601, 517], [250, 400, 300], [7, 51, 0], [5, 20_000, 15_000], [3, 333, 97]]) {
      const tracks = Array.from({ length: count }, (_, k) => Float32Array.from({ length: len }, () => (k % 3 ? (rand() - 0.5) * 10 ** ((k % 7) - 3) : -60 + 40 * rand())));
      const slots = Int32Array.from({ length: count }, (_, k) => (k * 7) % count);
      const frames = Int32Array.from({ length: n }, () => Math.floor(rand() * len));
      const mean = new Float64Array(count);
      const sq = new Float64Array(count);
      momentsOf(tracks, slots, frames, mean, sq);
      for (let k = 0; k < count; k++) {
        const [m, q] = referenceMoments(tracks[slots[k]], frames);
        expect(Object.is(mean[k], m) && Object.is(sq[k], q), `track ${k} of ${count}`).toBe(true);
      }
    }
  });
});

