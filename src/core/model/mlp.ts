// A small neural network (one hidden layer of ReLU units): the third member beside the forest and the
// logistic regression.
//
// Why: on three corpora the linear member has to draw one boundary for RAVDESS's and CREMA-D's acting at
// once, and CREMA-D in training cost RAVDESS ~8 points (models/EXPERIMENTS.md, "members beside the
// forest"). A hidden layer can bend that boundary; screened on the trainer's own rows and folds it
// gained on both corpora without losing read speech.
//
// Trained like scikit-learn's MLPClassifier (Glorot-uniform start, Adam, mini-batches, L2 `alpha` per
// batch), unweighted, then corrected for the training class priors (p_c / π_c, renormalised: folded
// into the output intercepts), which balances the classes as the other members' class weights do.
// Deterministic: the start and every epoch's batch order come from the project's seeded generator, and
// the wide products run in WebAssembly float32 (mlp.wat) in one fixed order, so the same rows and seed
// give the same weights bit for bit, on any thread. The output layer's logits, the intercepts' gradient and
// Adam's step run there too, in the float64 arithmetic of the JavaScript they replaced (the same bits; a
// fifth of the network's training time was in that JavaScript). Prediction runs the training's own passes
// on one clip (~25 k multiply-adds; plain JavaScript took ~35–50 µs, this ~4× less), and is what scores
// the held-out folds too.
import { MLP_WASM } from './mlp-wasm.js';
import { rng, shuffled } from './random.js';
import { bumpLayout, embeddedKernel } from '../dsp/wasm.js';

export interface MlpOptions {
  /** Hidden units: a multiple of 16 (the training kernels take 16 at a time). */
  hidden: number;
  /** L2 penalty on the weights, scikit-learn's `alpha` (divided by the batch size in each step). */
  alpha: number;
  epochs: number;
  batch: number;
  learningRate: number;
  seed: number;
  /** Evens out the corpora within each class (class-weights.ts corpusFactors), 0 or absent: off. Needs each row's corpus. */
  corpusBalance?: number;
  /**
   * Networks fitted from different seeds and averaged in logit space (1 or absent: one). Their average is
   * itself one network, the hidden layers side by side and the output weights divided by `bags`, so the
   * model file and prediction are unchanged in form: `hidden` × bags units.
   */
  bags?: number;
}

export const DEFAULT_MLP: MlpOptions = {
  // Three corpora, seed 42, beside the forest and the logistic regression: 64 units, alpha 1, 60 epochs
  // (as screened) gave CREMA-D 54.7 %, RAVDESS 61.3 %; 128 units, alpha 3, 30 epochs (screened as the
  // better size; half the epochs for the same cost) 55.3 % / 60.2 % (models/EXPERIMENTS.md).
  hidden: 128,
  alpha: 3,
  epochs: 30,
  batch: 256,
  learningRate: 1e-3,
  seed: 42,
};

export interface MlpJson {
  nClasses: number;
  nFeatures: number;
  hidden: number;
  /** Input weights, feature-major: w1[j·hidden + h] (float32 values). */
  w1: number[];
  b1: number[];
  /** Output weights, class-major: w2[c·hidden + h]. */
  w2: number[];
  /** Output intercepts with the prior correction (−log π_c) folded in. */
  b2: number[];
}

export class Mlp {
  private readonly pass: ReturnType<typeof predictionKernel>;

  private constructor(
    readonly nClasses: number,
    readonly nFeatures: number,
    readonly hidden: number,
    private readonly w1: Float32Array,
    private readonly b1: Float32Array,
    private readonly w2: Float32Array,
    private readonly b2: Float32Array,
  ) {
    this.pass = predictionKernel(w1, b1, w2, b2, nFeatures, hidden);
  }

  static fromJSON(json: MlpJson): Mlp {
    return Mlp.fromArrays(json.nClasses, json.nFeatures, json.hidden, Float32Array.from(json.w1), Float32Array.from(json.b1), Float32Array.from(json.w2), Float32Array.from(json.b2));
  }

  /** From the model file's float32 sections. */
  static fromArrays(nClasses: number, nFeatures: number, hidden: number, w1: Float32Array, b1: Float32Array, w2: Float32Array, b2: Float32Array): Mlp {
    if (!(hidden > 0) || hidden % 16 !== 0 || w1.length !== nFeatures * hidden || b1.length !== hidden || w2.length !== nClasses * hidden || b2.length !== nClasses) {
      throw new RangeError('MLP: weights of the wrong size');
    }
    checkClasses(nClasses);
    return new Mlp(nClasses, nFeatures, hidden, w1, b1, w2, b2);
  }

