// The projection in front of the scaler: the feature vector's last block (the 1,216 frame offsets, spec.ts
// FRAME_OFFSETS) reduced to its top principal axes on the training clips, every feature before it kept as it is.
// Fitted on each fold's own training clips (and on all of them for the shipped model), so it is part of the
// model, not of the features: a fixed projection fitted on read speech lost 3.4 points of read speech
// (models/EXPERIMENTS.md, twelfth round).

import { embeddedKernel, reserve, type WasmMemory } from '../dsp/wasm.js';
import { PROJECTION_WASM } from './projection-wasm.js';

/**
 * A fitted projection, applied to x[from…from + p) (p = mean.length): loadings[j·k + c] is feature from + j's loading
 * on axis c (p × k row-major, the layout the kernel reads, so neither training nor loading a model transposes it).
 */
export interface ProjectionJson {
  from: number;
  mean: ArrayLike<number>;
  loadings: ArrayLike<number>;
}

/** Sweeps of the subspace iteration, and the extra directions it carries past k so the k-th converges. */
const ITERATIONS = 15;
const OVERSAMPLE = 16;
/** Rows added into the covariance per pass over it (projection.wat syrk8): each entry is loaded and stored once per block. */
const BLOCK = 8;
/** Rows projected per call of the kernel (Projector.projectAll): a bounded share of memory however many rows there are. */
const CHUNK = 1024;

/**
 * The top `k` principal axes of the rows' columns [from, end): centred, not whitened. The covariance, then a
 * subspace iteration from a seeded random start with Rayleigh–Ritz (Jacobi on the small matrix); each axis's
 * sign makes its largest loading positive, so the same rows give the same projection. `explained`: the share
 * of the block's variance the k axes hold.
 */
export function fitProjection(rows: readonly ArrayLike<number>[], from: number, k: number, seed: number): ProjectionJson & { explained: number } {
  const n = rows.length;
  const p = rows.length ? rows[0].length - from : 0;
  if (n < 2 || k < 1 || k > p) throw new Error(`a projection to ${k} of ${p} features needs at least two rows (got ${n})`);
  // n rows span at most n − 1 directions: more axes than that would be noise, and the iteration's basis would lose
  // its orthogonality on them (their "variance" counted twice, over 100 % in all). A small dataset gets fewer axes.
  k = Math.min(k, n - 1);
  const mean = new Float64Array(p);
  for (const r of rows) for (let d = 0; d < p; d++) mean[d] += r[from + d];
  for (let d = 0; d < p; d++) mean[d] /= n;
  const m = Math.min(p, k + OVERSAMPLE, n - 1);
  const kernel = covarianceKernel(rows, from, mean, m);
  const C = kernel.C;
  let trace = 0;
  for (let i = 0; i < p; i++) trace += C[i * p + i];
  const rand = xorshift(seed);
  let Q: Float64Array = Float64Array.from({ length: p * m }, rand);
  orthonormalise(Q, p, m);
  for (let it = 0; it < ITERATIONS; it++) { Q = kernel.times(Q); orthonormalise(Q, p, m); }
  // Rayleigh–Ritz: T = Qᵀ C Q; its eigenvectors rotate Q onto the axes.
  const CQ = kernel.times(Q);
  const T = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) { let s = 0; for (let r = 0; r < p; r++) s += Q[r * m + a] * CQ[r * m + b]; T[a * m + b] = s; }
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) { const s = (T[a * m + b] + T[b * m + a]) / 2; T[a * m + b] = s; T[b * m + a] = s; }
  const { values, V } = jacobi(T, m);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]).slice(0, k);
  const loadings = new Float64Array(p * k);
  let explained = 0;
  order.forEach((e, c) => {
    explained += values[e];
    for (let r = 0; r < p; r++) { let s = 0; for (let j = 0; j < m; j++) s += Q[r * m + j] * V[j * m + e]; loadings[r * k + c] = s; }
    let big = 0;
    for (let r = 0; r < p; r++) if (Math.abs(loadings[r * k + c]) > Math.abs(big)) big = loadings[r * k + c];
    if (big < 0) for (let r = 0; r < p; r++) loadings[r * k + c] = -loadings[r * k + c];
  });
  return { from, mean, loadings, explained: explained / trace };
}

/** A module instance with at least `bytes` of memory. */
const instantiate = embeddedKernel(PROJECTION_WASM);

/**
 * The sample covariance (n − 1) of the rows' columns from `from` on, p × p row-major, both triangles filled, in the
 * module's memory (projection.wat syrk8: rows added one after another into each entry), and C·X for X p × m there.
 * Sums skip no term: a zero adds nothing (no entry is ever −0), so the order alone fixes the bits.
 */
function covarianceKernel(rows: readonly ArrayLike<number>[], from: number, mean: Float64Array, m: number): { C: Float64Array; times: (X: Float64Array) => Float64Array } {
  const n = rows.length, p = mean.length;
  const cAt = 0, zAt = p * p * 8, xAt = zAt + BLOCK * p * 8, outAt = xAt + p * m * 8;
  const { memory, exports } = instantiate(outAt + p * m * 8);
  const buf = memory.buffer;
  const C = new Float64Array(buf, cAt, p * p), z = new Float64Array(buf, zAt, BLOCK * p);
  const syrk8 = exports.syrk8 as (z: number, p: number, C: number) => void;
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const b = Math.min(BLOCK, n - r0);
    for (let q = 0; q < b; q++) for (let d = 0; d < p; d++) z[q * p + d] = rows[r0 + q][from + d] - mean[d];
    z.fill(0, b * p); // the last block's missing rows add nothing
    syrk8(zAt, p, cAt);
  }
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) { C[i * p + j] /= n - 1; C[j * p + i] = C[i * p + j]; }
  const x = new Float64Array(buf, xAt, p * m), out = new Float64Array(buf, outAt, p * m);
  const gemm = exports.gemm as (C: number, X: number, out: number, p: number, m: number) => void;
  return { C, times: (X) => { x.set(X); gemm(cAt, xAt, outAt, p, m); return out.slice(); } };
}

