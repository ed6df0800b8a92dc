import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATES, bestPath, emptyCandidates } from '../../../src/core/features/pitch-path.js';

/** Steps given as lists of [f0, strength] peaks; the unvoiced candidate (strength 0.5) comes first. */
function candidates(steps: Array<Array<[number, number]>>) {
  const c = emptyCandidates(steps.length);
  steps.forEach((peaks, i) => {
    c.count[i] = peaks.length + 1;
    c.f0[i * MAX_CANDIDATES] = 0;
    c.strength[i * MAX_CANDIDATES] = 0.5;
    peaks.forEach(([f, s], j) => {
      c.f0[i * MAX_CANDIDATES + j + 1] = f;
      c.strength[i * MAX_CANDIDATES + j + 1] = s;
    });
  });
  return c;
}

const joinedAll = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i > 0 ? 1 : 0));

describe('bestPath', () => {
  it('reads through an isolated octave error', () => {
    const steps: Array<Array<[number, number]>> = Array.from({ length: 9 }, () => [[200, 0.9], [100, 0.85]]);
    steps[4] = [[100, 0.93], [200, 0.88]]; // the subharmonic wins this step on its own
    expect(Array.from(bestPath(candidates(steps), joinedAll(9)))).toEqual(new Array(9).fill(200));
  });

  it('follows a sustained change of register', () => {
    const steps: Array<Array<[number, number]>> = Array.from({ length: 20 }, (_, i) =>
      i < 10 ? [[200, 0.9], [400, 0.6]] : [[400, 0.9], [200, 0.6]],
    );
    const path = bestPath(candidates(steps), joinedAll(20));
    expect(Array.from(path.subarray(0, 9))).toEqual(new Array(9).fill(200));
    expect(Array.from(path.subarray(11))).toEqual(new Array(9).fill(400));
  });

  it('chooses unvoiced where every peak is weak', () => {
    const steps: Array<Array<[number, number]>> = [[[200, 0.9]], [[200, 0.9]], [[310, 0.2]], [[150, 0.25]], [[200, 0.9]]];
    expect(Array.from(bestPath(candidates(steps), joinedAll(5)))).toEqual([200, 200, 0, 0, 200]);
  });

  it('lets a pause separate two registers without a jump cost', () => {
    // Across the gap each step picks its own best peak even though it is an octave away.
    const steps: Array<Array<[number, number]>> = [[[200, 0.9], [100, 0.8]], [[100, 0.9], [200, 0.8]]];
    expect(Array.from(bestPath(candidates(steps), Uint8Array.of(0, 0)))).toEqual([200, 100]);
    expect(Array.from(bestPath(candidates(steps), Uint8Array.of(0, 1)))).not.toEqual([200, 100]);
  });

  it('handles no steps and a single step', () => {
    expect(bestPath(candidates([]), new Uint8Array(0))).toHaveLength(0);
    expect(Array.from(bestPath(candidates([[[220, 0.8]]]), Uint8Array.of(0)))).toEqual([220]);
  });
});
