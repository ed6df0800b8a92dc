// Random forest classifier with class weights and soft (leaf-distribution) probabilities.
//
// Written here rather than taken from ml-random-forest: that package grows trees through ml-cart,
// which re-partitions every sample for every split candidate (measured 4.5 s per tree on 960×200
// data), has no class weights, and returns hard-vote probabilities. This one bins each feature to
// ≤ 64 quantile bins once and grows trees from per-node class histograms (the LightGBM trick); a
// node's scan visits only the bins its samples fill and the classes it holds. One fold's 100 trees
// take ~2 s of CPU on RAVDESS (1,920 rows × 398 features) and ~7 s on the three corpora (7,106 rows).
// Histogram subtraction (a child's histogram = parent's − sibling's) is not used: each node draws its
// own 40 of 398 features, so a child shares only ~10 % of its features with its parent, and the
// histograms are sums of float weights (bootstrap count × balanced class weight) in sample order, so
// parent − sibling differs from the child's own sum in the last bits: near-tied splits could flip and
// the model would no longer be the same bytes for the same data and seed.
// Splits are still stored as raw-valued thresholds, so prediction needs no bins.
import { classWeights, type ClassWeighting } from './class-weights.js';
import { rng, randInt } from './random.js';

export interface ForestOptions {
  nTrees: number;
  /** Features tried per split: a count, or a fraction of all features. */
  maxFeatures: number;
  maxDepth: number;
  minSamplesLeaf: number;
  classWeight: ClassWeighting;
  seed: number;
  maxBins: number;
}

export const DEFAULT_FOREST: ForestOptions = {
  // Alone, 200 trees; blended with the logistic regression, 100 score the same (61.9 vs 61.9 %,
  // 3 fold seeds) at half the training time and model size.
  nTrees: 100,
  // 40 of f4's 263 (~0.15·d) beat sqrt(d) ≈ 16 by +1.0 point grouped-CV accuracy over 7 seeds; in the
  // f5 blend 15, 25 and 40 of 398 score within noise (64.3 / 64.3 / 64.8 %), so it stayed.
  maxFeatures: 40, // 0 → sqrt(d)
  maxDepth: 24,
  minSamplesLeaf: 1,
  classWeight: 'balanced',
  seed: 42,
  maxBins: 64,
};

/** One tree in preorder: a node's left child is the next node; leaves have feature −1. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  right: number[];
  /** For a leaf: index into `leaves` (rows of nClasses probabilities). */
  leaf: number[];
  leaves: number[][];
}

export interface ForestJson {
  nClasses: number;
  nFeatures: number;
  trees: TreeJson[];
}

/**
 * The forest as prediction reads it and the model file stores it: only the split nodes, in flat typed
 * arrays. A child is a split's index (≥ 0) or the complement ~r of its leaf's row (< 0). A split's
 * threshold is an index into `cuts`, the distinct thresholds (trees grown on ≤ 64 bins per feature
 * share a few thousand), and each distinct leaf distribution is stored once (grown to purity, 100
 * trees have ~200 among ~180,000 leaves), as float32. Half the bytes of one slot per node.
 */
export interface FlatForest {
  nClasses: number;
  nFeatures: number;
  /** Each tree's root: a split, or ~row for a tree that is a single leaf. */
  roots: Int32Array;
  /** A split's feature. */
  feature: Uint16Array;
  /** A split's threshold, as an index into `cuts`: go left when x[feature] <= cuts[cut]. */
  cut: Uint16Array;
  cuts: Float64Array;
  left: Int32Array;
  right: Int32Array;
  leafRows: Float32Array;
}

