// Worker: one member fit (a forest or the logistic regression) of one fold or of the final model —
// the model training that dominates a warm `npm run train`.
import { parentPort } from 'node:worker_threads';
import type { ForestJson, ForestOptions } from '../../src/core/model/forest.js';
import type { LogisticJson, LogisticOptions } from '../../src/core/model/logistic.js';
import type { ScalerJson } from '../../src/core/model/scaler.js';
import { fitForest, fitLinear, type FitRow } from '../../src/core/model/train.js';

/** Every training row once, in shared memory: jobs name their rows by index instead of copying them. */
export interface SharedRows {
  /** Row-major features, `d` per row. */
  x: Float32Array;
  y: Int32Array;
  d: number;
}

export type FitJob =
  | { kind: 'forest'; rows: SharedRows; index: Int32Array; scaler: ScalerJson; opts: Partial<ForestOptions> }
  | { kind: 'linear'; rows: SharedRows; index: Int32Array; scaler: ScalerJson; opts: Partial<LogisticOptions> };

export type FitOutput = ForestJson | LogisticJson;

function rowsAt(rows: SharedRows, index: Int32Array): FitRow[] {
  return Array.from(index, (k) => ({ x: rows.x.subarray(k * rows.d, (k + 1) * rows.d), y: rows.y[k] }));
}

parentPort?.on('message', ({ id, input }: { id: number; input: FitJob }) => {
  const rows = rowsAt(input.rows, input.index);
  const output: FitOutput = input.kind === 'forest' ? fitForest(rows, input.scaler, input.opts) : fitLinear(rows, input.scaler, input.opts);
  parentPort!.postMessage({ id, output });
});
