// Functionals: how a per-frame track is summarised over the frames that count (speech or voiced).
import { FRAME_SECONDS } from './frames.js';
import type { Functional } from './spec.js';
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

/**
 * For each k, the mean of tracks[slots[k]][frames] into mean[k] and the sum of squared differences
 * from it into sq[k], as summarize() computes them; mean and sq have 3 spare entries past the
 * slots. Four tracks per loop: each sum is still added in frame order (the same bits), but four
 * independent additions run side by side, where one track's sum alone waits for each addition.
 */
export function momentsOf(tracks: readonly Float32Array[], slots: Int32Array, frames: Int32Array, mean: Float64Array, sq: Float64Array): void {
  let k = 0;
  for (; k + 4 <= slots.length; k += 4) {
    moments4(tracks[slots[k]], tracks[slots[k + 1]], tracks[slots[k + 2]], tracks[slots[k + 3]], frames, mean, sq, k);
  }
  // The last one to three: each in all four lanes, the spare ones overwritten by the next.
  for (; k < slots.length; k++) moments4(tracks[slots[k]], tracks[slots[k]], tracks[slots[k]], tracks[slots[k]], frames, mean, sq, k);
}

/** Means and squared deviations of four tracks into mean/sq[k…k+3]; a bare return (see temporal.ts on OSR). */
function moments4(
  a: Float32Array, b: Float32Array, c: Float32Array, d: Float32Array,
  frames: Int32Array, mean: Float64Array, sq: Float64Array, k: number,
): void {
  const n = frames.length;
  let sa = 0, sb = 0, sc = 0, sd = 0;
  for (let i = 0; i < n; i++) {
    const t = frames[i];
    sa += a[t];
    sb += b[t];
    sc += c[t];
    sd += d[t];
  }
  const ma = sa / n, mb = sb / n, mc = sc / n, md = sd / n;
  let qa = 0, qb = 0, qc = 0, qd = 0;
  for (let i = 0; i < n; i++) {
    const t = frames[i];
    const da = a[t] - ma;
    const db = b[t] - mb;
    const dc = c[t] - mc;
    const dd = d[t] - md;
    qa += da * da;
    qb += db * db;
    qc += dc * dc;
    qd += dd * dd;
  }
  mean[k] = ma;
  mean[k + 1] = mb;
  mean[k + 2] = mc;
  mean[k + 3] = md;
  sq[k] = qa;
  sq[k + 1] = qb;
  sq[k + 2] = qc;
  sq[k + 3] = qd;
  return;
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
