// extract.ts's analysis floor in WebAssembly (fft.wat "noiseFloor") against the JavaScript loop it replaced,
// kept here as the reference: every sample must be bit-identical, across the kernel's chunk seams.
import { describe, expect, it } from 'vitest';
import { addFloorInto, NOISE_FLOOR_DB } from '../../../src/core/features/extract.js';

/** extract.ts's addFloorInto before the kernel, unchanged. */
function referenceFloor(out: Float32Array, x: Float32Array, shift: number, scale: number): Float32Array {
  const sigma = 10 ** (NOISE_FLOOR_DB / 20) * Math.sqrt(6);
  let s = 0x2545f491;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u1 = s / 4294967296;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.fround((x[i] - shift) * scale) + sigma * (u1 + s / 4294967296 - 1);
  }
  return out;
}

function signal(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    x[i] = 0.6 * Math.sin(i * 0.013 * (1 + (seed % 7))) + (s / 2 ** 32 - 0.5) * 0.2;
  }
  return x;
}

const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe('addFloorInto (WebAssembly) against the JavaScript reference', () => {
  // Lengths around the 4-sample SIMD step and the 16384-sample chunk.
  const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 1000, 16383, 16384, 16385, 16388, 32768 + 3, 60_001];
  it.each(lengths)('is bit-identical on %i samples', (n) => {
    const x = signal(n, n + 11);
    for (const [shift, scale] of [[0, 1], [0.0123, 7.31], [-0.2, 1e-3], [1 / 3, 123.456]]) {
      const want = referenceFloor(new Float32Array(n), x, shift, scale);
      const got = addFloorInto(new Float32Array(n).fill(NaN), x, shift, scale);
      expect(bits(got).equals(bits(want))).toBe(true);
    }
  });

  it('gives the noise alone for digital silence (scale 0), the sign of zero included', () => {
    const x = new Float32Array(20_003).fill(-0.25);
    const want = referenceFloor(new Float32Array(x.length), x, 0, 0);
    expect(bits(addFloorInto(new Float32Array(x.length), x, 0, 0)).equals(bits(want))).toBe(true);
    expect(want.some((v) => v !== 0)).toBe(true);
  });

  it('leaves its input alone and may write into a view of a larger array', () => {
    const x = signal(5000, 3);
    const copy = x.slice();
    const big = new Float32Array(6000).fill(9);
    addFloorInto(big.subarray(0, 5000), x, 0.01, 2);
    expect(bits(x).equals(bits(copy))).toBe(true);
    expect(bits(big.subarray(0, 5000)).equals(bits(referenceFloor(new Float32Array(5000), x, 0.01, 2)))).toBe(true);
    expect(big[5000]).toBe(9);
  });
});
