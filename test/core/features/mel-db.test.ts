// mel.ts's dB of the band energies in WebAssembly (fft.wat "dbRow") against the JavaScript loop it replaced
// (toDb), kept here as the reference: every f32 value and the returned maximum must be bit-identical.
import { describe, expect, it } from 'vitest';
import { dbRow, featureKernels } from '../../../src/core/dsp/fft.js';

const AMIN = 1e-10;
const DB_PER_NEPER = 10 / Math.LN10;

/** mel.ts's toDb before the kernel, unchanged. */
function referenceToDb(e: Float64Array, n: number, out: Float32Array, at: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const db = DB_PER_NEPER * Math.log(Math.max(e[i], AMIN));
    out[at + i] = db;
    if (db > max) max = db;
  }
  return max;
}

const CAP = 6000;
const E_AT = featureKernels.region(8 * CAP);
const OUT_AT = featureKernels.region(4 * CAP);

function kernelDb(e: Float64Array): { db: Float32Array; max: number } {
  new Float64Array(featureKernels.buffer, E_AT, e.length).set(e);
  const max = dbRow(E_AT, e.length, AMIN, DB_PER_NEPER, OUT_AT);
  return { db: new Float32Array(featureKernels.buffer, OUT_AT, e.length).slice(), max };
}

/** Energies of every kind a band sum can be: powers of speech-like spectra, zeros, values at and under AMIN, near 1 and powers of two. */
function energies(n: number, seed: number): Float64Array {
  const e = new Float64Array(n);
  let s = seed;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const special = [0, AMIN, AMIN * 0.999, AMIN * 1.001, 1, 1 + 2 ** -30, 1 - 2 ** -40, 2, 0.5, 1024, 5e-324, 2.2250738585072014e-308, 1e300];
  for (let i = 0; i < n; i++) {
    const r = next();
    e[i] = r < 0.1 ? special[Math.floor(next() * special.length)] : 10 ** (24 * next() - 14) * (1 + next());
  }
  return e;
}

const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe('dbRow (WebAssembly) against mel.ts toDb', () => {
  it.each([0, 1, 2, 3, 40, 41, 5120, 5999])('is bit-identical on %i energies, maximum included', (n) => {
    for (let seed = 1; seed <= 4; seed++) {
      const e = energies(n, seed * 7919 + n);
      const want = new Float32Array(n);
      const wantMax = referenceToDb(e, n, want, 0);
      const got = kernelDb(e);
      expect(bits(got.db).equals(bits(want))).toBe(true);
      expect(Object.is(got.max, wantMax)).toBe(true);
    }
  });

  it('finds the maximum wherever it is (each lane, the odd last value)', () => {
    for (const n of [5, 6]) {
      for (let at = 0; at < n; at++) {
        const e = new Float64Array(n).fill(1e-3);
        e[at] = 7;
        const { max } = kernelDb(e);
        expect(max).toBe(referenceToDb(e, n, new Float32Array(n), 0));
      }
    }
  });
});