  /** The member's stored arrays, for the model file. */
  arrays(): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } {
    return { w1: this.w1, b1: this.b1, w2: this.w2, b2: this.b2 };
  }

  predictProba(x: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.nClasses);
    softmax(this.pass(x), 0, out);
    return out;
  }

  /** `rowFactor`: each row's share of the loss (absent: 1); factors that keep each class's total keep the prior correction right. */
  static train(rows: readonly ArrayLike<number>[], y: readonly number[], nClasses: number, opts: Partial<MlpOptions> = {}, rowFactor?: ArrayLike<number>): MlpJson {
    const bags = opts.bags ?? 1;
    if (bags <= 1) return Mlp.trainOne(rows, y, nClasses, opts, rowFactor);
    const seed = opts.seed ?? DEFAULT_MLP.seed;
    const nets = Array.from({ length: bags }, (_, b) => Mlp.trainOne(rows, y, nClasses, { ...opts, seed: seed + BAG_SEED_STEP * b }, rowFactor));
    return sideBySide(nets);
  }

  private static trainOne(rows: readonly ArrayLike<number>[], y: readonly number[], nClasses: number, opts: Partial<MlpOptions>, rowFactor?: ArrayLike<number>): MlpJson {
    const o = { ...DEFAULT_MLP, ...opts };
    const n = rows.length, C = nClasses, H = o.hidden, B = Math.max(1, Math.min(o.batch, n));
    const d = n ? rows[0].length : 0;
    if (H % 16 !== 0) throw new RangeError('MLP: hidden units must be a multiple of 16');
    checkClasses(C);
    const k = trainingKernel(n, d, H, C, B);
    rows.forEach((r, i) => k.x.set(r, i * d));
    const rand = rng(o.seed);
    // Glorot-uniform start (scikit-learn's, for ReLU): weights and intercepts within ±√(6 / (fan-in + fan-out)).
    const glorot = (a: Float32Array, fanIn: number, fanOut: number) => {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let q = 0; q < a.length; q++) a[q] = (2 * rand() - 1) * bound;
    };
    glorot(k.w1, d, H); glorot(k.b1, d, H); glorot(k.w2, H, C); glorot(k.b2, H, C);
    const probs = new Float64Array(C);
    let t = 0;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const perm = shuffled(order, rand);
      for (let s = 0; s < n; s += B) {
        const nb = Math.min(B, n - s);
        for (let r = 0; r < nb; r++) k.rows[r] = k.xAt + perm[s + r] * d * 4;
        k.forward(nb);
        // The loss gradient (p − onehot) / nb, in JavaScript: 7 classes are too few for the vector kernels.
        const db2 = k.db2;
        db2.fill(0);
        for (let r = 0; r < nb; r++) {
          softmax(k.logits, r * LOGIT_STRIDE, probs);
          const yi = y[perm[s + r]];
          const f = rowFactor ? rowFactor[perm[s + r]] : 1;
          for (let c = 0; c < C; c++) {
            const g = ((probs[c] - (c === yi ? 1 : 0)) * f) / nb;
            k.g[r * C + c] = g;
            db2[c] += k.g[r * C + c];
          }
        }
        k.backward(nb);
        // Adam (scikit-learn's form: the bias corrections folded into the step size); L2 on weights only.
        t++;
        k.adam((o.learningRate * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t), o.alpha / nb);
      }
    }
    // Prior correction: p_c / π_c renormalised is a softmax with −log π_c added to the intercepts.
    const counts = new Float64Array(C);
    for (const c of y) counts[c]++;
    const b2 = Float32Array.from(k.b2);
    for (let c = 0; c < C; c++) if (counts[c] > 0) b2[c] -= Math.log(counts[c] / n);
    return { nClasses: C, nFeatures: d, hidden: H, w1: Array.from(k.w1), b1: Array.from(k.b1), w2: Array.from(k.w2), b2: Array.from(b2) };
  }
}

/** Bag b's seed is the fit's seed + b · this: far from the next fold's seed (folds take seed + f). */
const BAG_SEED_STEP = 1000;

