// The classifier: StandardScaler → random forest + logistic regression, their probabilities averaged.
import { calibrate, fitCalibration, IDENTITY_CALIBRATION, type Calibration } from './calibration.js';
import { RandomForest, type ForestJson } from './forest.js';
import { LogisticRegression, type LogisticJson } from './logistic.js';
import { scale, type ScalerJson } from './scaler.js';

export interface EnsembleJson {
  scaler: ScalerJson;
  /** Share of the forest in the average; the linear model has the rest. */
  forestWeight: number;
  linear: LogisticJson;
  forest: ForestJson;
}

/** Each member's probabilities for one clip, kept apart so the blend can be chosen afterwards. */
export interface MemberProbs {
  forest: Float64Array;
  linear: Float64Array;
}

export class Ensemble {
  private readonly forest: RandomForest;
  private readonly linear: LogisticRegression;

  constructor(private readonly json: EnsembleJson) {
    this.forest = RandomForest.fromJSON(json.forest);
    this.linear = LogisticRegression.fromJSON(json.linear);
  }

  members(x: ArrayLike<number>): MemberProbs {
    const z = scale(this.json.scaler, x);
    return { forest: this.forest.predictProba(z), linear: this.linear.predictProba(z) };
  }

  /** Blended probabilities, before calibration. */
  predictRaw(x: ArrayLike<number>): Float64Array {
    return blend(this.members(x), this.json.forestWeight);
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
    let loss = 0;
    probs.forEach((p, i) => { loss -= Math.log(Math.max(1e-12, calibrate(p, calibration)[y[i]])); });
    if (loss < best.loss - 1e-9) best = { forestWeight: w, calibration, loss };
  }
  return { forestWeight: best.forestWeight, calibration: best.calibration };
}
