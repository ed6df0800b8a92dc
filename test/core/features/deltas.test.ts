import { describe, expect, it } from 'vitest';
import { deltas } from '../../../src/core/features/deltas.js';

const ramp = (n: number, slope: number, offset = 3): Float32Array => Float32Array.from({ length: n }, (_, t) => offset + slope * t);

describe('deltas', () => {
  it('of a linear ramp is its slope in every frame, edges included', () => {
    for (const width of [9, 5]) {
      const d = deltas(ramp(40, 0.5), 1, 40, width);
      for (const v of d) expect(v).toBeCloseTo(0.5, 5);
    }
  });

  it('of a ramp shorter than the window (0.3 s input, few frames) is still its slope', () => {
    for (const n of [2, 3, 5, 8]) {
      for (const v of deltas(ramp(n, -2), 1, n)) expect(v).toBeCloseTo(-2, 5);
    }
  });

  it('is zero for a constant, for a single frame and for no frames', () => {
    expect(Array.from(deltas(new Float32Array(20).fill(7), 1, 20)).every((v) => v === 0)).toBe(true);
    expect(Array.from(deltas(Float32Array.of(5), 1, 1))).toEqual([0]);
    expect(deltas(new Float32Array(0), 3, 0)).toHaveLength(0);
  });

  it('treats each row separately', () => {
    const n = 30;
    const x = new Float32Array(2 * n);
    x.set(ramp(n, 1), 0);
    x.set(ramp(n, -3), n);
    const d = deltas(x, 2, n);
    for (let t = 0; t < n; t++) {
      expect(d[t]).toBeCloseTo(1, 5);
      expect(d[n + t]).toBeCloseTo(-3, 5);
    }
  });

  it('of a parabola is its derivative in the interior (the regression is exact for degree 2)', () => {
    const n = 30;
    const x = Float32Array.from({ length: n }, (_, t) => 0.1 * t * t);
    const d = deltas(x, 1, n);
    for (let t = 4; t < n - 4; t++) expect(d[t]).toBeCloseTo(0.2 * t, 4);
  });

  it('delta of delta of a parabola is its second derivative', () => {
    const n = 40;
    const x = Float32Array.from({ length: n }, (_, t) => 0.1 * t * t);
    const dd = deltas(deltas(x, 1, n), 1, n);
    for (let t = 8; t < n - 8; t++) expect(dd[t]).toBeCloseTo(0.2, 4);
  });

  it('gives the 9-frame deltas bit for bit as the JavaScript sum (rows copied in together, or a long row in segments)', () => {
    let seed = 17;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    // 9 frames (one interior frame), odd and even counts, 40 rows of a typical clip, and a row longer than a segment.
    for (const [rows, frames] of [[3, 9], [40, 234], [20, 235], [7, 1000], [2, 4097], [1, 9000]]) {
      const x = Float32Array.from({ length: rows * frames }, () => next() * 100 - 50);
      const got = deltas(x, rows, frames);
      for (let r = 0; r < rows; r++) {
        const o = r * frames;
        const at = (t: number) => {
          let s = 0;
          for (let n = 1; n <= 4; n++) s += n * (x[o + t + n] - x[o + t - n]);
          return Math.fround(s / 60);
        };
        for (let t = 0; t < frames; t++) {
          const want = at(Math.min(frames - 5, Math.max(4, t)));
          if (!Object.is(got[o + t], want)) expect([rows, frames, r, t, got[o + t]]).toEqual([rows, frames, r, t, want]);
        }
      }
    }
  });
});