/** Networks averaged in logit space as one: hidden units side by side, output weights and intercepts averaged. */
function sideBySide(nets: readonly MlpJson[]): MlpJson {
  const { nClasses: C, nFeatures: d, hidden: H } = nets[0];
  const n = nets.length, W = n * H;
  const w1 = new Array<number>(d * W), b1 = new Array<number>(W), w2 = new Array<number>(C * W), b2 = new Array<number>(C).fill(0);
  nets.forEach((net, b) => {
    for (let j = 0; j < d; j++) for (let h = 0; h < H; h++) w1[j * W + b * H + h] = net.w1[j * H + h];
    for (let h = 0; h < H; h++) b1[b * H + h] = net.b1[h];
    for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) w2[c * W + b * H + h] = net.w2[c * H + h] / n;
    for (let c = 0; c < C; c++) b2[c] += net.b2[c] / n;
  });
  return { nClasses: C, nFeatures: d, hidden: W, w1, b1, w2, b2 };
}

/** The output kernel's classes (mlp.wat `logits`: four float64 pairs per row). */
const MAX_CLASSES = 8;
/** Float64 values per row of logits. */
const LOGIT_STRIDE = 8;

function checkClasses(C: number): void {
  if (C > MAX_CLASSES) throw new RangeError(`MLP: ${C} classes, the output kernel takes at most ${MAX_CLASSES}`);
}

/**
 * softmax(z) of one row of logits (from `at`) into `out`. Training's loss gradient and prediction share it, so a
 * fold is scored with the arithmetic it was fitted with.
 */
