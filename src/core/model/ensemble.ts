// The classifier: (projection →) StandardScaler → random forest + logistic regression (+ an MLP), their probabilities
// pooled (averaged, or with an MLP a weighted geometric mean), then calibrated.
import { calibrate, fitCalibration, fitLogPool, fitOffsets, IDENTITY_CALIBRATION, rareClasses, type Calibration, type LogPoolFit } from './calibration.js';
import { RandomForest, type ForestJson } from './forest.js';
import { LogisticRegression, type LogisticJson } from './logistic.js';
import { logLoss } from './metrics.js';
import { Mlp, type MlpJson } from './mlp.js';
import { atypicality } from './guard.js';
import { Projector, type ProjectionJson } from './projection.js';
import { scale, type Scaler, type ScalerJson } from './scaler.js';

/** The fitted members and the scaler (and projection) in front of them. */
export interface MembersJson {
  /** Reduces the feature vector's last block before the scaler (projection.ts); absent in models trained before it. */
  projection?: ProjectionJson | null;
  scaler: ScalerJson;
  linear: LogisticJson;
  forest: ForestJson;
  /** The neural member (mlp.ts); absent in models trained before it. */
  mlp?: MlpJson | null;
}

/** The members' shares and how they are pooled: what blend() needs. */
export interface BlendWeights {
  /** Share of the forest; the linear model has the rest (after the MLP's share). */
  forestWeight: number;
  /** Share of the MLP; absent or 0: none. */
  mlpWeight?: number;
  /** 'log': a weighted geometric mean of the members' p + poolEps, normalised; absent: the weighted average. */
  pool?: 'log';
  poolEps?: number;
}

export type EnsembleJson = MembersJson & BlendWeights;

/** Each member's probabilities for one clip, kept apart so the blend can be chosen afterwards. */
export interface MemberProbs {
  forest: Float64Array;
  linear: Float64Array;
  mlp?: Float64Array;
  /** How far the clip is from the rows the scaler was fitted on (guard.ts); absent: not measured. */
  atypicality?: number;
}

/** The members, compiled for prediction: what training evaluates folds with and the model file holds. */
export class Members {
  constructor(
    private readonly scaler: Scaler,
    private readonly linear: LogisticRegression,
    private readonly forest: RandomForest,
    private readonly mlp: Mlp | null = null,
    private readonly projection: Projector | null = null,
  ) {}

  static fromJSON(json: MembersJson): Members {
    return new Members(json.scaler, LogisticRegression.fromJSON(json.linear), RandomForest.fromJSON(json.forest), json.mlp ? Mlp.fromJSON(json.mlp) : null, json.projection ? new Projector(json.projection) : null);
  }

  predict(x: ArrayLike<number>): MemberProbs {
    const z = scale(this.scaler, this.projection ? this.projection.project(x) : x);
    const out: MemberProbs = { forest: this.forest.predictProba(z), linear: this.linear.predictProba(z), atypicality: atypicality(z) };
    if (this.mlp) out.mlp = this.mlp.predictProba(z);
    return out;
  }
}

/** The logistic regression's share: what the forest and the MLP leave (never a rounding's −1e-17). */
export function linearShare(w: BlendWeights): number {
  return Math.max(0, 1 - w.forestWeight - (w.mlpWeight ?? 0));
}

/**
 * forestWeight·forest + mlpWeight·MLP + the rest·linear (without an MLP share, the same arithmetic and bits as two
 * members); with pool 'log', the same shares as exponents of a geometric mean, normalised to sum to 1.
 */
export function blend(m: MemberProbs, w: BlendWeights): Float64Array {
  const { forestWeight } = w, mlpWeight = w.mlpWeight ?? 0;
  const mlp = mlpWeight > 0 ? m.mlp : undefined;
  const rest = linearShare({ forestWeight, mlpWeight: mlp ? mlpWeight : 0 });
  if (w.pool === 'log') {
    const eps = w.poolEps ?? 0;
    const z = m.forest.map((p, c) => forestWeight * Math.log(p + eps) + rest * Math.log(m.linear[c] + eps) + (mlp ? mlpWeight * Math.log(mlp[c] + eps) : 0));
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }
  if (!mlp) return m.forest.map((p, c) => forestWeight * p + (1 - forestWeight) * m.linear[c]);
  return m.forest.map((p, c) => forestWeight * p + mlpWeight * mlp[c] + rest * m.linear[c]);
}

