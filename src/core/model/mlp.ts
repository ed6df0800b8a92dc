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
// give the same weights bit for bit, on any thread. Prediction runs the training's own hidden-layer pass
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
    this.pass = predictionKernel(w1, b1, nFeatures, hidden);
  }

  static fromJSON(json: MlpJson): Mlp {
    return Mlp.fromArrays(json.nClasses, json.nFeatures, json.hidden, Float32Array.from(json.w1), Float32Array.from(json.b1), Float32Array.from(json.w2), Float32Array.from(json.b2));
  }

  /** From the model file's float32 sections. */
  static fromArrays(nClasses: number, nFeatures: number, hidden: number, w1: Float32Array, b1: Float32Array, w2: Float32Array, b2: Float32Array): Mlp {
    if (!(hidden > 0) || hidden % 16 !== 0 || w1.length !== nFeatures * hidden || b1.length !== hidden || w2.length !== nClasses * hidden || b2.length !== nClasses) {
      throw new RangeError('MLP: weights of the wrong size');
    }
    return new Mlp(nClasses, nFeatures, hidden, w1, b1, w2, b2);
  }

  /** The member's stored arrays, for the model file. */
  arrays(): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } {
    return { w1: this.w1, b1: this.b1, w2: this.w2, b2: this.b2 };
  }

  predictProba(x: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.nClasses);
    outputLayer(this.w2, this.b2, this.pass(x), 0, this.hidden, out);
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
    const k = trainingKernel(n, d, H, C, B);
    rows.forEach((r, i) => k.x.set(r, i * d));
    const rand = rng(o.seed);
    // Glorot-uniform start (scikit-learn's, for ReLU): weights and intercepts within ±√(6 / (fan-in + fan-out)).
    const glorot = (a: Float32Array, fanIn: number, fanOut: number) => {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let q = 0; q < a.length; q++) a[q] = (2 * rand() - 1) * bound;
    };
    glorot(k.w1, d, H); glorot(k.b1, d, H); glorot(k.w2, H, C);
    const b2 = new Float32Array(C);
    glorot(b2, H, C);
    // Adam's moments, per parameter block.
    const blocks = [k.w1, k.b1, k.w2, b2];
    const grads = [k.dw1, new Float32Array(H), k.dw2, new Float32Array(C)];
    const m = blocks.map((b) => new Float64Array(b.length));
    const v = blocks.map((b) => new Float64Array(b.length));
    const probs = new Float64Array(C);
    let t = 0;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const perm = shuffled(order, rand);
      for (let s = 0; s < n; s += B) {
        const nb = Math.min(B, n - s);
        for (let r = 0; r < nb; r++) k.rows[r] = k.xAt + perm[s + r] * d * 4;
        k.forward(nb);
        // Output layer and the loss gradient (p − onehot) / nb, in JavaScript: 7 classes are too few for the vector kernels.
        const db1 = grads[1], db2 = grads[3];
        db2.fill(0);
        for (let r = 0; r < nb; r++) {
          outputLayer(k.w2, b2, k.act, r * H, H, probs);
          const yi = y[perm[s + r]];
          const f = rowFactor ? rowFactor[perm[s + r]] : 1;
          for (let c = 0; c < C; c++) {
            const g = ((probs[c] - (c === yi ? 1 : 0)) * f) / nb;
            k.g[r * C + c] = g;
            db2[c] += k.g[r * C + c];
          }
        }
        k.backward(nb);
        db1.fill(0);
        for (let r = 0; r < nb; r++) for (let h = 0; h < H; h++) db1[h] += k.dh[r * H + h];
        // Adam (scikit-learn's form: the bias corrections folded into the step size); L2 on weights only.
        t++;
        const lr = (o.learningRate * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        for (let q = 0; q < blocks.length; q++) {
          const p = blocks[q], g = grads[q], mq = m[q], vq = v[q];
          const l2 = q === 0 || q === 2 ? o.alpha / nb : 0;
          for (let i = 0; i < p.length; i++) {
            const gi = g[i] + l2 * p[i];
            mq[i] = 0.9 * mq[i] + 0.1 * gi;
            vq[i] = 0.999 * vq[i] + 0.001 * gi * gi;
            p[i] -= (lr * mq[i]) / (Math.sqrt(vq[i]) + 1e-8);
          }
        }
      }
    }
    // Prior correction: p_c / π_c renormalised is a softmax with −log π_c added to the intercepts.
    const counts = new Float64Array(C);
    for (const c of y) counts[c]++;
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

/**
 * The output layer on one row of hidden activations (from `actAt`): softmax(b2 + W2·act) into `out`. Training's
 * loss gradient and prediction share it, so a fold is scored with the arithmetic it was fitted with.
 */
