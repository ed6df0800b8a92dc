// Multinomial logistic regression with an L2 penalty and class weights: the forest's linear partner.
//
// Why a second model: on the standardised features a linear model generalises across speakers far
// better than trees do (speaker-grouped CV on RAVDESS: forest 55.6 %, this 61.1 %, their average
// ~62 %; models/EXPERIMENTS.md). Trees cut one feature at a time and learn the training actors'
// voices; a penalised linear boundary over all features at once carries to new voices.
//
// Trained by L-BFGS from zeros on a convex loss: there is one optimum, and the same rows in the same
// order give the same weights bit for bit (no random draws at all).
import { classWeights, type ClassWeighting } from './class-weights.js';
import { LOGISTIC_WASM } from './logistic-wasm.js';
import { embeddedKernel } from '../dsp/wasm.js';

export interface LogisticOptions {
  /** L2 penalty per sample: minimises mean(weight·cross-entropy) + l2/2·|W|² (the intercepts are not penalised). */
  l2: number;
  classWeight: ClassWeighting;
  maxIter: number;
  /** Stop when the largest gradient component falls below this. */
  tolerance: number;
  /**
   * Weights to start from instead of zeros: a fit on overlapping rows (cross-validation starts each
   * fold from the full fit) needs fewer steps to the same optimum. Ignored if its shape differs.
   */
  init?: LogisticJson;
  /** Evens out the corpora within each class (class-weights.ts corpusFactors), 0 or absent: off. Needs each row's corpus. */
  corpusBalance?: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = {
  // Flat in grouped CV on f5 with augmentation: 0.003 / 0.01 / 0.026 / 0.06 → 63.1 / 63.5 / 63.9 / 63.5 %.
  l2: 0.025,
  classWeight: 'balanced',
  maxIter: 500,
  // The mean loss is O(1): at 1e-4 the weights agree with a 1e-6 stop to 0.5 % of the largest weight.
  tolerance: 1e-4,
};

export interface LogisticJson {
  nClasses: number;
  nFeatures: number;
  /** One row of nFeatures weights per class. */
  weights: number[][];
  bias: number[];
}

export class LogisticRegression {
  private constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    /** Class-major: W[c·d + j]. */
    private readonly W: Float64Array,
    private readonly b: Float64Array,
  ) {}

  static fromJSON(json: LogisticJson): LogisticRegression {
    return new LogisticRegression(json.nClasses, json.nFeatures, Float64Array.from(json.weights.flat()), Float64Array.from(json.bias));
  }

  /** From class-major weights W[c·d + j] and the intercepts (the model file's binary sections). */
  static fromArrays(nClasses: number, nFeatures: number, weights: Float64Array, bias: Float64Array): LogisticRegression {
    if (weights.length !== nClasses * nFeatures || bias.length !== nClasses) throw new RangeError('logistic regression: weights and bias of the wrong size');
    return new LogisticRegression(nClasses, nFeatures, weights, bias);
  }

  predictProba(x: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.nClasses);
    const d = this.nFeatures;
    for (let c = 0; c < this.nClasses; c++) {
      let z = this.b[c];
      for (let j = 0; j < d; j++) z += this.W[c * d + j] * x[j];
      out[c] = z;
    }
    return softmaxInPlace(out);
  }

  /** `rowFactor`: each row's weight is its class weight times this (absent: 1). */
  static train(rows: readonly ArrayLike<number>[], y: readonly number[], nClasses: number, opts: Partial<LogisticOptions> = {}, rowFactor?: ArrayLike<number>): LogisticJson {
    const o = { ...DEFAULT_LOGISTIC, ...opts };
    const n = rows.length;
    const d = n ? rows[0].length : 0;
    const C = nClasses;
    const X = new Float64Array(n * d);
    rows.forEach((r, i) => { for (let j = 0; j < d; j++) X[i * d + j] = r[j]; });
    const classW = classWeights(y, C, o.classWeight);
    const sw = Float64Array.from(y, (c, i) => (rowFactor ? classW[c] * rowFactor[i] : classW[c]));
    const P = C * d + C; // weights, then intercepts

    // Loss and gradient at theta; grad is overwritten. This runs ~100 times per fit over every row
    // and is all of the fit's time. Rows go four at a time; the two passes over their features (the
    // scores z = W·x + b, then grad += g·x) run in WebAssembly (logistic.wat), two lanes of float64 at
    // once, each sum in the same order as the plain loops were: the same weights bit for bit, ~2× faster.
    const k = passKernel(X, n, d, C);
    const biasAt = C * d;
    const { zs, gs } = k;
    const lossGrad = (theta: Float64Array, grad: Float64Array): number => {
      k.theta.set(theta);
      const g = k.grad;
      g.fill(0);
      let loss = 0;
      for (let i0 = 0; i0 < n; i0 += 4) {
        const m = Math.min(4, n - i0);
        k.forward(i0);
        for (let r = 0; r < 4; r++) {
          const at = r * C;
          if (r >= m) { for (let c = 0; c < C; c++) gs[at + c] = 0; continue; }
          const i = i0 + r;
          let max = -Infinity;
          for (let c = 0; c < C; c++) if (zs[at + c] > max) max = zs[at + c];
          let sum = 0;
          for (let c = 0; c < C; c++) { zs[at + c] = Math.exp(zs[at + c] - max); sum += zs[at + c]; }
          const w = sw[i] / n;
          const yi = y[i];
          loss -= w * Math.log(zs[at + yi] / sum);
          for (let c = 0; c < C; c++) gs[at + c] = w * (zs[at + c] / sum - (c === yi ? 1 : 0));
        }
        k.backward(i0, m);
        for (let c = 0; c < C; c++) g[biasAt + c] += gs[c] + gs[C + c] + gs[2 * C + c] + gs[3 * C + c];
      }
      for (let q = 0; q < biasAt; q++) { loss += 0.5 * o.l2 * theta[q] * theta[q]; g[q] += o.l2 * theta[q]; }
      grad.set(g);
      return loss;
    };

    const start = new Float64Array(P);
    if (o.init && o.init.nClasses === C && o.init.nFeatures === d) {
      o.init.weights.forEach((row, c) => start.set(row, c * d));
      start.set(o.init.bias, C * d);
    }
    const theta = lbfgs(lossGrad, start, o.maxIter, o.tolerance);
    const weights = Array.from({ length: C }, (_, c) => Array.from(theta.subarray(c * d, (c + 1) * d)));
    return { nClasses: C, nFeatures: d, weights, bias: Array.from(theta.subarray(C * d)) };
  }
}