/** How the members' probabilities become the confidence shown: the blend, then its calibration. */
export interface BlendChoice extends BlendWeights {
  calibration: Calibration;
}

export function applyBlend(m: MemberProbs, choice: BlendChoice): Float64Array {
  return calibrate(blend(m, choice), choice.calibration);
}

/** Weights tried when choosing the blend: every tenth, so any member alone can win too. */
const WEIGHTS = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * How the members are pooled, chosen on out-of-fold rows by log-loss (a proper score: it rewards honest
 * confidence, not only the top guess). With an MLP: the log pool (logPoolChoice). Without: the forest weight
 * whose calibrated average does best, and the calibration that goes with it.
 */
export function chooseBlend(members: readonly MemberProbs[], y: readonly number[]): BlendChoice {
  const withMlp = members.length > 0 && members.every((m) => m.mlp);
  const rare = members.length ? rareClasses(y, members[0].forest.length) : [];
  return (withMlp && logPoolChoice(members, y, rare)) || averageChoice(members, y, withMlp, rare);
}

/**
 * The weighted average: the forest weight on a grid of tenths, the logistic regression and the MLP (when there
 * is one) sharing the rest equally (on three corpora the free choice over every pair on the grid picked that
 * split itself, 0.4 forest and 0.3 each), calibrated; then the chosen blend's temperature refitted with
 * offsets for its rare classes (none on balanced data: the same choice).
 */
function averageChoice(members: readonly MemberProbs[], y: readonly number[], withMlp: boolean, rare: readonly number[]): BlendChoice {
  let best: BlendChoice & { loss: number; probs: Float64Array[] } = { forestWeight: 0.5, calibration: IDENTITY_CALIBRATION, loss: Infinity, probs: [] };
  for (const w of WEIGHTS) {
    const v = withMlp ? (1 - w) / 2 : 0;
    const probs = members.map((m) => blend(m, { forestWeight: w, mlpWeight: v }));
    const calibration = fitCalibration(probs, y);
    const loss = logLoss(probs.map((p) => calibrate(p, calibration)), y);
    if (loss < best.loss - 1e-12) best = { forestWeight: w, ...(withMlp ? { mlpWeight: v } : {}), calibration, loss, probs };
  }
  const { loss: _loss, probs, ...choice } = best;
  if (rare.length) choice.calibration = fitOffsets(probs, y, choice.calibration, rare);
  return choice;
}

/** The floors tried under each member's probabilities in the log pool (a member's 0 would veto a class). */
const POOL_EPS = [1e-4, 1e-3, 1e-2];

/**
 * The log pool: softmax(Σ w·log(p + eps) + offsets) over the three members, its weights (≥ 0) and rare-class
 * offsets fitted jointly (fitLogPool), the floor from POOL_EPS. Written as shares w / Σw (blend's geometric
 * mean) and a calibration of temperature 1 / Σw with those offsets: the same probabilities. On three corpora,
 * five fold seeds, against the average: +0.9 points of accuracy, CREMA-D +1.3, RAVDESS +0.1, the worst
 * condition 0.7 points nearer clean, 24 dB quieter as steady (models/EXPERIMENTS.md, eighteenth round).
 * Null if every weight came out 0.
 */
function logPoolChoice(members: readonly MemberProbs[], y: readonly number[], rare: readonly number[]): BlendChoice | null {
  const sources = [members.map((m) => m.forest), members.map((m) => m.linear), members.map((m) => m.mlp!)];
  let best: (LogPoolFit & { eps: number }) | null = null;
  for (const eps of POOL_EPS) {
    const fit = fitLogPool(sources, y, eps, rare);
    if (!best || fit.loss < best.loss - 1e-12) best = { ...fit, eps };
  }
  const [wf, , wm] = best!.weights;
  const total = best!.weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  return {
    forestWeight: wf / total,
    mlpWeight: wm / total,
    pool: 'log',
    poolEps: best!.eps,
    calibration: { temperature: 1 / total, eps: 0, ...(rare.length ? { offsets: best!.offsets } : {}) },
  };
}
