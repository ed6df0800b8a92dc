// The intonation's shape relative to the clip's own voice (semitones about its median F0), and how periodic the speech is.
import { Reused } from '../dsp/reuse.js';
import { trackKernels } from '../dsp/fft.js';
import { FRAME_SECONDS } from './frames.js';
import { percentileSorted } from './stats.js';
import { finite, sortedFirst } from './value-stats.js';

/** Frame-to-frame second differences beyond this (semitones) are tracking jumps, not intonation. */
const MAX_SECOND_DIFF = 3;
/** Voiced stretches shorter than this (frames) are too short for a slope. */
const MIN_RUN = 5;
/** A speech frame whose pitch correlation peak (NCCF) is above this counts as strongly periodic. */
const STRONG_PERIODICITY = 0.8;

/** A per-clip list (at most one value per frame), kept from clip to clip (up to 41 s). */
const reused = new Reused((n) => new Float64Array(n), 4096);

/**
 * f0St: F0 in semitones per frame (0 unvoiced); levelDb: the frame level. In the order of spec.ts PITCH_SHAPE:
 * p10 and p90 of F0 minus its median, interquartile range; the parabola through F0 over the voiced span
 * (time scaled to −1…1): its curvature and the RMS of what it leaves; mean |second difference| of consecutive
 * voiced frames (local wobble); per voiced stretch of ≥ MIN_RUN frames the F0 slope (st/s): mean, mean
 * magnitude, the last one, and the mean range; the correlation of F0 with the level over voiced frames.
 */
export function pitchShape(f0St: Float32Array, levelDb: Float32Array): number[] {
  const frames = f0St.length;
  // Byte offsets in the track kernels' memory: the three results (f64), F0 and level (f32), the voiced frames'
  // scaled time, F0 and level (f64).
  const f0At = 32;
  const levelAt = f0At + 4 * frames;
  const usAt = levelAt + 4 * frames;
  const vsAt = usAt + 8 * frames;
  const lvAt = vsAt + 8 * frames;
  trackKernels.reserve(lvAt + 8 * frames);
  const buffer = trackKernels.buffer;
  new Float32Array(buffer, f0At, frames).set(f0St);
  new Float32Array(buffer, levelAt, frames).set(levelDb);
  const n = pitchCurve(f0At, levelAt, frames, usAt, vsAt, lvAt, 0);
  const curve = new Float64Array(buffer, 0, 3);
  const curvature = curve[0];
  const residual = curve[1];
  const levelCorrelation = curve[2];
  const s = sortedFirst(new Float64Array(buffer, vsAt, n), n, reused.take(frames));
  const med = percentileSorted(s, n, 0.5);
  // (This lays its own data out in the track kernels' memory from byte 0.)
  const runs = secondDifferenceAndRuns(f0St);
  const out = [
    n ? percentileSorted(s, n, 0.1) - med : 0,
    n ? percentileSorted(s, n, 0.9) - med : 0,
    percentileSorted(s, n, 0.75) - percentileSorted(s, n, 0.25),
    curvature, residual,
    runs[0], runs[1], runs[2], runs[3], runs[4],
    levelCorrelation,
  ];
  return finite(out);
}

type PitchCurveExport = (f0: number, level: number, frames: number, us: number, vs: number, lv: number, out: number) => number;
/**
 * The voiced frames' F0 and level gathered, the parabola's curvature and RMS residual over the voiced span (both 0
 * under five voiced frames; time scaled to −1…1) and the F0–level correlation, in WebAssembly (fft.wat's
 * "pitchCurve", the same operations in the same order as value-stats.ts's parabola and the correlation
 * pitch-shape.test keeps as the reference): in JavaScript these loops ran unoptimised on the CLI's clips,
 * allocating ~3 MB of heap numbers per 30-file run.
 */
const pitchCurve = trackKernels.exports.pitchCurve as PitchCurveExport;

type PitchRunsExport = (f0: number, frames: number, dt: number, maxDiff: number, minRun: number, slopes: number, ranges: number, out: number) => void;
const pitchRuns = trackKernels.exports.pitchRuns as PitchRunsExport;

/**
 * The mean |second difference| of consecutive voiced frames (under MAX_SECOND_DIFF), then the mean slope, mean
 * |slope|, mean range and last slope of the voiced stretches of >= MIN_RUN frames (0 without any), in WebAssembly
 * (fft.wat's "pitchRuns", the same operations in the same order as the JavaScript pitch-shape.test keeps as the
 * reference): in JavaScript these loops ran unoptimised on the CLI's first clips and voicedRuns' TurboFan compile
 * was the largest of features f8 left (~4 ms per 30-file run).
 */
function secondDifferenceAndRuns(f0St: Float32Array): Float64Array {
  const frames = f0St.length;
  // Byte offsets in the track kernels' memory: the five results (f64), the stretches' slopes and ranges (f64, at
  // most one per MIN_RUN frames), F0 (f32).
  const maxRuns = Math.ceil(frames / MIN_RUN);
  const slopesAt = 40;
  const rangesAt = slopesAt + 8 * maxRuns;
  const f0At = rangesAt + 8 * maxRuns;
  trackKernels.reserve(f0At + 4 * frames);
  const buffer = trackKernels.buffer;
  new Float32Array(buffer, f0At, frames).set(f0St);
  pitchRuns(f0At, frames, FRAME_SECONDS, MAX_SECOND_DIFF, MIN_RUN, slopesAt, rangesAt, 0);
  return new Float64Array(buffer, 0, 5);
}

/**
 * strength: the pitch tracker's peak NCCF per frame; speech: the speech-frame mask. Its 90th percentile over
 * speech frames and the share of speech frames above STRONG_PERIODICITY (spec.ts PERIODICITY order).
 */
export function periodicity(strength: Float32Array, speech: Uint8Array): number[] {
  const frames = strength.length;
  const values = reused.take(frames);
  let n = 0;
  let strong = 0;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    values[n++] = strength[t];
    if (strength[t] > STRONG_PERIODICITY) strong++;
  }
  const s = values.subarray(0, n).sort();
  return finite([percentileSorted(s, n, 0.9), n ? strong / n : 0]);
}