const instantiate = embeddedKernel(LOGISTIC_WASM);

/**
 * One fit's rows in WebAssembly memory, twice: row-major (read by the gradient pass, two features at a
 * time) and four rows interleaved per block (read by the score pass, two rows at a time). Rows past
 * the end of the last block repeat its first row; their gradient weight is zero.
 */
function passKernel(X: Float64Array, n: number, d: number, C: number) {
  const blocks = Math.ceil(n / 4);
  const P = C * d + C;
  const x4At = n * d * 8, thetaAt = x4At + blocks * 4 * d * 8, gradAt = thetaAt + P * 8, zsAt = gradAt + P * 8, gsAt = zsAt + 4 * C * 8;
  const { memory, exports } = instantiate(gsAt + 4 * C * 8);
  const buf = memory.buffer;
  new Float64Array(buf, 0, n * d).set(X);
  const x4 = new Float64Array(buf, x4At, blocks * 4 * d);
  for (let b = 0; b < blocks; b++) {
    const i0 = b * 4, m = Math.min(4, n - i0);
    for (let r = 0; r < 4; r++) {
      const row = (i0 + (r < m ? r : 0)) * d;
      for (let j = 0; j < d; j++) x4[(b * d + j) * 4 + r] = X[row + j];
    }
  }
  const forward = exports.forward as (x4: number, theta: number, z: number, d: number, C: number) => void;
  const backward = exports.backward as (x0: number, x1: number, x2: number, x3: number, g: number, grad: number, d: number, C: number) => void;
  const rowAt = (i: number) => i * d * 8;
  return {
    theta: new Float64Array(buf, thetaAt, P),
    grad: new Float64Array(buf, gradAt, P),
    /** A block's scores, z[r·C + c], then its softmax in place. */
    zs: new Float64Array(buf, zsAt, 4 * C),
    /** A block's gradient weights g[r·C + c] (zero for rows past the end). */
    gs: new Float64Array(buf, gsAt, 4 * C),
    forward: (i0: number) => forward(x4At + i0 * d * 8, thetaAt, zsAt, d, C),
    backward: (i0: number, m: number) => backward(rowAt(i0), rowAt(i0 + (m > 1 ? 1 : 0)), rowAt(i0 + (m > 2 ? 2 : 0)), rowAt(i0 + (m > 3 ? 3 : 0)), gsAt, gradAt, d, C),
  };
}

function softmaxInPlace(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) { z[c] = Math.exp(z[c] - max); sum += z[c]; }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return z;
}

/**
 * Limited-memory BFGS (10 pairs) with a backtracking Armijo line search: for a smooth convex loss
 * of a few thousand parameters it converges in a few hundred cheap steps, no tuning needed.
 */
export function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, maxIter: number, tolerance: number, memory = 10): Float64Array {
  const P = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(P);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(P);
  const alpha = new Float64Array(memory);
  const xNew = new Float64Array(P);
  let gNew = new Float64Array(P);
  const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let k = 0; k < P; k++) s += a[k] * b[k]; return s; };
  const maxAbs = (a: Float64Array) => { let m = 0; for (const v of a) m = Math.max(m, Math.abs(v)); return m; };
  for (let it = 0; it < maxIter && maxAbs(g) > tolerance; it++) {
    // Two-loop recursion: dir = −H·g.
    for (let k = 0; k < P; k++) dir[k] = -g[k];
    for (let m = S.length - 1; m >= 0; m--) {
      alpha[m] = rho[m] * dot(S[m], dir);
      for (let k = 0; k < P; k++) dir[k] -= alpha[m] * Y[m][k];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, maxAbs(g));
    for (let k = 0; k < P; k++) dir[k] *= gamma;
    for (let m = 0; m < S.length; m++) {
      const beta = rho[m] * dot(Y[m], dir);
      for (let k = 0; k < P; k++) dir[k] += (alpha[m] - beta) * S[m][k];
    }
    let slope = dot(g, dir);
    if (slope >= 0) { // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let k = 0; k < P; k++) dir[k] = -g[k] / Math.max(1, maxAbs(g));
      slope = dot(g, dir);
    }
    let step = 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let k = 0; k < P; k++) xNew[k] = x[k] + step * dir[k];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew < fx)) break; // no progress possible at this precision
    const s = new Float64Array(P), yv = new Float64Array(P);
    for (let k = 0; k < P; k++) { s[k] = xNew[k] - x[k]; yv[k] = gNew[k] - g[k]; }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (S.length === memory) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(yv); rho.push(1 / sy);
    }
    x = Float64Array.from(xNew);
    [g, gNew] = [gNew, g];
    fx = fNew;
  }
  return x;
}
