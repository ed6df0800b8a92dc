// The classifier: (projection →) StandardScaler → random forest + logistic regression (+ an MLP), their probabilities averaged.
import { calibrate, fitCalibration, fitOffsets, IDENTITY_CALIBRATION, rareClasses, type Calibration } from './calibration.js';
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

export interface EnsembleJson extends MembersJson {
  /** Share of the forest in the average; the linear model has the rest (after the MLP's share). */
  forestWeight: number;
  /** Share of the MLP; absent or 0: none. */
  mlpWeight?: number;
}

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

/** forestWeight·forest + mlpWeight·MLP + the rest·linear. Without an MLP share, the same arithmetic (and bits) as two members. */
export function blend(m: MemberProbs, forestWeight: number, mlpWeight = 0): Float64Array {
  if (!(mlpWeight > 0) || !m.mlp) return m.forest.map((p, c) => forestWeight * p + (1 - forestWeight) * m.linear[c]);
  const mlp = m.mlp, rest = Math.max(0, 1 - forestWeight - mlpWeight); // never a rounding's −1e-17
  return m.forest.map((p, c) => forestWeight * p + mlpWeight * mlp[c] + rest * m.linear[c]);
}

/** How the members' probabilities become the confidence shown: the blend, then its calibration. */
export interface BlendChoice {
  forestWeight: number;
  /** The MLP's share (absent: none; the linear member has 1 − forestWeight − mlpWeight). */
  mlpWeight?: number;
  calibration: Calibration;
}

export function applyBlend(m: MemberProbs, choice: BlendChoice): Float64Array {
  return calibrate(blend(m, choice.forestWeight, choice.mlpWeight), choice.calibration);
}

/** Weights tried when choosing the blend: every tenth, so any member alone can win too. */
const WEIGHTS = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * The forest weight whose calibrated blend best predicts held-out labels (lowest log-loss, a proper
 * score: it rewards honest confidence, not only the top guess), and the calibration that goes with it.
 * With an MLP, the logistic regression and the MLP share the rest equally: on three corpora the free
 * choice over every pair on the grid picked that split itself (0.4 forest, 0.3 each), and searching the
 * pairs costs six times the calibration fits for no measured gain.
 */
export function chooseBlend(members: readonly MemberProbs[], y: readonly number[]): BlendChoice {
  const withMlp = members.length > 0 && members.every((m) => m.mlp);
  let best: BlendChoice & { loss: number; probs: Float64Array[] } = { forestWeight: 0.5, calibration: IDENTITY_CALIBRATION, loss: Infinity, probs: [] };
  for (const w of WEIGHTS) {
    const v = withMlp ? (1 - w) / 2 : 0;
    const probs = members.map((m) => blend(m, w, v));
    const calibration = fitCalibration(probs, y);
    const loss = logLoss(probs.map((p) => calibrate(p, calibration)), y);
    if (loss < best.loss - 1e-12) best = { forestWeight: w, ...(withMlp ? { mlpWeight: v } : {}), calibration, loss, probs };
  }
  const { loss: _loss, probs, ...choice } = best;
  // The chosen blend's temperature refitted with offsets for its rare classes (none on balanced data: the same choice).
  const rare = members.length ? rareClasses(y, members[0].forest.length) : [];
  if (rare.length) choice.calibration = fitOffsets(probs, y, choice.calibration, rare);
  return choice;
}
