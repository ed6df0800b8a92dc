import { describe, expect, it } from 'vitest';
import { classWeights } from '../../../src/core/model/class-weights.js';
import { lbfgs, LogisticRegression, DEFAULT_LOGISTIC } from '../../../src/core/model/logistic.js';
import { LOGISTIC_WASM } from '../../../src/core/model/logistic-wasm.js';
import { argmax } from '../../../src/core/model/metrics.js';
import { rng } from '../../../src/core/model/random.js';

/** Gaussian blobs, one per class, in d dimensions; `spread` controls the overlap. */
function blobs(n: number, k: number, d: number, spread: number, seed: number, share?: (c: number) => number) {
  const r = rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => 4 * r() - 2));
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  const X: Float64Array[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = i % k;
    if (share) { const u = r(); c = 0; let acc = share(0); while (u > acc && c < k - 1) acc += share(++c); }
    X.push(Float64Array.from(centres[c], (m) => m + spread * gauss()));
    y.push(c);
  }
  return { X, y };
}

const accuracy = (m: LogisticRegression, X: Float64Array[], y: number[]) => X.filter((x, i) => argmax(m.predictProba(x)) === y[i]).length / X.length;

describe('logistic regression', () => {
  it('learns separable classes and generalises to new points', () => {
    const train = blobs(700, 7, 10, 0.3, 1), test = blobs(700, 7, 10, 0.3, 1);
    const m = LogisticRegression.fromJSON(LogisticRegression.train(train.X, train.y, 7));
    expect(accuracy(m, test.X, test.y)).toBeGreaterThan(0.97);
    const p = m.predictProba(test.X[0]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic: the same rows give the same weights', () => {
    const { X, y } = blobs(300, 7, 5, 1, 2);
    expect(JSON.stringify(LogisticRegression.train(X, y, 7))).toBe(JSON.stringify(LogisticRegression.train(X, y, 7)));
  });

  it('stops where the gradient of its objective is below the tolerance, whatever the row count', () => {
    // 301 rows: not a multiple of the four rows the loss pass takes at a time. The gradient of
    // mean(class weight · cross-entropy) + l2/2·|W|² is recomputed here the plain way.
    const { X, y } = blobs(301, 7, 6, 1.2, 9);
    const l2 = 0.025;
    const fit = LogisticRegression.train(X, y, 7, { l2 });
    const count = Array.from({ length: 7 }, (_, c) => y.filter((v) => v === c).length);
    const cw = count.map((k) => y.length / (7 * k));
    const grad = fit.weights.map((row) => row.map((w) => l2 * w));
    const gb = fit.bias.map(() => 0);
    X.forEach((x, i) => {
      const z = fit.weights.map((row, c) => row.reduce((s, w, j) => s + w * x[j], fit.bias[c]));
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => {
        const g = (cw[y[i]] / y.length) * (v / sum - (c === y[i] ? 1 : 0));
        x.forEach((xj, j) => (grad[c][j] += g * xj));
        gb[c] += g;
      });
    });
    const worst = Math.max(...grad.flat().map(Math.abs), ...gb.map(Math.abs));
    expect(worst).toBeLessThan(1e-4);
    expect(worst).toBeGreaterThan(0); // a real fit, not a zero model
  });

  it('started from a nearby fit, reaches the same optimum as from zeros', () => {
    const a = blobs(400, 7, 8, 1, 11), b = blobs(400, 7, 8, 1, 12);
    const nearby = LogisticRegression.train(a.X, a.y, 7);
    const cold = LogisticRegression.train(b.X, b.y, 7);
    const warm = LogisticRegression.train(b.X, b.y, 7, { init: nearby });
    const largest = Math.max(...cold.weights.flat().map(Math.abs));
    const diff = Math.max(...cold.weights.flat().map((w, k) => Math.abs(w - warm.weights.flat()[k])));
    expect(diff).toBeLessThan(0.01 * largest);
    expect(JSON.stringify(warm)).not.toBe(JSON.stringify(cold)); // it did start elsewhere
    // A start of the wrong shape is ignored: the fit is the one from zeros.
    const wrong = { ...nearby, nFeatures: 3 };
    expect(JSON.stringify(LogisticRegression.train(b.X, b.y, 7, { init: wrong }))).toBe(JSON.stringify(cold));
  });

  it('a stronger L2 penalty gives smaller weights and softer probabilities', () => {
    const { X, y } = blobs(400, 7, 5, 1, 3);
    const norm = (l2: number) => LogisticRegression.train(X, y, 7, { l2 }).weights.flat().reduce((s, w) => s + w * w, 0);
    expect(norm(1)).toBeLessThan(norm(0.01) / 5);
  });

  it('balanced class weights raise the recall of a rare class', () => {
    // Class 0 is 85 % of the rows and overlaps the others.
    const share = (c: number) => (c === 0 ? 0.85 : 0.05);
    const train = blobs(2000, 4, 3, 1.5, 4, share), test = blobs(2000, 4, 3, 1.5, 4, share);
    const recallOfRare = (mode: 'balanced' | 'none') => {
      const m = LogisticRegression.fromJSON(LogisticRegression.train(train.X, train.y, 4, { classWeight: mode }));
      const rare = test.X.map((x, i) => i).filter((i) => test.y[i] !== 0);
      return rare.filter((i) => argmax(m.predictProba(test.X[i])) === test.y[i]).length / rare.length;
    };
    expect(recallOfRare('balanced')).toBeGreaterThan(recallOfRare('none') + 0.1);
  });

  it('survives a constant feature and a single class', () => {
    const X = Array.from({ length: 20 }, (_, i) => Float64Array.from([0, i / 20]));
    const m = LogisticRegression.fromJSON(LogisticRegression.train(X, X.map(() => 2), 3));
    const p = m.predictProba([0, 0.5]);
    expect(argmax(p)).toBe(2);
    expect([...p].every(Number.isFinite)).toBe(true);
  });
});

