import { describe, expect, it } from 'vitest';
import { corpusFactors } from '../../../src/core/model/class-weights.js';
import { LogisticRegression } from '../../../src/core/model/logistic.js';
import { Mlp } from '../../../src/core/model/mlp.js';
import { rng } from '../../../src/core/model/random.js';
import { fitScaler } from '../../../src/core/model/scaler.js';
import { fitLinear, fitMlp, type FitRow } from '../../../src/core/model/train.js';

const gauss = (r: () => number) => () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());

/**
 * Two corpora acting class 0 differently: corpus 0 (90 rows) at x ≈ −2, corpus 1 (10 rows) at x ≈ +0.5;
 * class 1 at x ≈ +2 in both. A model fitted on the rows as they come learns corpus 0's class 0 and
 * calls corpus 1's class 0 class 1, as RAVDESS's sad was called neutral next to CREMA-D's.
 */
function twoCorpora(seed: number): FitRow[] {
  const g = gauss(rng(seed));
  const rows: FitRow[] = [];
  for (let i = 0; i < 90; i++) rows.push({ x: Float32Array.of(-2 + 0.6 * g(), g()), y: 0, corpus: 0 });
  for (let i = 0; i < 10; i++) rows.push({ x: Float32Array.of(0.5 + 0.6 * g(), g()), y: 0, corpus: 1 });
  for (let i = 0; i < 100; i++) rows.push({ x: Float32Array.of(2 + 0.6 * g(), g()), y: 1, corpus: i % 2 });
  return rows;
}

describe('evening out the corpora within each class', () => {
  it('gives each corpus an equal share of a class at strength 1, keeps each class total, and is off at 0', () => {
    const y = [0, 0, 0, 0, 1, 1, 2], corpus = [0, 0, 0, 1, 0, 1, 0];
    const full = corpusFactors(y, corpus, 3, 1);
    // Class 0: 4 rows, corpus 0 has 3 → 4 / (2·3) each, corpus 1 has 1 → 4 / 2.
    expect([...full.subarray(0, 4)].map((v) => +v.toFixed(12))).toEqual([0.666666666667, 0.666666666667, 0.666666666667, 2]);
    expect([...full.subarray(4)]).toEqual([1, 1, 1]); // already even; a class in one corpus keeps 1
    expect([...corpusFactors(y, corpus, 3, 0)]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const half = corpusFactors(y, corpus, 3, 0.5);
    expect(half[0] + half[1] + half[2] + half[3]).toBeCloseTo(4, 12);
    expect(half[3] / half[0]).toBeCloseTo(Math.sqrt(3), 12); // between 1 (off) and 3 (full)
  });

  it('makes the logistic regression and the MLP hear the smaller corpus: its class-0 clips are recognised', () => {
    const rows = twoCorpora(1);
    const scaler = fitScaler(rows.map((r) => r.x));
    const minority = twoCorpora(2).filter((r) => r.corpus === 1 && r.y === 0);
    const recall = (p: (x: ArrayLike<number>) => Float64Array) => minority.filter((r) => p(r.x)[0] > 0.5).length / minority.length;
    const scaled = (x: ArrayLike<number>) => Array.from(x, (v, j) => (v - scaler.mean[j]) / scaler.scale[j]);
    const linear = (strength: number) => LogisticRegression.fromJSON(fitLinear(rows, scaler, { corpusBalance: strength }));
    const mlp = (strength: number) => Mlp.fromJSON(fitMlp(rows, scaler, { corpusBalance: strength, hidden: 16, epochs: 60, batch: 32, learningRate: 0.01, alpha: 0.1 }));
    for (const make of [linear, mlp]) {
      const plain = make(0), even = make(1);
      expect(recall((x) => even.predictProba(scaled(x)))).toBeGreaterThan(recall((x) => plain.predictProba(scaled(x))) + 0.2);
    }
  });

  it('changes nothing when off: the same weights bit for bit as a fit that never heard of corpora', () => {
    const rows = twoCorpora(3);
    const scaler = fitScaler(rows.map((r) => r.x));
    const bare = rows.map(({ x, y }) => ({ x, y }));
    expect(JSON.stringify(fitLinear(rows, scaler, { corpusBalance: 0 }))).toBe(JSON.stringify(fitLinear(bare, scaler, {})));
    expect(JSON.stringify(fitMlp(rows, scaler, { hidden: 16, epochs: 3 }))).toBe(JSON.stringify(fitMlp(bare, scaler, { hidden: 16, epochs: 3 })));
  });
});

describe('label trust', () => {
  it('rows with trust 0 do not pull the boundary: mislabelled rows are then ignored', () => {
    const rows = twoCorpora(4).map((r) => ({ ...r, corpus: undefined }));
    const g = gauss(rng(5));
    // 40 class-1-looking rows labelled 0 (listeners heard class 1).
    const wrong = Array.from({ length: 40 }, () => ({ x: Float32Array.of(2 + 0.6 * g(), g()), y: 0 }));
    const scaler = fitScaler(rows.map((r) => r.x));
    const at = [2, 0].map((v, j) => (v - scaler.mean[j]) / scaler.scale[j]);
    const p1 = (t: number) => LogisticRegression.fromJSON(fitLinear([...rows, ...wrong.map((w) => ({ ...w, trust: t }))], scaler, {})).predictProba(at)[1];
    const clean = LogisticRegression.fromJSON(fitLinear(rows, scaler, {})).predictProba(at)[1];
    expect(p1(1)).toBeLessThan(clean - 0.05);
    expect(p1(0)).toBeGreaterThan(p1(1) + 0.05);
    expect(p1(0)).toBeCloseTo(clean, 1);
  });
});

describe('MLP bags', () => {
  it('stores N networks as one: its prediction is the softmax of their averaged logits', () => {
    const rows = twoCorpora(6);
    const X = rows.map((r) => r.x), y = rows.map((r) => r.y);
    const opts = { hidden: 16, epochs: 5, batch: 32, seed: 9 };
    const bagged = Mlp.fromJSON(Mlp.train(X, y, 2, { ...opts, bags: 2 }));
    expect(bagged.hidden).toBe(32);
    const a = Mlp.fromJSON(Mlp.train(X, y, 2, opts)), b = Mlp.fromJSON(Mlp.train(X, y, 2, { ...opts, seed: 1009 }));
    for (const x of twoCorpora(7).slice(0, 30).map((r) => r.x)) {
      const pa = a.predictProba(x), pb = b.predictProba(x);
      const z = [0, 1].map((c) => Math.exp((Math.log(pa[c]) + Math.log(pb[c])) / 2));
      const p = bagged.predictProba(x);
      for (const c of [0, 1]) expect(p[c]).toBeCloseTo(z[c] / (z[0] + z[1]), 6);
    }
  });
});
