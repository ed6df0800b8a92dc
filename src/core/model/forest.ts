// Random forest classifier with class weights and soft (leaf-distribution) probabilities.
//
// Written here rather than taken from ml-random-forest: that package grows trees through ml-cart,
// which re-partitions every sample for every split candidate (measured 4.5 s per tree on 960×200
// data), has no class weights, and returns hard-vote probabilities. This one bins each feature to
// ≤ 64 quantile bins once and grows trees from per-node class histograms (the LightGBM trick); a
// node's scan visits only the bins its samples fill and the classes it holds. That scan runs in WebAssembly
// (forest.wat): on a three-corpus fold (7,106 rows × 527 features) 30 trees took 2.7–3.1 s of CPU against
// 4.0–5.7 s in JavaScript (alternated, this machine at its slow speed), the same trees bit for bit.
// Histogram subtraction (a child's histogram = parent's − sibling's) is not used: each node draws its
// own 40 of 398 features, so a child shares only ~10 % of its features with its parent, and the
// histograms are sums of float weights (bootstrap count × balanced class weight) in sample order, so
// parent − sibling differs from the child's own sum in the last bits: near-tied splits could flip and
// the model would no longer be the same bytes for the same data and seed.
// Splits are still stored as raw-valued thresholds, so prediction needs no bins.
import { classWeights, type ClassWeighting } from './class-weights.js';
import { FOREST_WASM } from './forest-wasm.js';
import { bumpLayout, embeddedKernel } from '../dsp/wasm.js';

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
  // The forest's votes are the blend's steadiest member only with enough trees: on three corpora, five fold
  // seeds, 100 / 200 / 250 / 300 trees changed 29.2 / 27.4 / 25.0 / 26.2 of 1,093 answers 24 dB quieter, and
  // 250 is the fewest that keeps 97 % on every seed, with accuracy where 100 left it (models/EXPERIMENTS.md,
  // seventeenth round). It costs 1.24x the warm training CPU and a 5.1-MB model file (~8 ms to load).
  nTrees: 250,
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
 * arrays, numbered in preorder (a split's left child, when it is a split, is the next one). A split's
 * threshold is an index into `cuts`, the distinct thresholds (trees grown on ≤ 64 bins per feature
 * share a few thousand), and each distinct leaf distribution is stored once (grown to purity, 250
 * trees have ~400 among ~450,000 leaves), as float32. Half the bytes of one slot per node.
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
  /**
   * A split's children, each the distance forward to a split child (children follow their parent), or the
   * leaf bit with its leaf's row: uint16 codes (leaf bit 0x8000) whenever every child fits, else uint32 (0x80000000).
   */
  left: Uint16Array | Uint32Array;
  right: Uint16Array | Uint32Array;
  leafRows: Float32Array;
}

/** The bit that marks a leaf in children of this width. */
const leafBitOf = (children: Uint16Array | Uint32Array): number => (children instanceof Uint16Array ? 0x8000 : 0x80000000);

/**
 * Children given as split indices or ~row (as flattenForest numbers them, and files before v8 store them), as
 * the codes above: 16 bits when every child fits (a subtree under 32,768 splits, under 32,768 distinct leaf
 * rows), which on the shipped forest is 8 bytes per split instead of 12, a quarter of the model file read
 * and checksummed on every load. A split child that does not follow its parent is refused: it could loop.
 */
