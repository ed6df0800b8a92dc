import { describe, expect, it } from 'vitest';
import { Reused } from '../../../src/core/dsp/reuse.js';

describe('Reused', () => {
  it('hands out views of one buffer, growing it when a longer one is asked for', () => {
    const r = new Reused((n) => new Float64Array(n), 100);
    const a = r.take(10);
    a.fill(7);
    const b = r.take(5);
    expect(b).toHaveLength(5);
    expect(b.buffer).toBe(a.buffer);
    expect(Array.from(b)).toEqual([7, 7, 7, 7, 7]);
    const c = r.take(50);
    expect(c).toHaveLength(50);
    expect(c.buffer).not.toBe(a.buffer);
    expect(r.take(20).buffer).toBe(c.buffer);
  });

  it('returns a fresh array beyond maxLength and keeps the buffer it had', () => {
    const r = new Reused((n) => new Float32Array(n), 100);
    const kept = r.take(100);
    const big = r.take(101);
    expect(big).toHaveLength(101);
    expect(big.buffer).not.toBe(kept.buffer);
    expect(r.take(30).buffer).toBe(kept.buffer);
  });
});
