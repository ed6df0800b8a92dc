import { describe, expect, it } from 'vitest';
import { BLOCK, blockCrossings, blockPowers, frameDb, moments } from '../../../src/core/dsp/signal-passes.js';

/** Deterministic signals: noise, a tone with a DC offset, a quiet one with exact zeros and −0, sparse clicks. */
function signals(): Float32Array[] {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  // Lengths around the blocks (32, 80) and the 40,960-sample chunks, so the chunk seams are crossed.
  const lengths = [0, 1, 31, 32, 33, 79, 80, 81, 160, 1000, 16_000, 40_959, 40_960, 40_961, 81_920 + 17, 123_457];
  const out: Float32Array[] = [];
  lengths.forEach((n, k) => {
    out.push(Float32Array.from({ length: n }, rand));
    out.push(Float32Array.from({ length: n }, (_, i) => 0.3 + 0.5 * Math.sin(i * (0.01 + k * 0.003))));
    out.push(Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : 1e-4 * rand())));
    out.push(Float32Array.from({ length: n }, (_, i) => (i % 997 === 3 ? -0.9 : i % 1999 === 5 ? 0.8 : 0)));
  });
  return out;
}

describe('signal passes in WebAssembly, bit for bit as the JavaScript loops they replace', () => {
  const xs = signals();

  it('moments: Σx, Σx² in sample order and max |x|', () => {
    for (const x of xs) {
      let sum = 0;
      let sq = 0;
      let peak = 0;
      for (let i = 0; i < x.length; i++) {
        sum += x[i];
        sq += x[i] * x[i];
        peak = Math.max(peak, Math.abs(x[i]));
      }
      expect(Array.from(moments(x))).toEqual([sum, sq, peak]);
    }
  });

  it('blockPowers: Σ fround(x − shift)² per 32-sample block (the last short)', () => {
    for (const x of xs) {
      for (const shift of [0, 0.3 + 1e-9, -1e-5]) {
        const want = new Float64Array(Math.ceil(x.length / BLOCK));
        for (let b = 0; b < want.length; b++) {
          let s = 0;
          for (let i = b * BLOCK; i < Math.min(x.length, (b + 1) * BLOCK); i++) {
            const v = Math.fround(x[i] - shift);
            s += v * v;
          }
          want[b] = s;
        }
        expect(blockPowers(x, shift, new Float64Array(want.length))).toEqual(want);
      }
    }
  });

  it('blockCrossings: sign changes per block, the first sample against a non-negative one', () => {
    for (const x of xs) {
      const want = new Float64Array(Math.ceil(x.length / BLOCK));
      let negative = 0;
      for (let b = 0; b < want.length; b++) {
        let count = 0;
        for (let i = b * BLOCK; i < Math.min(x.length, (b + 1) * BLOCK); i++) {
          const neg = x[i] < 0 ? 1 : 0;
          count += neg ^ negative;
          negative = neg;
        }
        want[b] = count;
      }
      expect(blockCrossings(x, new Float64Array(want.length))).toEqual(want);
    }
  });

  it('frameDb: the VAD\'s frame levels of 5-ms blocks at 16, 44.1, 48 and 384 kHz (and blocks of 1), with its old JavaScript (Σx, Σx² per block, then per frame, 10·log10) as the reference', () => {
    // Besides the signals above: a constant (power rounds to ±tiny or 0), one below −120 dB, and one at −120 dB.
    const extra = [new Float32Array(50_000).fill(0.3), Float32Array.from({ length: 50_000 }, (_, i) => 1e-7 * Math.sin(i)), Float32Array.from({ length: 50_000 }, (_, i) => 1.4142135e-6 * Math.sin(i * 0.7))];
    let silent = 0;
    let levels = 0;
    for (const x of [...xs, ...extra]) {
      for (const len of [80, 221, 240, 1920, 1]) {
        const blocks = Math.min(Math.floor(x.length / len), 20_000);
        const count = blocks >= 5 ? Math.floor((blocks - 5) / 2) + 1 : 0;
        const sum = new Float64Array(blocks);
        const sumSq = new Float64Array(blocks);
        for (let b = 0; b < blocks; b++) {
          for (let i = b * len; i < (b + 1) * len; i++) {
            sum[b] += x[i];
            sumSq[b] += x[i] * x[i];
          }
        }
        const want = new Float64Array(count);
        const n = 5 * len;
        for (let f = 0; f < count; f++) {
          let s = 0;
          let s2 = 0;
          for (let b = f * 2, end = b + 5; b < end; b++) {
            s += sum[b];
            s2 += sumSq[b];
          }
          const mean = s / n;
          const power = Math.max(0, s2 / n - mean * mean);
          want[f] = power > 0 ? Math.max(-120, 10 * Math.log10(power)) : -120;
          if (want[f] === -120) silent++;
          else levels++;
        }
        const got = new Float64Array(count).fill(7);
        frameDb(x, len, 5, 2, -120, got);
        expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      }
    }
    expect(silent).toBeGreaterThan(1000);
    expect(levels).toBeGreaterThan(100_000);
  });
});