export function flattenForest(json: ForestJson): FlatForest {
  const C = json.nClasses;
  let nSplits = 0;
  for (const t of json.trees) for (const f of t.feature) if (f >= 0) nSplits++;
  if (json.nFeatures > 0xffff) throw new RangeError(`forest: ${json.nFeatures} features, the flat form holds at most 65,535`);
  const flat: FlatForest = {
    nClasses: C,
    nFeatures: json.nFeatures,
    roots: new Int32Array(json.trees.length),
    feature: new Uint16Array(nSplits),
    cut: new Uint16Array(nSplits),
    cuts: new Float64Array(0),
    left: new Int32Array(nSplits),
    right: new Int32Array(nSplits),
    leafRows: new Float32Array(0),
  };
  const rows: number[] = [];
  const rowOf = new Map<string, number>();
  const leafRow = (dist: number[]): number => {
    const row = Float32Array.from(dist);
    const key = row.join();
    let r = rowOf.get(key);
    if (r === undefined) {
      r = rowOf.size;
      rowOf.set(key, r);
      rows.push(...row);
    }
    return r;
  };
  const cuts: number[] = [];
  const cutOf = new Map<number, number>();
  const cutIndex = (th: number): number => {
    let k = cutOf.get(th);
    if (k === undefined) {
      k = cuts.push(th) - 1;
      cutOf.set(th, k);
    }
    return k;
  };
  let s = 0;
  json.trees.forEach((t, i) => {
    // Preorder: a node's left child is the next node. Splits are numbered in that order.
    const ref = Int32Array.from(t.feature, (f, n) => (f >= 0 ? s++ : ~leafRow(t.leaves[t.leaf[n]])));
    for (let n = 0; n < t.feature.length; n++) {
      const k = ref[n];
      if (k < 0) continue;
      flat.feature[k] = t.feature[n];
      flat.cut[k] = cutIndex(t.threshold[n]);
      flat.left[k] = ref[n + 1];
      flat.right[k] = ref[t.right[n]];
    }
    flat.roots[i] = ref[0];
  });
  if (cuts.length > 0x10000) throw new RangeError(`forest: ${cuts.length} distinct thresholds, the flat form holds at most 65,536`);
  flat.cuts = Float64Array.from(cuts);
  flat.leafRows = Float32Array.from(rows);
  if (flat.leafRows.length !== rowOf.size * C) throw new Error('forest: leaf rows of the wrong width');
  return flat;
}

export class RandomForest {
  readonly nClasses: number;
  readonly nFeatures: number;

  private constructor(private readonly flat: FlatForest) {
    this.nClasses = flat.nClasses;
    this.nFeatures = flat.nFeatures;
  }

  static fromJSON(json: ForestJson): RandomForest {
    return new RandomForest(flattenForest(json));
  }

  static fromFlat(flat: FlatForest): RandomForest {
    return new RandomForest(flat);
  }

  /**
   * Mean of the trees' leaf class distributions. Four trees descend side by side: each step of a
   * descent is a cache miss into ~2 MB of nodes, and four independent chains let the CPU wait for four
   * at once (2× on the shipped forest). The leaves are still added in tree order: the same sums.
   */
  predictProba(x: ArrayLike<number>): Float64Array {
    const { roots, feature, cut, cuts, left, right, leafRows } = this.flat;
    const C = this.nClasses;
    const T = roots.length;
    const out = new Float64Array(C);
    let t = 0;
    for (; t + 4 <= T; t += 4) {
      let a = roots[t];
      let b = roots[t + 1];
      let c = roots[t + 2];
      let d = roots[t + 3];
      // Until all four are leaves (< 0): the AND of their bits is negative only then.
      while ((a & b & c & d) >= 0) {
        if (a >= 0) a = x[feature[a]] <= cuts[cut[a]] ? left[a] : right[a];
        if (b >= 0) b = x[feature[b]] <= cuts[cut[b]] ? left[b] : right[b];
        if (c >= 0) c = x[feature[c]] <= cuts[cut[c]] ? left[c] : right[c];
        if (d >= 0) d = x[feature[d]] <= cuts[cut[d]] ? left[d] : right[d];
      }
      addRow(out, leafRows, ~a * C);
      addRow(out, leafRows, ~b * C);
      addRow(out, leafRows, ~c * C);
      addRow(out, leafRows, ~d * C);
    }
    for (; t < T; t++) {
      let n = roots[t];
      while (n >= 0) n = x[feature[n]] <= cuts[cut[n]] ? left[n] : right[n];
      addRow(out, leafRows, ~n * C);
    }
    for (let c = 0; c < C; c++) out[c] /= T;
    return out;
  }

