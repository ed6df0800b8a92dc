// Worker: one cross-validation fold, or the final fit — the model training that dominates a warm `npm run train`.
import { parentPort } from 'node:worker_threads';
import { fit, runFold, type FoldResult, type Fitted, type TrainingSet, type TrainOptions } from '../../src/core/model/train.js';

export type CvJob =
  | { kind: 'fold'; data: TrainingSet; opts: TrainOptions; foldOf: number[]; fold: number }
  | { kind: 'final'; data: TrainingSet; opts: TrainOptions };

export type CvOutput = FoldResult | Fitted | null;

parentPort!.on('message', ({ id, input }: { id: number; input: CvJob }) => {
  const output: CvOutput =
    input.kind === 'fold'
      ? runFold(input.data, input.opts, input.foldOf, input.fold)
      : fit(input.data.clean.concat(input.data.augmented.map((a) => a.row)), { ...input.opts.forest, seed: input.opts.seed }, input.opts.linear);
  parentPort!.postMessage({ id, output });
});
