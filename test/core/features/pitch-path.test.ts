// pitch-path.ts's path through the steps' candidates (fft.wat's "pitchPath"): what it chooses, and that it chooses as
// the JavaScript it replaced (kept here as the reference) did, bit for bit.
import { describe, expect, it } from 'vitest';
import { PITCH_CANDIDATES, PitchKernels } from '../../../src/core/dsp/fft.js';
import { bestPath } from '../../../src/core/features/pitch-path.js';

const MAX_CANDIDATES = PITCH_CANDIDATES;
// pitch.ts's geometry (the path does not read it).
const kernels = new PitchKernels(512, Float64Array.of(0.5, 0.3, -0.1, 0.05, -0.03, 0.01, -0.005), {
  window: 320, span: 455, lo: 15, hi: 135, tiny: 1e-20, rate: 8000, unvoiced: 0.5, octaveCost: 0.02,
});

/** Steps given as lists of [f0, strength] peaks, the unvoiced candidate (strength 0.5) first, into the kernels. */
function candidates(steps: Array<Array<[number, number]>>): PitchKernels {
  kernels.path(steps.length);
  steps.forEach((peaks, i) => {
    kernels.count[i] = peaks.length + 1;
    kernels.candidateF0[i * MAX_CANDIDATES] = 0;
    kernels.candidateStrength[i * MAX_CANDIDATES] = 0.5;
    peaks.forEach(([f, s], j) => {
      kernels.candidateF0[i * MAX_CANDIDATES + j + 1] = f;
      kernels.candidateStrength[i * MAX_CANDIDATES + j + 1] = s;
    });
  });
  return kernels;
}

/** The path over the steps given, with `joined` flags. */
function pathOf(steps: Array<Array<[number, number]>>, joined: Uint8Array): Float64Array {
  const k = candidates(steps);
  k.joined.set(joined);
  return bestPath(k, steps.length).slice(0, steps.length);
}

/** pitch-path.ts's bestPath() before the kernel, unchanged (its candidate arrays and costs). */
function referencePath(c: { count: Uint8Array; f0: Float64Array; strength: Float64Array }, joined: Uint8Array): Float64Array {
  const transition = (a: number, b: number): number => {
    if (a > 0 && b > 0) return 0.175 * Math.abs(Math.log2(a / b));
    return a > 0 !== b > 0 ? 0.07 : 0;
  };
  const steps = c.count.length;
  const score = new Float64Array(steps * MAX_CANDIDATES);
  const from = new Int32Array(steps * MAX_CANDIDATES);
  for (let i = 0; i < steps; i++) {
    const o = i * MAX_CANDIDATES;
    const p = o - MAX_CANDIDATES;
    let bestPrev = 0;
    if (i > 0 && !joined[i]) {
      for (let k = 1; k < c.count[i - 1]; k++) if (score[p + k] > score[p + bestPrev]) bestPrev = k;
    }
    for (let j = 0; j < c.count[i]; j++) {
      let best = 0;
      let arg = bestPrev;
      if (i > 0 && joined[i]) {
        best = -Infinity;
        for (let k = 0; k < c.count[i - 1]; k++) {
          const s = score[p + k] - transition(c.f0[p + k], c.f0[o + j]);
          if (s > best) {
            best = s;
            arg = k;
          }
        }
      } else if (i > 0) {
        best = score[p + bestPrev];
      }
      score[o + j] = best + c.strength[o + j];
      from[o + j] = arg;
    }
  }
  const out = new Float64Array(steps);
  if (steps === 0) return out;
  let j = 0;
  const last = (steps - 1) * MAX_CANDIDATES;
  for (let k = 1; k < c.count[steps - 1]; k++) if (score[last + k] > score[last + j]) j = k;
  for (let i = steps - 1; i >= 0; i--) {
    out[i] = c.f0[i * MAX_CANDIDATES + j];
    j = from[i * MAX_CANDIDATES + j];
  }
  return out;
}

const joinedAll = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i > 0 ? 1 : 0));

describe('bestPath', () => {
  it('reads through an isolated octave error', () => {
    const steps: Array<Array<[number, number]>> = Array.from({ length: 9 }, () => [[200, 0.9], [100, 0.85]]);
    steps[4] = [[100, 0.93], [200, 0.88]]; // the subharmonic wins this step on its own
    expect(Array.from(pathOf(steps, joinedAll(9)))).toEqual(new Array(9).fill(200));
  });

  it('follows a sustained change of register', () => {
    const steps: Array<Array<[number, number]>> = Array.from({ length: 20 }, (_, i) =>
      i < 10 ? [[200, 0.9], [400, 0.6]] : [[400, 0.9], [200, 0.6]],
    );
    const path = pathOf(steps, joinedAll(20));
    expect(Array.from(path.subarray(0, 9))).toEqual(new Array(9).fill(200));
    expect(Array.from(path.subarray(11))).toEqual(new Array(9).fill(400));
  });

  it('chooses unvoiced where every peak is weak', () => {
    const steps: Array<Array<[number, number]>> = [[[200, 0.9]], [[200, 0.9]], [[310, 0.2]], [[150, 0.25]], [[200, 0.9]]];
    expect(Array.from(pathOf(steps, joinedAll(5)))).toEqual([200, 200, 0, 0, 200]);
  });

  it('lets a pause separate two registers without a jump cost', () => {
    // Across the gap each step picks its own best peak even though it is an octave away.
    const steps: Array<Array<[number, number]>> = [[[200, 0.9], [100, 0.8]], [[100, 0.9], [200, 0.8]]];
    expect(Array.from(pathOf(steps, Uint8Array.of(0, 0)))).toEqual([200, 100]);
    expect(Array.from(pathOf(steps, Uint8Array.of(0, 1)))).not.toEqual([200, 100]);
  });

  it('handles no steps and a single step', () => {
    expect(pathOf([], new Uint8Array(0))).toHaveLength(0);
    expect(Array.from(pathOf([[[220, 0.8]]], Uint8Array.of(0)))).toEqual([220]);
  });

  it('chooses bit for bit as the JavaScript it replaced: random candidates (ties, equal F0s, one to six each) over joined runs and gaps, and more steps than the memory first held', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const steps of [1, 2, 50, 700, 3000]) {
      const c = { count: new Uint8Array(steps), f0: new Float64Array(steps * MAX_CANDIDATES), strength: new Float64Array(steps * MAX_CANDIDATES) };
      for (let i = 0; i < steps; i++) {
        c.count[i] = 1 + Math.floor(rnd() * MAX_CANDIDATES);
        c.strength[i * MAX_CANDIDATES] = 0.5;
        for (let j = 1; j < c.count[i]; j++) {
          // Coarse values make equal strengths and equal F0s common.
          c.f0[i * MAX_CANDIDATES + j] = rnd() < 0.2 ? 200 : 60 + Math.round(rnd() * 44) * 10;
          c.strength[i * MAX_CANDIDATES + j] = rnd() < 0.3 ? 0.9 : 0.3 + rnd() * 0.7;
        }
      }
      const joined = Uint8Array.from({ length: steps }, (_, i) => (i > 0 && rnd() < 0.9 ? 1 : 0));
      const k = kernels;
      k.path(steps);
      k.count.set(c.count);
      k.candidateF0.set(c.f0);
      k.candidateStrength.set(c.strength);
      k.joined.set(joined);
      const got = bestPath(k, steps).slice(0, steps);
      const want = referencePath(c, joined);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      expect(new Set(want).size).toBeGreaterThan(Math.min(steps, 3) - 1);
    }
  });
});