/**
 * A projection ready to apply: its mean and loadings copied once into a module instance (projection.wat project),
 * which then projects rows there. Prediction projects one clip at a time, training every row of a set; each axis's sum
 * runs over the features in order, so both get the same bits.
 */
export class Projector {
  readonly width: number;
  private readonly k: number;
  private readonly p: number;
  private readonly meanAt = 0;
  private readonly loadingsAt: number;
  private readonly eAt: number;
  private readonly rowsAt: number;
  private rowCapacity = 0;
  /** Where run() writes its output: after room for rowCapacity input rows. */
  private outAt = 0;
  private readonly memory: WasmMemory;
  private readonly kernel: (rows: number, n: number, d: number, from: number, mean: number, T: number, k: number, out: number, e: number) => void;

  constructor(private readonly projection: ProjectionJson) {
    const p = (this.p = projection.mean.length);
    this.k = projection.loadings.length / p;
    if (!Number.isInteger(this.k) || this.k < 1) throw new Error(`projection loadings of ${projection.loadings.length} numbers do not fit ${p} features`);
    this.width = projection.from + this.k;
    this.loadingsAt = this.meanAt + p * 8;
    this.eAt = this.loadingsAt + p * this.k * 8;
    this.rowsAt = this.eAt + p * 8;
    const { memory, exports } = instantiate(this.rowsAt);
    this.memory = memory;
    this.kernel = exports.project as Projector['kernel'];
    new Float64Array(memory.buffer, this.meanAt, p).set(projection.mean);
    new Float64Array(memory.buffer, this.loadingsAt, p * this.k).set(projection.loadings);
  }

  /** One clip's features as the scaler reads them: x[0…from), then the k projections, as float32 (as training rows are). */
  project(x: ArrayLike<number>): Float32Array {
    const d = this.projection.from + this.p;
    if (x.length !== d) throw new Error(`a projection of features ${this.projection.from}–${d} does not fit a clip of ${x.length}`);
    this.rows(1, d).set(x);
    return this.run(1, d).slice();
  }

  /**
   * n rows (float32, d wide, row-major) at once: n × width, row by row what project() gives. With `only`, just those
   * rows (ascending); the others stay zero (a fold's projection serves its own training and held-out rows).
   */
  projectAll(x: Float32Array, n: number, d: number, only?: ArrayLike<number>): Float32Array {
    if (this.projection.from + this.p !== d) throw new Error(`a projection of features ${this.projection.from}–${this.projection.from + this.p} does not fit rows ${d} wide`);
    const out = new Float32Array(n * this.width);
    const count = only ? only.length : n;
    const rowOf = only ? (i: number) => only[i] : (i: number) => i;
    for (let i0 = 0; i0 < count; i0 += CHUNK) {
      const b = Math.min(CHUNK, count - i0);
      const rows = this.rows(b, d);
      for (let i = 0; i < b; i++) { const k = rowOf(i0 + i); rows.set(x.subarray(k * d, (k + 1) * d), i * d); }
      const projected = this.run(b, d);
      for (let i = 0; i < b; i++) out.set(projected.subarray(i * this.width, (i + 1) * this.width), rowOf(i0 + i) * this.width);
    }
    return out;
  }

  /** Room for n input rows (and their output after them), as a view on the instance's memory. */
  private rows(n: number, d: number): Float32Array {
    if (n > this.rowCapacity) {
      this.outAt = this.rowsAt + ((n * d * 4 + 15) & ~15);
      reserve(this.memory, this.outAt + n * this.width * 4);
      this.rowCapacity = n;
    }
    return new Float32Array(this.memory.buffer, this.rowsAt, n * d);
  }

  private run(n: number, d: number): Float32Array {
    this.kernel(this.rowsAt, n, d, this.projection.from, this.meanAt, this.loadingsAt, this.k, this.outAt, this.eAt);
    return new Float32Array(this.memory.buffer, this.outAt, n * this.width);
  }
}

/** Uniform draws in [−½, ½) from a 32-bit xorshift: the iteration's random start. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296 - 0.5; };
}

/** Modified Gram–Schmidt on the columns of Q (n × m, row-major), in place. */
function orthonormalise(Q: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += Q[r * m + i] * Q[r * m + j];
      for (let r = 0; r < n; r++) Q[r * m + j] -= dot * Q[r * m + i];
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += Q[r * m + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < n; r++) Q[r * m + j] /= norm;
  }
}

/** Eigen-decomposition of a symmetric m × m matrix (row-major) by cyclic Jacobi: eigenvalues, and eigenvectors as the columns of V. */
function jacobi(A: Float64Array, m: number): { values: Float64Array; V: Float64Array } {
  const a = Float64Array.from(A);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) {
      const apq = a[p * m + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let r = 0; r < m; r++) { const arp = a[r * m + p], arq = a[r * m + q]; a[r * m + p] = c * arp - s * arq; a[r * m + q] = s * arp + c * arq; }
      for (let r = 0; r < m; r++) { const apr = a[p * m + r], aqr = a[q * m + r]; a[p * m + r] = c * apr - s * aqr; a[q * m + r] = s * apr + c * aqr; }
      for (let r = 0; r < m; r++) { const vrp = V[r * m + p], vrq = V[r * m + q]; V[r * m + p] = c * vrp - s * vrq; V[r * m + q] = s * vrp + c * vrq; }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]), V };
}
