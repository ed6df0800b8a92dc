import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '../../../src/core/model/logistic.js';
import { argmax } from '../../../src/core/model/metrics.js';
import { Mlp } from '../../../src/core/model/mlp.js';
import { MLP_WASM } from '../../../src/core/model/mlp-wasm.js';
import { rng } from '../../../src/core/model/random.js';

/**
 * Four clusters at the corners of a square in the first two dimensions, class = which diagonal
 * (XOR: no line separates them), plus `noise` dimensions of pure noise. 3 classes: a third class
 * sits in the middle.
 */
function xor(n: number, noise: number, seed: number) {
  const r = rng(seed);
  const g = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  const X: Float64Array[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const corner = i % 5;
    const [a, b, c] = corner === 4 ? [0, 0, 2] : [corner & 1 ? 2 : -2, corner & 2 ? 2 : -2, (corner & 1) ^ ((corner & 2) >> 1)];
    X.push(Float64Array.from({ length: 2 + noise }, (_, j) => (j === 0 ? a : j === 1 ? b : 0) + 0.4 * g()));
    y.push(c);
  }
  return { X, y };
}

const accuracy = (p: (x: Float64Array) => Float64Array, X: Float64Array[], y: number[]) => X.filter((x, i) => argmax(p(x)) === y[i]).length / X.length;

describe('MLP member', () => {
  it('learns classes no line separates, where the logistic regression cannot', () => {
    // 301 rows, 37 features: neither a multiple of the batch nor of the kernels' four lanes.
    const train = xor(301, 35, 1), test = xor(500, 35, 2);
    const mlp = Mlp.fromJSON(Mlp.train(train.X, train.y, 3, { epochs: 150, batch: 64, learningRate: 0.01, alpha: 0.1 }));
    const linear = LogisticRegression.fromJSON(LogisticRegression.train(train.X, train.y, 3));
    expect(accuracy((x) => mlp.predictProba(x), test.X, test.y)).toBeGreaterThan(0.95);
    expect(accuracy((x) => linear.predictProba(x), test.X, test.y)).toBeLessThan(0.75);
    const p = mlp.predictProba(test.X[0]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic: the same rows and seed give the same weights; another seed other weights', () => {
    const { X, y } = xor(200, 10, 3);
    const a = Mlp.train(X, y, 3, { epochs: 5, seed: 7 });
    expect(JSON.stringify(Mlp.train(X, y, 3, { epochs: 5, seed: 7 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(Mlp.train(X, y, 3, { epochs: 5, seed: 8 }))).not.toBe(JSON.stringify(a));
    expect(a.w1.every((w) => Math.fround(w) === w)).toBe(true); // float32 values, as the model file stores them
  });

  it('gives the weights it gave before: the fit is pinned bit for bit (48 units, so three 16-unit blocks; two bags)', () => {
    // Hashes from the kernels of commit 30bd08c. The products may be reordered across rows, units or inputs, never
    // within one sum: a change here changes every model file trained after it.
    const { X, y } = xor(301, 35, 1);
    const hash = (bags: number) => createHash('sha256').update(JSON.stringify(Mlp.train(X, y, 3, { epochs: 4, batch: 64, hidden: 48, seed: 9, bags }))).digest('hex').slice(0, 16);
    expect(hash(1)).toBe('a23630ea1083bd01');
    expect(hash(2)).toBe('a9734d04123d4caa');
  });

  it('corrects for the training class priors: a class 9× rarer is still predicted where it lies', () => {
    // Classes 0 and 1 overlap; class 1 is 10 % of the rows. Unweighted, the network leans to class 0 in
    // the overlap; the stored intercepts divide that prior out, so the two means are judged alike.
    const r = rng(5);
    const g = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
    const X: Float64Array[] = [], y: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const c = i % 10 === 0 ? 1 : 0;
      X.push(Float64Array.of((c ? 1 : -1) + g(), g()));
      y.push(c);
    }
    const mlp = Mlp.fromJSON(Mlp.train(X, y, 2, { epochs: 40, batch: 100, learningRate: 0.01 }));
    const atMeans = [Float64Array.of(-1, 0), Float64Array.of(1, 0)].map((x) => mlp.predictProba(x));
    expect(argmax(atMeans[0])).toBe(0);
    expect(argmax(atMeans[1])).toBe(1);
    expect(mlp.predictProba(Float64Array.of(0, 0))[1]).toBeGreaterThan(0.3); // unweighted it would be near 0.1
  });

  // Class counts within the output kernel's eight: one, a float64 pair's worth, the product's seven, all eight.
  it.each([1, 2, 7, 8])('computes its layers exactly as the plain sums in order would (%i classes; the arithmetic training uses too)', (C) => {
    const r = rng(11), d = 37, H = 48;
    const f = (n: number) => Float32Array.from({ length: n }, () => r() - 0.5);
    const [w1, b1, w2, b2] = [f(d * H), f(H), f(C * H), f(C)];
    const mlp = Mlp.fromArrays(C, d, H, w1, b1, w2, b2);
    for (let t = 0; t < 20; t++) {
      const x = Float64Array.from({ length: d }, () => 4 * r() - 2);
      const act = Array.from({ length: H }, (_, h) => {
        let s = b1[h];
        for (let j = 0; j < d; j++) s = Math.fround(s + Math.fround(Math.fround(x[j]) * w1[j * H + h]));
        return s > 0 ? s : 0;
      });
      const z = Array.from({ length: C }, (_, c) => act.reduce((s, a, h) => s + w2[c * H + h] * a, b2[c]));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const sum = e.reduce((a, b) => a + b, 0);
      expect([...mlp.predictProba(x)]).toEqual(e.map((v) => v / sum));
    }
  });

  it('refuses weights of the wrong size', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => Mlp.fromArrays(7, 10, 32, f(320), f(32), f(7 * 32), f(7))).not.toThrow();
    expect(() => Mlp.fromArrays(7, 10, 32, f(319), f(32), f(7 * 32), f(7))).toThrow(RangeError);
    expect(() => Mlp.fromArrays(7, 10, 32, f(320), f(32), f(7 * 32), f(6))).toThrow(RangeError);
    expect(() => Mlp.fromArrays(7, 10, 20, f(200), f(20), f(7 * 20), f(7))).toThrow(RangeError); // not a multiple of 16
    expect(() => Mlp.fromArrays(9, 10, 32, f(320), f(32), f(9 * 32), f(9))).toThrow(/at most 8/); // the output kernel's classes
    expect(() => Mlp.train([[0], [1]], [0, 8], 9)).toThrow(/at most 8/);
  });

  it('embeds the bytes of mlp.wat (npm run build:fft-wasm after editing it)', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/model/mlp.wat')).toString('base64')).toBe(MLP_WASM);
  });
});
