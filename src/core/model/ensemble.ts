// The classifier: StandardScaler → random forest + logistic regression, their probabilities averaged.
import { calibrate, fitCalibration, IDENTITY_CALIBRATION, type Calibration } from './calibration.js';
import { RandomForest, type ForestJson } from './forest.js';
import { LogisticRegression, type LogisticJson } from './logistic.js';
import { logLoss } from './metrics.js';
import { atypicality } from './guard.js';
import { scale, type Scaler, type ScalerJson } from './scaler.js';

/** The two fitted members and the scaler in front of them. */
export interface MembersJson {
  scaler: ScalerJson;
  linear: LogisticJson;
  forest: ForestJson;
}

export interface EnsembleJson extends MembersJson {
  /** Share of the forest in the average; the linear model has the rest. */
  forestWeight: number;
}

/** Each member's probabilities for one clip, kept apart so the blend can be chosen afterwards. */
export interface MemberProbs {
  forest: Float64Array;
  linear: Float64Array;
  /** How far the clip is from the rows the scaler was fitted on (guard.ts); absent: not measured. */
  atypicality?: number;
}

/** Both members, compiled for prediction: what training evaluates folds with and the model file holds. */
export class Members {
  constructor(
    private readonly scaler: Scaler,
    private readonly linear: LogisticRegression,
    private readonly forest: RandomForest,
  ) {}

  static fromJSON(json: MembersJson): Members {
    return new Members(json.scaler, LogisticRegression.fromJSON(json.linear), RandomForest.fromJSON(json.forest));
  }

  predict(x: ArrayLike<number>): MemberProbs {
    const z = scale(this.scaler, x);
    return { forest: this.forest.predictProba(z), linear: this.linear.predictProba(z), atypicality: atypicality(z) };
  }
}

export function blend(m: MemberProbs, forestWeight: number): Float64Array {
  return m.forest.map((p, c) => forestWeight * p + (1 - forestWeight) * m.linear[c]);
}

/** How the members' probabilities become the confidence shown: the blend, then its calibration. */
export interface BlendChoice {
  forestWeight: number;
  calibration: Calibration;
}

export function applyBlend(m: MemberProbs, choice: BlendChoice): Float64Array {
  return calibrate(blend(m, choice.forestWeight), choice.calibration);
}

/** Forest weights tried when choosing the blend: every tenth, so the linear or forest alone can win too. */
const WEIGHTS = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * The forest weight whose calibrated blend best predicts held-out labels (lowest log-loss, a proper
 * score: it rewards honest confidence, not only the top guess), and the calibration that goes with it.
 */
export function chooseBlend(members: readonly MemberProbs[], y: readonly number[]): BlendChoice {
  let best = { forestWeight: 0.5, calibration: IDENTITY_CALIBRATION, loss: Infinity };
  for (const w of WEIGHTS) {
    const probs = members.map((m) => blend(m, w));
    const calibration = fitCalibration(probs, y);
    const loss = logLoss(probs.map((p) => calibrate(p, calibration)), y);
    if (loss < best.loss - 1e-12) best = { forestWeight: w, calibration, loss };
  }
  return { forestWeight: best.forestWeight, calibration: best.calibration };
}