export function relativeChildren(left: Int32Array, right: Int32Array): { left: Uint16Array; right: Uint16Array } | { left: Uint32Array; right: Uint32Array } {
  let narrow = true;
  for (const side of [left, right]) {
    for (let k = 0; k < side.length; k++) {
      const c = side[k];
      if (c >= 0 && c <= k) throw new RangeError(`forest: split ${k} has a child (${c}) that does not follow it`);
      if (c < 0 ? ~c >= 0x8000 : c - k >= 0x8000) narrow = false;
    }
  }
  const out = narrow ? { left: new Uint16Array(left.length), right: new Uint16Array(right.length) } : { left: new Uint32Array(left.length), right: new Uint32Array(right.length) };
  const bit = leafBitOf(out.left);
  for (const [wide, rel] of [[left, out.left], [right, out.right]] as const) {
    for (let k = 0; k < wide.length; k++) rel[k] = wide[k] < 0 ? bit + ~wide[k] : wide[k] - k;
  }
  return out;
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
    left: new Uint16Array(0),
    right: new Uint16Array(0),
    leafRows: new Float32Array(0),
  };
  const left = new Int32Array(nSplits), right = new Int32Array(nSplits);
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
      left[k] = ref[n + 1];
      right[k] = ref[t.right[n]];
    }
    flat.roots[i] = ref[0];
  });
  if (cuts.length > 0x10000) throw new RangeError(`forest: ${cuts.length} distinct thresholds, the flat form holds at most 65,536`);
  flat.cuts = Float64Array.from(cuts);
  flat.leafRows = Float32Array.from(rows);
  if (flat.leafRows.length !== rowOf.size * C) throw new Error('forest: leaf rows of the wrong width');
  return { ...flat, ...relativeChildren(left, right) };
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
   * descent is a cache miss into megabytes of nodes, and four independent chains let the CPU wait for four
   * at once (2× on the shipped forest). The leaves are still added in tree order: the same sums.
   */
  predictProba(x: ArrayLike<number>): Float64Array {
    const { roots, feature, cut, cuts, left, right, leafRows } = this.flat;
    const C = this.nClasses;
    const T = roots.length;
    const bit = leafBitOf(left);
    const out = new Float64Array(C);
    let t = 0;
    for (; t + 4 <= T; t += 4) {
      let a = roots[t];
      let b = roots[t + 1];
      let c = roots[t + 2];
      let d = roots[t + 3];
      // Until all four are leaves (~row < 0): the AND of their bits is negative only then.
      while ((a & b & c & d) >= 0) {
        if (a >= 0) a = child(a, x[feature[a]] <= cuts[cut[a]] ? left[a] : right[a], bit);
        if (b >= 0) b = child(b, x[feature[b]] <= cuts[cut[b]] ? left[b] : right[b], bit);
        if (c >= 0) c = child(c, x[feature[c]] <= cuts[cut[c]] ? left[c] : right[c], bit);
        if (d >= 0) d = child(d, x[feature[d]] <= cuts[cut[d]] ? left[d] : right[d], bit);
      }
      addRow(out, leafRows, ~a * C);
      addRow(out, leafRows, ~b * C);
      addRow(out, leafRows, ~c * C);
      addRow(out, leafRows, ~d * C);
    }
    for (; t < T; t++) {
      let n = roots[t];
      while (n >= 0) n = child(n, x[feature[n]] <= cuts[cut[n]] ? left[n] : right[n], bit);
      addRow(out, leafRows, ~n * C);
    }
    for (let c = 0; c < C; c++) out[c] /= T;
    return out;
  }

  static train(rows: readonly ArrayLike<number>[], y: readonly number[], nClasses: number, opts: Partial<ForestOptions> = {}): ForestJson {
    const o = { ...DEFAULT_FOREST, ...opts };
    if (!(o.maxBins >= 1 && o.maxBins <= 256)) throw new RangeError(`forest: maxBins ${o.maxBins}, the bin codes are bytes (1–256)`);
    const n = rows.length;
    const d = n ? rows[0].length : 0;
    const { binned, thresholds } = binFeatures(rows, o.maxBins);
    const classW = classWeights(y, nClasses, o.classWeight);
    const mtry = o.maxFeatures <= 0 ? Math.max(1, Math.round(Math.sqrt(d))) : o.maxFeatures < 1 ? Math.max(1, Math.round(o.maxFeatures * d)) : Math.min(d, o.maxFeatures);
    const trees: TreeJson[] = [];
    const grower = new TreeGrower(binned, thresholds, Int32Array.from(y), o, mtry, nClasses);
    for (let t = 0; t < o.nTrees; t++) {
      // Bootstrap as per-sample counts, folded into weights: no copied rows.
      const counts = new Uint16Array(n);
      for (let i = 0; i < n; i++) counts[grower.randInt(n)]++;
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

/** Split n's child with code v: the split v ahead, or ~row for a leaf. */
function child(n: number, v: number, bit: number): number {
  return v >= bit ? ~(v - bit) : n + v;
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

/** The split search's module (forest.wat). */
const instantiate = embeddedKernel(FOREST_WASM);

interface SplitKernel {
  layout(...addresses: number[]): void;
  seed(s: number): void;
  randInt(n: number): number;
  split(lo: number, hi: number, W: number, nonzero: number, best: number, minLeaf: number, mtry: number, narrow: number): number;
  bestBin: { value: number };
}

/**
 * Grows the trees of one forest. The node's split search, its hot loop, runs in WebAssembly (forest.wat) over
 * memory laid out once per forest: the bin codes (one row per sample), and the samples' index, class and weight in node order (partitioning
 * a node moves all three, so the scans read them sequentially). The kernel owns the seeded generator, so the bootstrap
 * and the feature draws take turns on one stream as before. A class rather than closures made per tree: each tree's
 * fresh `build` closure was a new call target for the optimised recursive code, which V8 then threw away.
 */
class TreeGrower {
  private readonly C: number;
  private readonly kernel: SplitKernel;
  private readonly features: Int32Array;
  private readonly totals: Float64Array;
  /** The classes present in the current node. */
  private readonly present: Int32Array;
  private readonly idx: Int32Array;
  private readonly yk: Int32Array;
  private readonly wk: Float64Array;
  /** Every sample's bin codes, row-major (d per sample): the split search's, and the partition's. */
  private readonly codes: Uint8Array;
  private readonly d: number;
  private tree: TreeJson = emptyTree();

  constructor(
    binned: Uint8Array[],
    private readonly thresholds: Float64Array[],
    private readonly y: Int32Array,
    private readonly o: ForestOptions,
    private readonly mtry: number,
    nClasses: number,
  ) {
    const C = (this.C = nClasses);
    const d = (this.d = binned.length), n = y.length, bins = o.maxBins + 1;
    // A node's first mtry usable features are scanned together, each in its own slot.
    const slots = Math.max(1, Math.min(mtry, d));
    const { take, top } = bumpLayout();
    const at = {
      wk: take(8 * n), hist: take(8 * bins * C * slots), left: take(8 * C), totals: take(8 * C), mask: take(32 * slots),
      idx: take(4 * n), yk: take(4 * n), cnt: take(4 * bins * slots), present: take(4 * C), thLen: take(4 * d), features: take(4 * d),
      drawn: take(4 * slots), codes: take(d * n),
    };
    const { memory, exports } = instantiate(top());
    const kernel = (this.kernel = exports as unknown as SplitKernel);
    kernel.layout(at.codes, d, C, bins, at.thLen, at.features, at.drawn, at.idx, at.yk, at.wk, at.hist, at.cnt, at.left, at.totals, at.present, at.mask);
    kernel.seed(o.seed >>> 0);
    const buf = memory.buffer;
    // Row-major: a sample's codes for every feature in one run of d bytes (the batched scan reads them together).
    const codes = (this.codes = new Uint8Array(buf, at.codes, d * n));
    binned.forEach((col, f) => { for (let i = 0; i < n; i++) codes[i * d + f] = col[i]; });
    new Int32Array(buf, at.thLen, d).set(thresholds.map((t) => t.length));
    this.features = new Int32Array(buf, at.features, d);
    this.totals = new Float64Array(buf, at.totals, C);
    this.present = new Int32Array(buf, at.present, C);
    this.idx = new Int32Array(buf, at.idx, n);
    this.yk = new Int32Array(buf, at.yk, n);
    this.wk = new Float64Array(buf, at.wk, n);
  }

  /** randInt over the generator the split search draws features from (the bootstrap's draws). */
  randInt(n: number): number {
    return this.kernel.randInt(n);
  }

  /** One tree over the samples `idx` with bootstrap × class weights `w` (w[k] belongs to idx[k]). */
  grow(idx: Int32Array, w: Float64Array): TreeJson {
    this.tree = emptyTree();
    for (let f = 0; f < this.features.length; f++) this.features[f] = f; // each tree draws from the same starting order
    this.idx.set(idx);
    this.wk.set(w);
    for (let k = 0; k < idx.length; k++) this.yk[k] = this.y[idx[k]];
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
    const { C, idx, yk, wk, tree, o, totals, present, thresholds } = this;
    const node = tree.feature.length;
    tree.feature.push(-1); tree.threshold.push(0); tree.right.push(-1); tree.leaf.push(-1);
    totals.fill(0);
    let W = 0;
    for (let k = lo; k < hi; k++) { totals[yk[k]] += wk[k]; W += wk[k]; }
    // The classes present here: the split's sums run over them only. An absent class adds exact zeros to every
    // sum, so skipping it changes no bit of any score (deep nodes hold two or three classes).
    let nonzero = 0;
    for (let c = 0; c < C; c++) if (totals[c] > 0) present[nonzero++] = c;
    if (nonzero <= 1 || depth >= o.maxDepth || hi - lo < 2 * o.minSamplesLeaf) return this.makeLeaf(node, lo, hi);
    let parentScore = 0;
    for (let c = 0; c < C; c++) parentScore += (totals[c] * totals[c]) / W;
    // Bin codes are < maxBins (at most maxBins − 1 thresholds): ≤ 64 fit one 64-bit mask.
    const bestF = this.kernel.split(lo, hi, W, nonzero, parentScore + 1e-12, o.minSamplesLeaf, this.mtry, o.maxBins <= 64 ? 1 : 0);
    if (bestF < 0) return this.makeLeaf(node, lo, hi);
    const bestBin = this.kernel.bestBin.value;
    // Partition idx[lo, hi) in place: bin <= bestBin to the left.
    const { codes, d } = this;
    let a = lo, z = hi - 1;
    while (a <= z) {
      if (codes[idx[a] * d + bestF] <= bestBin) a++;
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
