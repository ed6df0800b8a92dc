// pitchShape's curve, correlation, second difference and voiced stretches in WebAssembly give the bits of the JavaScript
// they replaced, kept here as the reference.
import { describe, expect, it } from 'vitest';
import { FRAME_SECONDS } from '../../../src/core/features/frames.js';
import { pitchShape } from '../../../src/core/features/pitch-shape.js';
import { PITCH_SHAPE } from '../../../src/core/features/spec.js';
import { percentileSorted } from '../../../src/core/features/stats.js';
import { meanOf, parabola, slopeOf } from '../../../src/core/features/value-stats.js';
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

/** Pearson correlation as value-stats.ts computed it (0 for fewer than three points or a constant list). */
function correlation(a: Float64Array, b: Float64Array, n: number): number {
  if (n < 3) return 0;
  const ma = meanOf(a, n);
  const mb = meanOf(b, n);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** pitchShape()'s percentiles, curve and correlation as the JavaScript computed them before fft.wat's "pitchCurve". */
function curveReference(f0St: Float32Array, levelDb: Float32Array): Record<string, number> {
  const ts: number[] = [];
  const vs: number[] = [];
  const lv: number[] = [];
  for (let t = 0; t < f0St.length; t++) if (f0St[t] !== 0) { ts.push(t); vs.push(f0St[t]); lv.push(levelDb[t]); }
  const n = vs.length;
  const s = Float64Array.from(vs).sort();
  const med = percentileSorted(s, n, 0.5);
  let curvature = 0;
  let residual = 0;
  if (n >= 5) {
    const us = ts.map((t) => (ts[n - 1] > ts[0] ? (2 * (t - ts[0])) / (ts[n - 1] - ts[0]) - 1 : 0));
    const c = parabola(us, vs, n);
    let r = 0;
    for (let i = 0; i < n; i++) r += (vs[i] - (c[0] + c[1] * us[i] + c[2] * us[i] * us[i])) ** 2;
    curvature = c[2];
    residual = Math.sqrt(r / n);
  }
  const out: Record<string, number> = {
    f0_p10_below_median: n ? percentileSorted(s, n, 0.1) - med : 0,
    f0_p90_above_median: n ? percentileSorted(s, n, 0.9) - med : 0,
    f0_iqr: percentileSorted(s, n, 0.75) - percentileSorted(s, n, 0.25),
    f0_curvature: curvature,
    f0_curve_residual: residual,
    f0_level_corr: correlation(Float64Array.from(vs), Float64Array.from(lv), n),
  };
  for (const k of Object.keys(out)) if (!Number.isFinite(out[k])) out[k] = 0;
  return out;
}

/** F0 in semitones that wanders and jumps, unvoiced (0) in gaps whose spacing depends on `every`. */
function track(frames: number, seed: number, every: number): Float32Array {
  const noise = whiteNoise(frames / 16000 + 0.001, 16000, 1, seed);
  return Float32Array.from({ length: frames }, (_, t) => ((t * 7 + seed) % every < 2 ? 0 : 30 + 4 * Math.sin(t / 20) + (t % 31 === 0 ? 5 : 0.3) * noise[t]));
}

describe('pitchShape', () => {
  it('equals the JavaScript bit for bit in its percentiles, curve, correlation, second difference and voiced stretches (0 to 4,000 frames)', () => {
    for (const frames of [0, 2, 4, 5, 6, 40, 375, 4000]) {
      for (const every of [3, 6, 9, 40, 100000]) {
        const f0 = track(frames, frames + every, every);
        const level = Float32Array.from({ length: frames }, (_, t) => -30 + 10 * Math.sin(t / 7) + (t % 13));
        const got = pitchShape(f0, level);
        const want = { ...reference(f0), ...curveReference(f0, level) };
        for (const [name, value] of Object.entries(want)) expect([name, got[PITCH_SHAPE.indexOf(name as (typeof PITCH_SHAPE)[number])]]).toEqual([name, value]);
      }
      // All voiced at one F0: the parabola's fallback, no correlation.
      const flat = new Float32Array(frames).fill(30);
      const rising = Float32Array.from({ length: frames }, (_, t) => t);
      const got = pitchShape(flat, rising);
      for (const [name, value] of Object.entries(curveReference(flat, rising))) expect([name, got[PITCH_SHAPE.indexOf(name as (typeof PITCH_SHAPE)[number])]]).toEqual([name, value]);
    }
  });
});