  static train(rows: readonly ArrayLike<number>[], y: readonly number[], nClasses: number, opts: Partial<ForestOptions> = {}): ForestJson {
    const o = { ...DEFAULT_FOREST, ...opts };
    const n = rows.length;
    const d = n ? rows[0].length : 0;
    const { binned, thresholds } = binFeatures(rows, o.maxBins);
    const classW = classWeights(y, nClasses, o.classWeight);
    const mtry = o.maxFeatures <= 0 ? Math.max(1, Math.round(Math.sqrt(d))) : o.maxFeatures < 1 ? Math.max(1, Math.round(o.maxFeatures * d)) : Math.min(d, o.maxFeatures);
    const rand = rng(o.seed);
    const trees: TreeJson[] = [];
    const grower = new TreeGrower(binned, thresholds, Int32Array.from(y), o, mtry, rand, nClasses);
    for (let t = 0; t < o.nTrees; t++) {
      // Bootstrap as per-sample counts, folded into weights: no copied rows.
      const counts = new Uint16Array(n);
      for (let i = 0; i < n; i++) counts[randInt(rand, n)]++;
      let m = 0;
      for (let i = 0; i < n; i++) if (counts[i]) m++;
      const idx = new Int32Array(m);
      const w = new Float64Array(m);
      for (let i = 0, k = 0; i < n; i++) if (counts[i]) { idx[k] = i; w[k++] = counts[i] * classW[y[i]]; }
      trees.push(grower.grow(idx, w));
    }
    return { nClasses, nFeatures: d, trees };
  }
}

/** out[c] += the leaf row at `base`, c in order. */
function addRow(out: Float64Array, leafRows: Float32Array, base: number): void {
  for (let c = 0; c < out.length; c++) out[c] += leafRows[base + c];
}

/** Column-major bin codes and, per feature, the raw thresholds between bins. */
function binFeatures(rows: readonly ArrayLike<number>[], maxBins: number): { binned: Uint8Array[]; thresholds: Float64Array[] } {
  const n = rows.length;
  const d = n ? rows[0].length : 0;
  const binned: Uint8Array[] = [];
  const thresholds: Float64Array[] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    for (let i = 0; i < n; i++) col[i] = rows[i][f];
    const sorted = Float64Array.from(col).sort();
    const cuts: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const q = Math.floor((b * n) / maxBins);
      if (q <= 0 || q >= n) continue;
      const lo = sorted[q - 1], hi = sorted[q];
      if (hi > lo) {
        const cut = lo + (hi - lo) / 2;
        if (!cuts.length || cut > cuts[cuts.length - 1]) cuts.push(cut);
      }
    }
    const th = Float64Array.from(cuts);
    const codes = new Uint8Array(n);
    for (let i = 0; i < n; i++) codes[i] = binOf(th, col[i]);
    binned.push(codes);
    thresholds.push(th);
  }
  return { binned, thresholds };
}

/** Smallest j with x <= th[j], else th.length. */
function binOf(th: Float64Array, x: number): number {
  let lo = 0, hi = th.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= th[mid]) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/**
 * Grows the trees of one forest, reusing its scratch arrays. A class rather than closures made per
 * tree: each tree's fresh `build` closure was a new call target for the optimised recursive code,
 * which V8 then threw away (~30 "wrong call target" deopts per tree, measured with --trace-deopt).
 */
