// Worker: one member fit (a forest, the logistic regression or the MLP) of one fold or of the final model —
// the model training that dominates a warm `npm run train` — and, for a fold, that member's
// predictions on the fold's held-out rows; or one blend choice on out-of-fold predictions.
import { parentPort } from 'node:worker_threads';
import { chooseBlend, type BlendChoice, type MemberProbs } from '../../src/core/model/ensemble.js';
import { RandomForest, type ForestJson, type ForestOptions } from '../../src/core/model/forest.js';
import { atypicality } from '../../src/core/model/guard.js';
import { LogisticRegression, type LogisticJson, type LogisticOptions } from '../../src/core/model/logistic.js';
import { Mlp, type MlpJson, type MlpOptions } from '../../src/core/model/mlp.js';
import { fitProjection, Projector, type ProjectionJson } from '../../src/core/model/projection.js';
import { fitScaler, scale, type ScalerJson } from '../../src/core/model/scaler.js';
import { fitForest, fitLinear, fitMlp, type FitRow } from '../../src/core/model/train.js';

/** Every row once, in shared memory: jobs name their rows by index instead of copying them. */
export interface SharedRows {
  /** Row-major features, `d` per row. */
  x: Float32Array;
  y: Int32Array;
  /** Each row's corpus (Row.corpus; −1: unknown). */
  corpus: Int32Array;
  /** Each row's Row.trust (1 when absent). */
  trust: Float64Array;
  d: number;
}

/** Out-of-fold member probabilities of every clean row, `nClasses` per row, in shared memory. */
export interface SharedOof {
  forest: Float64Array;
  linear: Float64Array;
  /** Absent: trained without the MLP. */
  mlp?: Float64Array;
  y: Int32Array;
  nClasses: number;
}

export type FitJob =
  | {
      kind: 'forest' | 'linear' | 'mlp';
      rows: SharedRows;
      index: Int32Array;
      scaler: ScalerJson;
      opts: Partial<ForestOptions> | Partial<LogisticOptions> | Partial<MlpOptions>;
      /** Rows to predict with the fitted member (a fold's held-out rows): the answer is then the predictions, not the model. */
      predict?: Int32Array;
    }
  /** chooseBlend() on the out-of-fold rows `index`. */
  | { kind: 'blend'; oof: SharedOof; index: Int32Array }
  /**
   * A set's projection (setProjection() in src/core/model/train.ts) fitted on the rows `fit`, the set's rows `index`
   * (its training rows) and `heldOut` (a fold's, which its members predict) projected with it into a new shared
   * matrix (the other rows stay zero: no job of the set reads them), and the set's scaler fitted on `index`.
   */
  | { kind: 'project'; rows: SharedRows; fit: Int32Array; index: Int32Array; heldOut?: Int32Array; from: number; dims: number; seed: number };

/** A set's projection, its rows through it, and the scaler on them. */
export interface Projected {
  projection: ProjectionJson & { explained: number };
  rows: SharedRows;
  scaler: ScalerJson;
}

/** A member's probabilities on the `predict` rows, `nClasses` per row; the linear job adds each row's atypicality. */
export interface Predictions {
  probs: Float64Array;
  atypicality?: Float64Array;
}

export type FitOutput = ForestJson | LogisticJson | MlpJson | Predictions | BlendChoice | Projected;

function projectSet(input: Extract<FitJob, { kind: 'project' }>): Projected {
  const { rows } = input;
  const at = (k: number) => rows.x.subarray(k * rows.d, (k + 1) * rows.d);
  const projection = fitProjection(Array.from(input.fit, at), input.from, input.dims, input.seed);
  const n = rows.y.length, d = input.from + input.dims;
  const x = new Float32Array(new SharedArrayBuffer(n * d * 4));
  const used = Int32Array.from(new Set([...input.index, ...(input.heldOut ?? [])])).sort();
  x.set(new Projector(projection).projectAll(rows.x, n, rows.d, used));
  const out: SharedRows = { ...rows, x, d };
  return { projection, rows: out, scaler: fitScaler(Array.from(input.index, (k) => x.subarray(k * d, (k + 1) * d))) };
}

function rowsAt(rows: SharedRows, index: Int32Array): FitRow[] {
  return Array.from(index, (k) => ({ x: rows.x.subarray(k * rows.d, (k + 1) * rows.d), y: rows.y[k], ...(rows.corpus[k] >= 0 ? { corpus: rows.corpus[k] } : {}), ...(rows.trust[k] !== 1 ? { trust: rows.trust[k] } : {}) }));
}

/** What Members.predict() gives for the member, row by row: the same scaling, the same arithmetic. */
function predictRows(member: RandomForest | LogisticRegression | Mlp, rows: SharedRows, index: Int32Array, scaler: ScalerJson, withAtypicality: boolean): Predictions {
  const C = member.nClasses;
  const out: Predictions = { probs: new Float64Array(index.length * C), atypicality: withAtypicality ? new Float64Array(index.length) : undefined };
  index.forEach((k, i) => {
    const z = scale(scaler, rows.x.subarray(k * rows.d, (k + 1) * rows.d));
    out.probs.set(member.predictProba(z), i * C);
    if (out.atypicality) out.atypicality[i] = atypicality(z);
  });
  return out;
}

function run(input: FitJob): FitOutput {
  if (input.kind === 'blend') {
    const { forest, linear, mlp, y, nClasses: C } = input.oof;
    const members: MemberProbs[] = Array.from(input.index, (i) => ({
      forest: forest.subarray(i * C, (i + 1) * C),
      linear: linear.subarray(i * C, (i + 1) * C),
      ...(mlp ? { mlp: mlp.subarray(i * C, (i + 1) * C) } : {}),
    }));
    return chooseBlend(members, Array.from(input.index, (i) => y[i]));
  }
  if (input.kind === 'project') return projectSet(input);
  const rows = rowsAt(input.rows, input.index);
  if (input.kind === 'forest') {
    const json = fitForest(rows, input.scaler, input.opts as Partial<ForestOptions>);
    return input.predict ? predictRows(RandomForest.fromJSON(json), input.rows, input.predict, input.scaler, false) : json;
  }
  if (input.kind === 'mlp') {
    const json = fitMlp(rows, input.scaler, input.opts as Partial<MlpOptions>);
    return input.predict ? predictRows(Mlp.fromJSON(json), input.rows, input.predict, input.scaler, false) : json;
  }
  const json = fitLinear(rows, input.scaler, input.opts as Partial<LogisticOptions>);
  return input.predict ? predictRows(LogisticRegression.fromJSON(json), input.rows, input.predict, input.scaler, true) : json;
}

parentPort?.on('message', ({ id, input }: { id: number; input: FitJob }) => {
  parentPort!.postMessage({ id, output: run(input) });
});