function softmax(z: Float64Array, at: number, out: Float64Array): void {
  const C = out.length;
  let max = -Infinity;
  for (let c = 0; c < C; c++) if (z[at + c] > max) max = z[at + c];
  let sum = 0;
  for (let c = 0; c < C; c++) { out[c] = Math.exp(z[at + c] - max); sum += out[c]; }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

/** The output weights as the logits kernel reads them: transposed (w2t[h·8 + c]) and widened to float64, b2 too. */
function widenOutput(w2: Float32Array, b2: Float32Array, H: number, w2t: Float64Array, b: Float64Array): void {
  const C = b2.length;
  for (let h = 0; h < H; h++) for (let c = 0; c < C; c++) w2t[h * LOGIT_STRIDE + c] = w2[c * H + h];
  b.set(b2);
}

const instantiate = embeddedKernel(MLP_WASM);

type Dense = (rows: number, n: number, J: number, M: number, bias: number, out: number, H: number, mask: number) => void;
type Logits = (act: number, n: number, H: number, w2t: number, b: number, out: number) => void;

/**
 * The logits of one clip, b2 + W2·ReLU(b1 + x·W1), by the training's own kernels (the clip in float32): the
 * weights are copied into the module's memory once, when the model loads.
 */
function predictionKernel(w1: Float32Array, b1: Float32Array, w2: Float32Array, b2: Float32Array, d: number, H: number): (x: ArrayLike<number>) => Float64Array {
  const l = bumpLayout();
  // The kernel takes rows in pairs: one clip is its own pair, and the activations have room for two.
  const w1At = l.take(d * H * 4), b1At = l.take(H * 4), xAt = l.take(d * 4), rowsAt = l.take(8), actAt = l.take(2 * H * 4);
  const w2tAt = l.take(H * LOGIT_STRIDE * 8), bAt = l.take(LOGIT_STRIDE * 8), zAt = l.take(LOGIT_STRIDE * 8);
  const { memory, exports } = instantiate(l.top());
  const buf = memory.buffer;
  new Float32Array(buf, w1At, d * H).set(w1);
  new Float32Array(buf, b1At, H).set(b1);
  widenOutput(w2, b2, H, new Float64Array(buf, w2tAt, H * LOGIT_STRIDE), new Float64Array(buf, bAt, LOGIT_STRIDE));
  new Int32Array(buf, rowsAt, 2).fill(xAt);
  const x32 = new Float32Array(buf, xAt, d), z = new Float64Array(buf, zAt, LOGIT_STRIDE);
  const dense = exports.dense as Dense, logits = exports.logits as Logits;
  return (x) => {
    for (let j = 0; j < d; j++) x32[j] = x[j];
    dense(rowsAt, 1, d, w1At, b1At, actAt, H, 0);
    logits(actAt, 1, H, w2tAt, bAt, zAt);
    return z;
  };
}

/**
 * One fit's memory: every training row once (float32, row-major), then the weights, one batch's
 * activations, logits and errors, the gradients and Adam's moments, laid out for mlp.wat.
 */
function trainingKernel(n: number, d: number, H: number, C: number, B: number) {
  const { take, top } = bumpLayout();
  const xAt = take(n * d * 4), w1At = take(d * H * 4), b1At = take(H * 4), w2At = take(C * H * 4), b2At = take(C * 4), zeroAt = take(H * 4);
  // One spare row after a batch's activations and errors: the kernels take rows in pairs.
  const actAt = take((B + 1) * H * 4), gAt = take(B * C * 4), dhAt = take((B + 1) * H * 4), dw1At = take(d * H * 4), db1At = take(H * 4), dw2At = take(C * H * 4), db2At = take(C * 4);
  const rowsAt = take(B * 4), gRowsAt = take(B * 4);
  // A batch's inputs (or errors) transposed for the weight gradients: `gather` writes whole 4 × 4 blocks.
  const xTAt = take(((Math.max(d, C) + 3) & ~3) * ((B + 3) & ~3) * 4);
  const w2tAt = take(H * LOGIT_STRIDE * 8), bAt = take(LOGIT_STRIDE * 8), zAt = take(B * LOGIT_STRIDE * 8);
  // Adam's parameter blocks (weights, intercepts: the L2 penalty on weights only), their gradients and moments. The
  // kernel steps two at a time: an odd block (C intercepts) gets one more of each, zero, which its steps keep zero
  // (bumpLayout's 16-byte steps left the room; wasm memory starts zeroed).
  const blocks = [[w1At, dw1At, d * H, 1], [b1At, db1At, H, 0], [w2At, dw2At, C * H, 1], [b2At, db2At, C, 0]].map(([p, g, n, penalised]) => {
    const count = (n + 1) & ~1;
    return { p, g, count, penalised, m: take(count * 8), v: take(count * 8) };
  });
  const { memory, exports } = instantiate(top());
  const buf = memory.buffer;
  const dense = exports.dense as Dense, logits = exports.logits as Logits;
  const gather = exports.gather as (rows: number, n: number, J: number, out: number) => void;
  const outer = exports.outer as (xT: number, n: number, J: number, B: number, H: number, out: number) => void;
  /** out = (the rows named at `rows`, J wide)ᵀ · B, via their transpose. */
  const gradient = (rows: number, nb: number, J: number, B: number, out: number) => { gather(rows, nb, J, xTAt); outer(xTAt, nb, J, B, H, out); };
  const colsum = exports.colsum as (src: number, n: number, H: number, out: number) => void;
  const adam = exports.adam as (p: number, g: number, m: number, v: number, count: number, l2: number, lr: number) => void;
  const gRows = new Int32Array(buf, gRowsAt, B);
  for (let r = 0; r < B; r++) gRows[r] = gAt + r * C * 4;
  const w2 = new Float32Array(buf, w2At, C * H), b2 = new Float32Array(buf, b2At, C);
  const w2t = new Float64Array(buf, w2tAt, H * LOGIT_STRIDE), bWide = new Float64Array(buf, bAt, LOGIT_STRIDE);
  return {
    xAt,
    x: new Float32Array(buf, xAt, n * d),
    w1: new Float32Array(buf, w1At, d * H),
    b1: new Float32Array(buf, b1At, H),
    w2,
    b2,
    act: new Float32Array(buf, actAt, B * H),
    /** The batch's logits, LOGIT_STRIDE per row (after `forward`). */
    logits: new Float64Array(buf, zAt, B * LOGIT_STRIDE),
    g: new Float32Array(buf, gAt, B * C),
    dh: new Float32Array(buf, dhAt, B * H),
    dw1: new Float32Array(buf, dw1At, d * H),
    dw2: new Float32Array(buf, dw2At, C * H),
    db2: new Float32Array(buf, db2At, C),
    /** The batch's rows, as byte addresses of their features. */
    rows: new Int32Array(buf, rowsAt, B),
    /** Hidden activations ReLU(b1 + x·W1) of the batch, and its logits b2 + W2·act. */
    forward: (nb: number) => {
      dense(rowsAt, nb, d, w1At, b1At, actAt, H, 0);
      widenOutput(w2, b2, H, w2t, bWide);
      logits(actAt, nb, H, w2tAt, bAt, zAt);
    },
    /** dW2 = Gᵀ·act, dh = (G·W2) where act > 0, dW1 = Xᵀ·dh, db1 = Σ_rows dh (the errors G and db2 already in place). */
    backward: (nb: number) => {
      gradient(gRowsAt, nb, C, actAt, dw2At);
      dense(gRowsAt, nb, C, w2At, zeroAt, dhAt, H, actAt);
      gradient(rowsAt, nb, d, dhAt, dw1At);
      colsum(dhAt, nb, H, db1At);
    },
    /** Adam's step on every block at step size `lr`, `l2` on the weights. */
    adam: (lr: number, l2: number) => {
      for (const b of blocks) adam(b.p, b.g, b.m, b.v, b.count, b.penalised ? l2 : 0, lr);
    },
  };
}
