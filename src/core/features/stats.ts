// Functionals: how a per-frame track is summarised over the frames that count (speech or voiced).
import { FRAME_SECONDS } from './frames.js';
import type { Functional } from './spec.js';

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
  if (n === 0) {
    out.fill(0, offset, offset + functionals.length);
    return;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[frames[i]];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = values[frames[i]] - mean;
    sq += d * d;
  }
  let sorted: Float64Array | undefined;
  const pct = (q: number): number => {
    if (!sorted) {
      sorted = new Float64Array(n);
      for (let i = 0; i < n; i++) sorted[i] = values[frames[i]];
      sorted.sort();
    }
    return percentileSorted(sorted, n, q);
  };
  for (let k = 0; k < functionals.length; k++) {
    let v: number;
    switch (functionals[k]) {
      case 'mean': v = mean; break;
      case 'std': v = Math.sqrt(sq / n); break;
      case 'p10': v = pct(0.1); break;
      case 'p50': v = pct(0.5); break;
      case 'p90': v = pct(0.9); break;
      case 'range': v = pct(0.9) - pct(0.1); break;
      case 'slope': v = slope(values, frames, mean); break;
    }
    out[offset + k] = v;
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