class TreeGrower {
  private readonly C: number;
  private readonly d: number;
  private readonly features: Int32Array;
  /** Per-bin class weights and counts, all-zero between features: each scan clears exactly the bins it filled. */
  private readonly hist: Float64Array;
  private readonly cnt: Int32Array;
  /** Which bins the current feature's scan filled, one bit each. */
  private readonly mask: Int32Array;
  private readonly totals: Float64Array;
  private readonly left: Float64Array;
  /** The classes present in the current node (their count is returned by `classTotals`). */
  private readonly present: Int32Array;
  private tree: TreeJson = emptyTree();
  // The bootstrap's distinct samples, and their class and weight, kept in the same (node) order:
  // partitioning a node moves all three, so the scans read classes and weights sequentially.
  private idx: Int32Array = new Int32Array(0);
  private yk: Int32Array = new Int32Array(0);
  private wk: Float64Array = new Float64Array(0);

  constructor(
    private readonly binned: Uint8Array[],
    private readonly thresholds: Float64Array[],
    private readonly y: Int32Array,
    private readonly o: ForestOptions,
    private readonly mtry: number,
    private readonly rand: () => number,
    nClasses: number,
  ) {
    this.C = nClasses;
    this.d = binned.length;
    this.features = new Int32Array(this.d);
    this.hist = new Float64Array((o.maxBins + 1) * nClasses);
    this.cnt = new Int32Array(o.maxBins + 1);
    this.mask = new Int32Array(((o.maxBins + 1) >> 5) + 1);
    this.totals = new Float64Array(nClasses);
    this.left = new Float64Array(nClasses);
    this.present = new Int32Array(nClasses);
  }

  /** One tree over the samples `idx` with bootstrap × class weights `w` (w[k] belongs to idx[k]). */
  grow(idx: Int32Array, w: Float64Array): TreeJson {
    this.tree = emptyTree();
    for (let f = 0; f < this.d; f++) this.features[f] = f; // each tree draws from the same starting order
    this.idx = idx;
    this.wk = w;
    this.yk = Int32Array.from(idx, (i) => this.y[i]);
    this.build(0, idx.length, 0);
    return this.tree;
  }

  private makeLeaf(node: number, lo: number, hi: number): void {
    const { C, yk, wk, tree } = this;
    const dist = new Array<number>(C).fill(0);
    let sum = 0;
    for (let k = lo; k < hi; k++) { dist[yk[k]] += wk[k]; sum += wk[k]; }
    tree.feature[node] = -1;
    tree.threshold[node] = 0;
    tree.right[node] = -1;
    tree.leaf[node] = tree.leaves.length;
    tree.leaves.push(dist.map((v) => (sum > 0 ? v / sum : 1 / C)));
  }

