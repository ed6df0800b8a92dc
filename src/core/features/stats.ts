// Functionals: how a per-frame track is summarised over the frames that count (speech or voiced).
import { FRAME_SECONDS } from './frames.js';
import type { Functional } from './spec.js';
import { trackKernels } from '../dsp/fft.js';
import { Reused } from '../dsp/reuse.js';
import { hasNaN, percentileOf } from '../dsp/select.js';

/** Linear-interpolated percentile of an ascending array (numpy's default), q in [0, 1]. */
export function percentileSorted(sorted: ArrayLike<number>, n: number, q: number): number {
  if (n === 0) return 0;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Indices of the frames where mask is set. */
export function selectFrames(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let t = 0; t < mask.length; t++) n += mask[t];
  const idx = new Int32Array(n);
  for (let t = 0, j = 0; t < mask.length; t++) if (mask[t]) idx[j++] = t;
  return idx;
}

/**
 * Writes the functionals of values[frames] at out[offset…] in the order given. slope is the
 * least-squares slope per second; std is the population std; range is p90 − p10.
 * No frames → zeros.
 */
export function summarize(
  values: Float32Array,
  frames: Int32Array,
  functionals: readonly Functional[],
  out: Float32Array,
  offset: number,
): void {
  const n = frames.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[frames[i]];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = values[frames[i]] - mean;
    sq += d * d;
  }
  summarizeFrom(values, frames, functionals, mean, sq, out, offset);
}

/**
 * summarize() from the mean of values[frames] and the sum of squared differences from it (as
 * momentsOf() gives them for many tracks at once).
 */
export function summarizeFrom(
  values: Float32Array,
  frames: Int32Array,
  functionals: readonly Functional[],
  mean: number,
  sq: number,
  out: Float32Array,
  offset: number,
): void {
  const n = frames.length;
  // The selected values copied once, when a percentile is asked for (no closure: this runs ~250 times per clip).
  let selected: Float64Array | null = null;
  let sorted = false;
  // p10 and p90 once each, whether asked for themselves, for the range, or both (a percentile is a function of
  // the values alone, whatever order earlier selections left them in).
  let p10 = 0;
  let p90 = 0;
  let have10 = false;
  let have90 = false;
  for (let k = 0; k < functionals.length; k++) {
    const f = functionals[k];
    let v: number;
    // No frames → zeros, in the loop rather than an early out.fill(): a clip with no voiced frame comes rarely,
    // and that branch's reads and call had no type feedback when TurboFan compiled summarize (it deoptimised there).
    if (n === 0) v = 0;
    else if (f === 'mean') v = mean;
    else if (f === 'std') v = Math.sqrt(sq / n);
    else if (f === 'slope') v = slope(values, frames, mean);
    else {
      if (selected === null) {
        selected = valuesAt(values, frames);
        // Ranks by selection; a NaN (which sort puts last) is ranked by sorting.
        sorted = hasNaN(selected, n);
        if (sorted) selected.sort();
      }
      if (f === 'p50') v = percentile(selected, n, 0.5, sorted);
      else {
        if (f !== 'p90' && !have10) {
          p10 = percentile(selected, n, 0.1, sorted);
          have10 = true;
        }
        if (f !== 'p10' && !have90) {
          p90 = percentile(selected, n, 0.9, sorted);
          have90 = true;
        }
        v = f === 'p10' ? p10 : f === 'p90' ? p90 : p90 - p10;
      }
    }
    out[offset + k] = v;
  }
}

/** The q-th percentile of a[0…n), sorted or not (see select.ts): the same value either way. */
function percentile(a: Float64Array, n: number, q: number, sorted: boolean): number {
  return sorted ? percentileSorted(a, n, q) : percentileOf(a, n, q);
}

/** values[frames] into a buffer reused from one call to the next. */
function valuesAt(values: Float32Array, frames: Int32Array): Float64Array {
  const out = reusedValues.take(frames.length);
  for (let i = 0; i < frames.length; i++) out[i] = values[frames[i]];
  return out;
}

const reusedValues = new Reused((n) => new Float64Array(n), 1 << 16);

type TrackMomentsExport = (rows: number, stride: number, count: number, idx: number, n: number, mean: number, sq: number) => void;
const trackMoments = trackKernels.exports.trackMoments as TrackMomentsExport;

/** Bytes of tracks one trackMoments call takes at most (at least one track): the memory stays small for long clips. */
const MOMENTS_BUDGET = 256 * 1024;

/**
 * For each k, the mean of tracks[slots[k]][frames] into mean[k] and the sum of squared differences from it into
 * sq[k], as summarize() computes them (each sum in frame order). In WebAssembly (fft.wat's "trackMoments") on
 * copies of the tracks (all as long as the first; as many at a time as fit MOMENTS_BUDGET): interpreted, this loop
 * over ~200 tracks boxed ~2 MB of doubles in a 30-file CLI run before TurboFan compiled it.
 */
export function momentsOf(tracks: readonly Float32Array[], slots: Int32Array, frames: Int32Array, mean: Float64Array, sq: Float64Array): void {
  const count = slots.length;
  if (count === 0) return;
  const len = tracks[slots[0]].length;
  const n = frames.length;
  const group = Math.max(1, Math.min(count, Math.floor(MOMENTS_BUDGET / (4 * len))));
  const rowsAt = Math.ceil((4 * n) / 16) * 16;
  const meanAt = Math.ceil((rowsAt + 4 * len * group) / 16) * 16;
  const sqAt = meanAt + 8 * group;
  trackKernels.reserve(sqAt + 8 * group);
  const buffer = trackKernels.buffer;
  new Int32Array(buffer, 0, n).set(frames);
  const rows = new Float32Array(buffer, rowsAt, len * group);
  const means = new Float64Array(buffer, meanAt, group);
  const sqs = new Float64Array(buffer, sqAt, group);
  for (let k0 = 0; k0 < count; k0 += group) {
    const m = Math.min(group, count - k0);
    for (let k = 0; k < m; k++) {
      const track = tracks[slots[k0 + k]];
      if (track.length !== len) throw new RangeError(`momentsOf: track ${slots[k0 + k]} has ${track.length} frames, not ${len}`);
      rows.set(track, k * len);
    }
    trackMoments(rowsAt, 4 * len, m, 0, n, meanAt, sqAt);
    mean.set(means.subarray(0, m), k0);
    sq.set(sqs.subarray(0, m), k0);
  }
}

function slope(values: Float32Array, frames: Int32Array, mean: number): number {
  const n = frames.length;
  let tMean = 0;
  for (let i = 0; i < n; i++) tMean += frames[i];
  tMean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dt = frames[i] - tMean;
    num += dt * (values[frames[i]] - mean);
    den += dt * dt;
  }
  return den > 0 ? num / den / FRAME_SECONDS : 0;
}
