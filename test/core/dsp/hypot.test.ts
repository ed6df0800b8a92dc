import { describe, expect, it } from 'vitest';
import { hypot } from '../../../src/core/dsp/hypot.js';
import { rng } from '../../../src/core/model/random.js';

describe('hypot', () => {
  it('gives the same bits as Math.hypot(x, y): random pairs of every scale, raw bit patterns, specials', () => {
    const r = rng(11);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    const specials = [0, -0, 1, -1, 0.5, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308];
    const draw = (): number => {
      const u = r();
      if (u < 0.3) return 2 * r() - 1; // roots near the unit circle, as the formants give it
      if (u < 0.6) return (r() - 0.5) * 10 ** (80 * r() - 40);
      if (u < 0.85) {
        words[0] = (r() * 2 ** 32) >>> 0;
        words[1] = (r() * 2 ** 32) >>> 0;
        return bits[0];
      }
      return specials[Math.floor(r() * specials.length)];
    };
    let differ = 0;
    for (let i = 0; i < 400_000; i++) {
      const x = draw();
      const y = draw();
      if (!Object.is(hypot(x, y), Math.hypot(x, y))) differ++;
    }
    for (const x of specials) for (const y of specials) expect(hypot(x, y), `${x}, ${y}`).toBe(Math.hypot(x, y));
    expect(differ).toBe(0);
  });
});
