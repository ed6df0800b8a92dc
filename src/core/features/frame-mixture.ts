// f10: which kinds of frames a clip is made of. Each speech frame's spectral envelope (MFCC c1–c19 and their
// deltas; c0, the level, left out) is scored against a fixed mixture of 32 Gaussians fitted on ordinary read
// speech (frame-mixture-table.ts). The clip gets the log share of its frames each Gaussian holds, and where
// those frames sit against the Gaussian's centre. The utterance features summarise each track by its mean,
// spread and percentiles; this says how the frames are distributed over kinds of sound, which they cannot
// (models/EXPERIMENTS.md, twelfth and thirteenth rounds).
import { trackKernels } from '../dsp/fft.js';
import { FRAME_MIXTURE } from './frame-mixture-table.js';
import { FRAME_OFFSETS, N_FRAME_OCCUPANCY, N_MFCC } from './spec.js';

/** Numbers per frame: c1–c19 and their deltas. */
export const FRAME_DIMS = 2 * (N_MFCC - 1);
/** Added to each share before the log: a Gaussian no frame falls in reads as −9.2, not −∞. */
const SHARE_FLOOR = 1e-4;

/** A diagonal Gaussian mixture: weights[k], and row-major means and variances [k·FRAME_DIMS + d]. */
export interface FrameMixture {
  weights: readonly number[];
  means: readonly number[];
  variances: readonly number[];
}

/**
 * The frames' vectors, row-major [i·FRAME_DIMS + d], for the given frames of coefficient-major MFCCs and
 * their deltas (c[n·frames + t]). The MFCCs are taken relative to their mean over these frames: a microphone's
 * or a phone line's frequency response adds the same to every frame's cepstrum, so without this the frames
 * of a phone call land in other Gaussians (their shares moved 0.73 clean spreads through the phone channel,
 * 0.35 with it; the utterance features keep the mean itself).
 */
export function frameVectors(cepstra: Float32Array, d1: Float32Array, frames: number, selected: Int32Array): Float64Array {
  const out = new Float64Array(selected.length * FRAME_DIMS);
  const half = N_MFCC - 1;
  for (let n = 1; n < N_MFCC; n++) {
    let mean = 0;
    for (const t of selected) mean += cepstra[n * frames + t];
    mean /= selected.length || 1;
    for (let i = 0; i < selected.length; i++) {
      const t = selected[i];
      out[i * FRAME_DIMS + n - 1] = cepstra[n * frames + t] - mean;
      out[i * FRAME_DIMS + half + n - 1] = d1[n * frames + t];
    }
  }
  return out;
}

/** A mixture's per-Gaussian constants: log weight − ½Σ log 2πσ², and 1/σ². */
export interface Compiled {
  k: number;
  constant: Float64Array;
  precision: Float64Array;
  means: Float64Array;
}

export function compile(m: FrameMixture): Compiled {
  const k = m.weights.length;
  const constant = new Float64Array(k);
  const precision = Float64Array.from(m.variances, (v) => 1 / v);
  for (let j = 0; j < k; j++) {
    let c = Math.log(m.weights[j]);
    for (let d = 0; d < FRAME_DIMS; d++) c -= 0.5 * Math.log(2 * Math.PI * m.variances[j * FRAME_DIMS + d]);
    constant[j] = c;
  }
  return { k, constant, precision, means: Float64Array.from(m.means) };
}

/**
 * Each frame's posterior over the Gaussians, added into `sums` (length k); returns the frames' total
 * log-likelihood (what the fit's EM maximises). `each`, when given, receives frame i's posteriors.
 */
export function posteriors(g: Compiled, vectors: Float64Array, sums: Float64Array, each?: (i: number, post: Float64Array) => void): number {
  const n = vectors.length / FRAME_DIMS;
  const log = new Float64Array(g.k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = i * FRAME_DIMS;
    let best = -Infinity;
    for (let j = 0; j < g.k; j++) {
      let q = 0;
      const at = j * FRAME_DIMS;
      for (let d = 0; d < FRAME_DIMS; d++) {
        const e = vectors[x + d] - g.means[at + d];
        q += e * e * g.precision[at + d];
      }
      log[j] = g.constant[j] - 0.5 * q;
      if (log[j] > best) best = log[j];
    }
    let z = 0;
    for (let j = 0; j < g.k; j++) { log[j] = Math.exp(log[j] - best); z += log[j]; }
    for (let j = 0; j < g.k; j++) { log[j] /= z; sums[j] += log[j]; }
    each?.(i, log);
    total += best + Math.log(z);
  }
  return total;
}