/**
 * The fit as it was in plain JavaScript before its two passes moved to WebAssembly: the same loops, so
 * the WebAssembly passes must give the same weights to the last bit.
 */
function plainFit(rows: readonly Float64Array[], y: number[], C: number) {
  const o = DEFAULT_LOGISTIC;
  const n = rows.length, d = rows[0].length;
  const X = new Float64Array(n * d);
  rows.forEach((r, i) => X.set(r, i * d));
  const classW = classWeights(y, C, o.classWeight);
  const sw = Float64Array.from(y, (c) => classW[c]);
  const biasAt = C * d;
  const zs = new Float64Array(4 * C), gs = new Float64Array(4 * C);
  const lossGrad = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i0 = 0; i0 < n; i0 += 4) {
      const m = Math.min(4, n - i0);
      const xr = [0, 1, 2, 3].map((r) => (i0 + (m > r ? r : 0)) * d);
      for (let c = 0; c < C; c++) {
        const s = [0, 0, 0, 0];
        for (let j = 0; j < d; j++) for (let r = 0; r < 4; r++) s[r] += theta[c * d + j] * X[xr[r] + j];
        for (let r = 0; r < 4; r++) zs[r * C + c] = s[r] + theta[biasAt + c];
      }
      for (let r = 0; r < 4; r++) {
        const at = r * C;
        if (r >= m) { for (let c = 0; c < C; c++) gs[at + c] = 0; continue; }
        let max = -Infinity;
        for (let c = 0; c < C; c++) if (zs[at + c] > max) max = zs[at + c];
        let sum = 0;
        for (let c = 0; c < C; c++) { zs[at + c] = Math.exp(zs[at + c] - max); sum += zs[at + c]; }
        const w = sw[i0 + r] / n, yi = y[i0 + r];
        loss -= w * Math.log(zs[at + yi] / sum);
        for (let c = 0; c < C; c++) gs[at + c] = w * (zs[at + c] / sum - (c === yi ? 1 : 0));
      }
      for (let c = 0; c < C; c++) {
        const [g0, g1, g2, g3] = [0, 1, 2, 3].map((r) => gs[r * C + c]);
        for (let j = 0; j < d; j++) grad[c * d + j] += g0 * X[xr[0] + j] + g1 * X[xr[1] + j] + g2 * X[xr[2] + j] + g3 * X[xr[3] + j];
        grad[biasAt + c] += g0 + g1 + g2 + g3;
      }
    }
    for (let k = 0; k < biasAt; k++) { loss += 0.5 * o.l2 * theta[k] * theta[k]; grad[k] += o.l2 * theta[k]; }
    return loss;
  };
  const theta = lbfgs(lossGrad, new Float64Array(C * d + C), o.maxIter, o.tolerance);
  return { weights: Array.from({ length: C }, (_, c) => Array.from(theta.subarray(c * d, (c + 1) * d))), bias: Array.from(theta.subarray(C * d)) };
}

describe('logistic regression passes in WebAssembly', () => {
  it('give the weights of the plain loops bit for bit: odd and even rows, features and classes', () => {
    for (const [n, C, d] of [[301, 7, 13], [64, 2, 8], [67, 5, 1], [2, 3, 4]]) {
      const { X, y } = blobs(n, C, d, 1.1, n + d);
      const fit = LogisticRegression.train(X, y, C);
      const plain = plainFit(X, y, C);
      expect(fit.weights).toEqual(plain.weights);
      expect(fit.bias).toEqual(plain.bias);
    }
  });

  it('are the bytes logistic.wat compiles to', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/model/logistic.wat')).toString('base64')).toBe(LOGISTIC_WASM);
  });
});

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
      g[1] = 200 * (x[1] - x[0] * x[0]);
      return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
    };
    const x = lbfgs(f, Float64Array.from([-1.2, 1]), 500, 1e-8);
    expect(x[0]).toBeCloseTo(1, 5);
    expect(x[1]).toBeCloseTo(1, 5);
  });
});