function outputLayer(w2: Float32Array, b2: Float32Array, act: Float32Array, actAt: number, H: number, out: Float64Array): void {
  const C = out.length;
  // Four classes' sums side by side: each is one chain of dependent additions (bound by the add's
  // latency), and four independent chains fill the time one leaves idle. Each sum still runs in h
  // order from its intercept, so the bits are those of one class at a time. A last group of fewer
  // classes repeats its last class (the same sum, written again).
  for (let c0 = 0; c0 < C; c0 += 4) {
    const c1 = Math.min(c0 + 1, C - 1), c2 = Math.min(c0 + 2, C - 1), c3 = Math.min(c0 + 3, C - 1);
    const a0 = c0 * H, a1 = c1 * H, a2 = c2 * H, a3 = c3 * H;
    let z0 = b2[c0], z1 = b2[c1], z2 = b2[c2], z3 = b2[c3];
    for (let h = 0; h < H; h++) {
      const a = act[actAt + h];
      z0 += w2[a0 + h] * a;
      z1 += w2[a1 + h] * a;
      z2 += w2[a2 + h] * a;
      z3 += w2[a3 + h] * a;
    }
    out[c0] = z0; out[c1] = z1; out[c2] = z2; out[c3] = z3;
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) if (out[c] > max) max = out[c];
  let sum = 0;
  for (let c = 0; c < C; c++) { out[c] = Math.exp(out[c] - max); sum += out[c]; }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

const instantiate = embeddedKernel(MLP_WASM);

type Dense = (rows: number, n: number, J: number, M: number, bias: number, out: number, H: number, mask: number) => void;

/**
 * The hidden layer of one clip, ReLU(b1 + x·W1), by the training's own kernel (the clip in float32):
 * the weights are copied into the module's memory once, when the model loads.
 */
function predictionKernel(w1: Float32Array, b1: Float32Array, d: number, H: number): (x: ArrayLike<number>) => Float32Array {
  const l = bumpLayout();
  // The kernel takes rows in pairs: one clip is its own pair, and the activations have room for two.
  const w1At = l.take(d * H * 4), b1At = l.take(H * 4), xAt = l.take(d * 4), rowsAt = l.take(8), actAt = l.take(2 * H * 4);
  const { memory, exports } = instantiate(l.top());
  const buf = memory.buffer;
  new Float32Array(buf, w1At, d * H).set(w1);
  new Float32Array(buf, b1At, H).set(b1);
  new Int32Array(buf, rowsAt, 2).fill(xAt);
  const x32 = new Float32Array(buf, xAt, d), act = new Float32Array(buf, actAt, H);
  const dense = exports.dense as Dense;
  return (x) => {
    for (let j = 0; j < d; j++) x32[j] = x[j];
    dense(rowsAt, 1, d, w1At, b1At, actAt, H, 0);
    return act;
  };
}

/**
 * One fit's memory: every training row once (float32, row-major), then the weights, one batch's
 * activations and errors, and the weight gradients, laid out for mlp.wat.
 */
function trainingKernel(n: number, d: number, H: number, C: number, B: number) {
  const { take, top } = bumpLayout();
  const xAt = take(n * d * 4), w1At = take(d * H * 4), b1At = take(H * 4), w2At = take(C * H * 4), zeroAt = take(H * 4);
  // One spare row after a batch's activations and errors: the kernels take rows in pairs.
  const actAt = take((B + 1) * H * 4), gAt = take(B * C * 4), dhAt = take((B + 1) * H * 4), dw1At = take(d * H * 4), dw2At = take(C * H * 4);
  const rowsAt = take(B * 4), gRowsAt = take(B * 4);
  const { memory, exports } = instantiate(top());
  const buf = memory.buffer;
  const dense = exports.dense as Dense;
  const outer = exports.outer as (rows: number, n: number, J: number, B: number, H: number, out: number) => void;
  const gRows = new Int32Array(buf, gRowsAt, B);
  for (let r = 0; r < B; r++) gRows[r] = gAt + r * C * 4;
  return {
    xAt,
    x: new Float32Array(buf, xAt, n * d),
    w1: new Float32Array(buf, w1At, d * H),
    b1: new Float32Array(buf, b1At, H),
    w2: new Float32Array(buf, w2At, C * H),
    act: new Float32Array(buf, actAt, B * H),
    g: new Float32Array(buf, gAt, B * C),
    dh: new Float32Array(buf, dhAt, B * H),
    dw1: new Float32Array(buf, dw1At, d * H),
    dw2: new Float32Array(buf, dw2At, C * H),
    /** The batch's rows, as byte addresses of their features. */
    rows: new Int32Array(buf, rowsAt, B),
    /** Hidden activations ReLU(b1 + x·W1) of the batch. */
    forward: (nb: number) => dense(rowsAt, nb, d, w1At, b1At, actAt, H, 0),
    /** dW2 = Gᵀ·act, dh = (G·W2) where act > 0, dW1 = Xᵀ·dh (the errors G already in place). */
    backward: (nb: number) => {
      outer(gRowsAt, nb, C, actAt, H, dw2At);
      dense(gRowsAt, nb, C, w2At, zeroAt, dhAt, H, actAt);
      outer(rowsAt, nb, d, dhAt, H, dw1At);
    },
  };
}