  // Recursion (depth ≤ maxDepth) in preorder, so a node's left child is always node + 1.
  private build(lo: number, hi: number, depth: number): void {
    const { C, d, idx, yk, wk, tree, o, totals, present, binned, thresholds, features, hist, cnt, mask, left, mtry, rand } = this;
    const node = tree.feature.length;
    tree.feature.push(-1); tree.threshold.push(0); tree.right.push(-1); tree.leaf.push(-1);
    totals.fill(0);
    let W = 0;
    for (let k = lo; k < hi; k++) { totals[yk[k]] += wk[k]; W += wk[k]; }
    // The classes present here: sums run over them only. An absent class adds exact zeros to every
    // sum below, so skipping it changes no bit of any score (deep nodes hold two or three classes).
    let nonzero = 0;
    for (let c = 0; c < C; c++) if (totals[c] > 0) present[nonzero++] = c;
    const count = hi - lo;
    const minLeaf = o.minSamplesLeaf;
    if (nonzero <= 1 || depth >= o.maxDepth || count < 2 * minLeaf) return this.makeLeaf(node, lo, hi);

    // Bin codes are < maxBins (at most maxBins − 1 thresholds).
    const narrow = o.maxBins <= 64;
    let parentScore = 0;
    for (let c = 0; c < C; c++) parentScore += (totals[c] * totals[c]) / W;
    let bestScore = parentScore + 1e-12, bestF = -1, bestBin = -1;
    // Draw features without replacement; like scikit-learn, keep drawing past mtry until a valid split is found.
    let drawn = 0;
    for (let j = 0; j < d && (drawn < mtry || bestF < 0); j++) {
      const r = j + randInt(rand, d - j);
      const f = features[r]; features[r] = features[j]; features[j] = f;
      const th = thresholds[f];
      if (th.length === 0) continue;
      drawn++;
      const codes = binned[f];
      const nb = th.length + 1;
      // Only the bins this node's samples fall in are filled, marked in a bitmask and visited in
      // order: a deep node of a few samples costs its samples, not 64 bins × C classes (empty bins
      // add nothing to the running sums, so the splits found are exactly those of a full scan).
      if (narrow) {
        // ≤ 64 bins: the bitmask is two registers, set without a branch ("first sample in this
        // bin?" is a coin toss in a node of a few dozen samples over as many bins).
        let m0 = 0, m1 = 0;
        for (let k = lo; k < hi; k++) {
          const b = codes[idx[k]];
          cnt[b]++;
          const bit = 1 << (b & 31), high = b >> 5;
          m0 |= bit & (high - 1);
          m1 |= bit & -high;
          hist[b * C + yk[k]] += wk[k];
        }
        mask[0] = m0; mask[1] = m1;
      } else {
        for (let k = lo; k < hi; k++) {
          const b = codes[idx[k]];
          if (cnt[b]++ === 0) mask[b >> 5] |= 1 << (b & 31);
          hist[b * C + yk[k]] += wk[k];
        }
      }
      for (let p = 0; p < nonzero; p++) left[present[p]] = 0;
      let nl = 0;
      let stop = false;
      for (let word = 0; word < mask.length; word++) {
        let m = mask[word];
        mask[word] = 0;
        while (m !== 0) {
          const low = m & -m;
          m ^= low;
          const b = (word << 5) + 31 - Math.clz32(low);
          const nb0 = cnt[b];
          cnt[b] = 0;
          const hb = b * C;
          if (stop || b >= nb - 1) { for (let p = 0; p < nonzero; p++) hist[hb + present[p]] = 0; continue; }
          // One pass over the present classes updates the left side and sums what the score needs
          // (each sum in class order, as before).
          let sl = 0, sr = 0, WL = 0;
          for (let p = 0; p < nonzero; p++) {
            const c = present[p];
            const l = left[c] + hist[hb + c];
            left[c] = l;
            hist[hb + c] = 0;
            const r2 = totals[c] - l;
            WL += l; sl += l * l; sr += r2 * r2;
          }
          nl += nb0;
          if (nl < minLeaf) continue;
          if (count - nl < minLeaf) { stop = true; continue; }
          const WR = W - WL;
          if (WL <= 0 || WR <= 0) continue;
          const score = sl / WL + sr / WR;
          if (score > bestScore) { bestScore = score; bestF = f; bestBin = b; }
        }
      }
    }
    if (bestF < 0) return this.makeLeaf(node, lo, hi);
    // Partition idx[lo, hi) in place: bin <= bestBin to the left.
    const codes = binned[bestF];
    let a = lo, z = hi - 1;
    while (a <= z) {
      if (codes[idx[a]] <= bestBin) a++;
      else {
        const t = idx[a]; idx[a] = idx[z]; idx[z] = t;
        const c = yk[a]; yk[a] = yk[z]; yk[z] = c;
        const v = wk[a]; wk[a] = wk[z]; wk[z] = v;
        z--;
      }
    }
    tree.feature[node] = bestF;
    tree.threshold[node] = thresholds[bestF][bestBin];
    this.build(lo, a, depth + 1);
    tree.right[node] = tree.feature.length;
    this.build(a, hi, depth + 1);
  }
}

function emptyTree(): TreeJson {
  return { feature: [], threshold: [], right: [], leaf: [], leaves: [] };
}
