// pitchShape's second difference and voiced stretches in WebAssembly give the bits of the JavaScript they replaced,
// kept here as the reference.
import { describe, expect, it } from 'vitest';
import { FRAME_SECONDS } from '../../../src/core/features/frames.js';
import { pitchShape } from '../../../src/core/features/pitch-shape.js';
import { PITCH_SHAPE } from '../../../src/core/features/spec.js';
import { meanOf, slopeOf } from '../../../src/core/features/value-stats.js';
import { whiteNoise } from '../../helpers/audio-fixtures.js';

/** secondDifference() and voicedRuns() as pitch-shape.ts computed them before fft.wat's "pitchRuns". */
function reference(f0St: Float32Array): Record<string, number> {
  let sum = 0;
  let n = 0;
  for (let t = 2; t < f0St.length; t++) {
    if (f0St[t] === 0 || f0St[t - 1] === 0 || f0St[t - 2] === 0) continue;
    const d = f0St[t] - 2 * f0St[t - 1] + f0St[t - 2];
    if (Math.abs(d) < 3) { sum += Math.abs(d); n++; }
  }
  const frames = f0St.length;
  const slopes = new Float64Array(frames);
  const ranges = new Float64Array(frames);
  const xs = new Float64Array(frames);
  const ys = new Float64Array(frames);
  let runs = 0;
  let start = -1;
  for (let t = 0; t <= frames; t++) {
    const v = t < frames && f0St[t] !== 0;
    if (v && start < 0) start = t;
    if (!v && start >= 0) {
      if (t - start >= 5) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = start; k < t; k++) { xs[k - start] = k * FRAME_SECONDS; ys[k - start] = f0St[k]; lo = Math.min(lo, f0St[k]); hi = Math.max(hi, f0St[k]); }
        slopes[runs] = slopeOf(xs, ys, t - start);
        ranges[runs] = hi - lo;
        runs++;
      }
      start = -1;
    }
  }
  let abs = 0;
  for (let i = 0; i < runs; i++) abs += Math.abs(slopes[i]);
  return {
    f0_second_diff: n ? sum / n : 0,
    f0_run_slope_mean: meanOf(slopes, runs),
    f0_run_slope_abs: runs ? abs / runs : 0,
    f0_run_range_mean: meanOf(ranges, runs),
    f0_last_run_slope: runs ? slopes[runs - 1] : 0,
  };
}

/** F0 in semitones that wanders and jumps, unvoiced (0) in gaps whose spacing depends on `every`. */
function track(frames: number, seed: number, every: number): Float32Array {
  const noise = whiteNoise(frames / 16000 + 0.001, 16000, 1, seed);
  return Float32Array.from({ length: frames }, (_, t) => ((t * 7 + seed) % every < 2 ? 0 : 30 + 4 * Math.sin(t / 20) + (t % 31 === 0 ? 5 : 0.3) * noise[t]));
}

describe('pitchShape', () => {
  it('equals the JavaScript bit for bit in its second difference and voiced stretches (0 to 4,000 frames)', () => {
    for (const frames of [0, 2, 4, 5, 6, 40, 375, 4000]) {
      for (const every of [3, 6, 9, 40, 100000]) {
        const f0 = track(frames, frames + every, every);
        const got = pitchShape(f0, new Float32Array(frames));
        const want = reference(f0);
        for (const [name, value] of Object.entries(want)) expect([name, got[PITCH_SHAPE.indexOf(name as (typeof PITCH_SHAPE)[number])]]).toEqual([name, value]);
      }
    }
  });
});
