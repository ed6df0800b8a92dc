import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flattenForest, RandomForest, relativeChildren, type ForestJson } from '../../../src/core/model/forest.js';
import { FOREST_WASM } from '../../../src/core/model/forest-wasm.js';
import { rng } from '../../../src/core/model/random.js';
import { chainTree } from './chain-tree.js';

function blobs(n: number, seed: number, weights = [1, 1, 1]) {
  const r = rng(seed);
  const X: number[][] = [], y: number[] = [];
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    let u = r() * total, c = 0;
    while (u > weights[c]) u -= weights[c++];
    y.push(c);
    X.push([c * 2 + r() * 1.5, r(), r() * 3 - c]);
  }
  return { X, y };
}

/** n rows of 7 overlapping classes: feature j is shifted by `shift` for class j mod 7; the last one has ties. */
function overlapping(n: number, d: number, shift: number, seed: number) {
  const r = rng(seed);
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * 7);
    y.push(c);
    X.push(Array.from({ length: d }, (_, j) => (j % 7 === c ? shift : 0) + r() + (j === d - 1 ? Math.round(r() * 3) : 0)));
  }
  return { X, y };
}

describe('RandomForest', () => {
  it('learns separable classes and gives probabilities that sum to 1', () => {
    const { X, y } = blobs(300, 1);
    const f = RandomForest.fromJSON(RandomForest.train(X, y, 3, { nTrees: 30, seed: 7 }));
    const t = blobs(200, 2);
    let right = 0;
    t.X.forEach((x, i) => {
      const p = f.predictProba(x);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      right += p.indexOf(Math.max(...p)) === t.y[i] ? 1 : 0;
    });
    expect(right / 200).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { X, y } = blobs(120, 3);
    const a = JSON.stringify(RandomForest.train(X, y, 3, { nTrees: 5, seed: 1 }));
    expect(JSON.stringify(RandomForest.train(X, y, 3, { nTrees: 5, seed: 1 }))).toBe(a);
    expect(JSON.stringify(RandomForest.train(X, y, 3, { nTrees: 5, seed: 2 }))).not.toBe(a);
  });

  it('grows the same trees as the plain full-histogram search it replaced', () => {
    // The split search visits only the bins a node fills and the classes it holds; both only ever
    // skipped exact zeros, so the trees must be bit-identical to those of the full scan. These
    // hashes were taken from the full-scan code (commit 676a058): 7 overlapping classes, deep trees,
    // ties, a minimum leaf size (the early stop) and more bins than one 32-bit mask word.
    const { X, y } = overlapping(600, 30, 0.8, 21);
    const hash = (minSamplesLeaf: number, maxBins: number) =>
      createHash('sha256').update(JSON.stringify(RandomForest.train(X, y, 7, { nTrees: 8, maxFeatures: 6, seed: 5, minSamplesLeaf, maxBins }))).digest('hex').slice(0, 16);
    expect(hash(1, 64)).toBe('a18a14ad426e1311');
    expect(hash(3, 64)).toBe('087e89bbb5f68a6c');
    expect(hash(1, 200)).toBe('3faeaed908aa4c7e');
  });

  it('grows the same trees as the JavaScript split search forest.wat replaced, on memory beyond one page', () => {
    // Hashes taken from the JavaScript search (commit 30bd08c): 3,000 rows × 50 features (the bin codes alone
    // outgrow the module's first 64-KB page), one 64-bit mask and four words of 256 bins.
    const { X, y } = overlapping(3000, 50, 0.5, 33);
    const hash = (maxBins: number) => createHash('sha256').update(JSON.stringify(RandomForest.train(X, y, 7, { nTrees: 4, maxFeatures: 8, seed: 77, maxBins }))).digest('hex').slice(0, 16);
    expect(hash(64)).toBe('68f39a5202353e31');
    expect(hash(256)).toBe('959e3059f6d49afc');
    expect(() => RandomForest.train(X.slice(0, 10), y.slice(0, 10), 7, { maxBins: 257 })).toThrow(RangeError);
  });

  it('embeds the bytes of forest.wat (npm run build:fft-wasm after editing it)', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/model/forest.wat')).toString('base64')).toBe(FOREST_WASM);
  });

  it('balanced class weights lift the recall of a rare class', () => {
    // Overlapping classes, class 2 rare: without weights the forest mostly ignores it.
    const r = rng(5);
    const make = (n: number) => {
      const X: number[][] = [], y: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = r() < 0.1 ? 2 : r() < 0.5 ? 0 : 1;
        y.push(c);
        X.push([c + r() * 2.5, r() * 2.5 + (c === 2 ? 0.8 : 0)]);
      }
      return { X, y };
    };
    const train = make(800), test = make(2000);
    const recall2 = (mode: 'balanced' | 'none') => {
      const f = RandomForest.fromJSON(RandomForest.train(train.X, train.y, 3, { nTrees: 40, classWeight: mode, minSamplesLeaf: 20, seed: 3 }));
      let tp = 0, n = 0;
      test.X.forEach((x, i) => {
        if (test.y[i] !== 2) return;
        n++;
        const p = f.predictProba(x);
        tp += p.indexOf(Math.max(...p)) === 2 ? 1 : 0;
      });
      return tp / n;
    };
    expect(recall2('balanced')).toBeGreaterThan(recall2('none') + 0.05);
  });

  it('adds the same bits as one tree after another, for any number of trees (four descend side by side)', () => {
    // The reference walks each tree as training grew it (preorder: the left child is the next node), one after another.
    const { X, y } = blobs(300, 9);
    for (const nTrees of [1, 3, 4, 7, 13]) {
      const json = RandomForest.train(X, y, 3, { nTrees, maxFeatures: 1, seed: nTrees });
      // a tree that is a single leaf (its root is ~row), as a forest grown on one class has
      json.trees.splice(1, 0, { feature: [-1], threshold: [0], right: [-1], leaf: [0], leaves: [[0.25, 0.5, 0.25]] });
      const flat = flattenForest(json);
      expect(flat.left).toBeInstanceOf(Uint16Array); // children that fit are stored narrow
      const f = RandomForest.fromFlat(flat);
      for (const x of blobs(60, 10 + nTrees).X) expect(f.predictProba(x)).toEqual(oneByOne(json, x));
    }
  });

  it('keeps wide children for a tree too big for narrow ones, and answers the same either way', () => {
    const { X, y } = blobs(200, 4);
    const json = RandomForest.train(X, y, 3, { nTrees: 5, maxFeatures: 1, seed: 4 });
    const narrow = flattenForest(json);
    expect(narrow.left).toBeInstanceOf(Uint16Array);
    const big = chainTree();
    const wide = flattenForest({ ...json, trees: [...json.trees, big] });
    expect(wide.left).toBeInstanceOf(Uint32Array);
    const f = RandomForest.fromFlat(wide);
    for (const x of [...blobs(20, 5).X, [-1, -5, 0], [-1, -40000, 0], [-1, 0, 0], [1, 0, 0], [1, 0, 9]]) {
      expect(f.predictProba(x)).toEqual(oneByOne({ ...json, trees: [...json.trees, big] }, x));
    }
    for (const x of blobs(20, 6).X) expect(RandomForest.fromFlat(narrow).predictProba(x)).toEqual(oneByOne(json, x));
  });

  it('refuses children that do not follow their split (a loop), and makes the rest relative', () => {
    const leaf = (row: number) => ~row;
    expect(relativeChildren(Int32Array.of(1, leaf(0)), Int32Array.of(leaf(1), leaf(2)))).toEqual({ left: Uint16Array.of(1, 0x8000), right: Uint16Array.of(0x8001, 0x8002) });
    expect(relativeChildren(Int32Array.of(leaf(40000)), Int32Array.of(leaf(0)))).toEqual({ left: Uint32Array.of(0x80000000 + 40000), right: Uint32Array.of(0x80000000) });
    expect(() => relativeChildren(Int32Array.of(1, 0), Int32Array.of(leaf(0), leaf(0)))).toThrow(/does not follow/);
    expect(() => relativeChildren(Int32Array.of(0), Int32Array.of(leaf(0)))).toThrow(/does not follow/);
  });

  it('handles constant features and a single class without crashing', () => {
    const f = RandomForest.fromJSON(RandomForest.train([[1, 1], [1, 1], [1, 1]], [0, 0, 0], 2, { nTrees: 3 }));
    expect([...f.predictProba([1, 1])]).toEqual([1, 0]);
  });
});

/** The mean of the trees' leaf rows (as float32, as the flat form stores them), walking each tree of `json` in turn. */
function oneByOne(json: ForestJson, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(json.nClasses);
  for (const t of json.trees) {
    let n = 0;
    while (t.feature[n] >= 0) n = x[t.feature[n]] <= t.threshold[n] ? n + 1 : t.right[n];
    t.leaves[t.leaf[n]].forEach((p, c) => (out[c] += Math.fround(p)));
  }
  return out.map((v) => v / json.trees.length);
}