const SHIPPED = compile(FRAME_MIXTURE);
// Only reachable if the table is regenerated with another size than spec.ts names: found at load.
if (SHIPPED.k !== N_FRAME_OCCUPANCY || FRAME_MIXTURE.means.length !== FRAME_OFFSETS.length) throw new Error('frame-mixture-table.ts does not match spec.ts');

type FrameMixtureExport = (x: number, n: number, D: number, k: number, meanT: number, precT: number, constant: number, log: number, sums: number, weighted: number) => void;
const frameMixture = trackKernels.exports.frameMixture as FrameMixtureExport;

/** The shipped mixture as the kernel reads it: means and precisions transposed ([d·k + j]), then the constants. */
const KERNEL_TABLE = (() => {
  const k = SHIPPED.k, t = new Float64Array(2 * FRAME_DIMS * k + k);
  for (let j = 0; j < k; j++) for (let d = 0; d < FRAME_DIMS; d++) {
    t[d * k + j] = SHIPPED.means[j * FRAME_DIMS + d];
    t[FRAME_DIMS * k + d * k + j] = SHIPPED.precision[j * FRAME_DIMS + d];
  }
  t.set(SHIPPED.constant, 2 * FRAME_DIMS * k);
  return t;
})();

/**
 * FRAME_OCCUPANCY, log(share + 1e-4) of the frames each Gaussian of the shipped mixture holds, then FRAME_OFFSETS,
 * the first-order Fisher vector from the same posteriors: per Gaussian k, the posterior-weighted mean of the frames
 * minus mean_k, divided by σ_k, times √(n_k / T) (n_k the posteriors' sum + 1e-6, T the frames), Gaussian-major
 * [k·FRAME_DIMS + d]. No frames → every share log(1e-4), every offset 0. The posteriors and the sums run in
 * WebAssembly (fft.wat's frameMixture), the same arithmetic as posteriors() above, bit for bit.
 */
export function frameMixtureFeatures(vectors: Float64Array): Float64Array {
  const n = vectors.length / FRAME_DIMS;
  const k = SHIPPED.k;
  const out = new Float64Array(k + FRAME_OFFSETS.length);
  const tableAt = 0, xAt = tableAt + KERNEL_TABLE.length * 8, logAt = xAt + vectors.length * 8, sumsAt = logAt + k * 8, weightedAt = sumsAt + k * 8;
  trackKernels.reserve(weightedAt + FRAME_OFFSETS.length * 8);
  const buffer = trackKernels.buffer;
  new Float64Array(buffer, tableAt, KERNEL_TABLE.length).set(KERNEL_TABLE);
  new Float64Array(buffer, xAt, vectors.length).set(vectors);
  const share = new Float64Array(buffer, sumsAt, k).fill(0);
  const weighted = new Float64Array(buffer, weightedAt, FRAME_OFFSETS.length).fill(0);
  const precAt = tableAt + FRAME_DIMS * k * 8, constantAt = precAt + FRAME_DIMS * k * 8;
  if (n > 0) frameMixture(xAt, n, FRAME_DIMS, k, tableAt, precAt, constantAt, logAt, sumsAt, weightedAt);
  for (let j = 0; j < k; j++) out[j] = Math.log(share[j] / Math.max(n, 1) + SHARE_FLOOR);
  if (n > 0) {
    for (let j = 0; j < k; j++) {
      const nk = share[j] + 1e-6;
      const w = Math.sqrt(nk / n);
      const at = j * FRAME_DIMS;
      for (let d = 0; d < FRAME_DIMS; d++) out[k + at + d] = ((weighted[at + d] / nk - SHIPPED.means[at + d]) * Math.sqrt(SHIPPED.precision[at + d])) * w;
    }
  }
  return out;
}
