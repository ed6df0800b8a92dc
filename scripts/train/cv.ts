// Cross-validation and the final fit on worker threads: the same steps as crossValidate() in
// src/core/model/train.ts, split into member fits so both cores stay busy.
import type { ForestJson } from '../../src/core/model/forest.js';
import type { LogisticJson } from '../../src/core/model/logistic.js';
import { fitScaler, type ScalerJson } from '../../src/core/model/scaler.js';
import { foldsOf, mergeFolds, packedRow, predictFold, rescaleLinear, trainingIndex, type CvResult, type Fitted, type TrainingSet, type TrainOptions } from '../../src/core/model/train.js';
import type { FitJob, FitOutput, SharedRows } from './cv-worker.js';
import { runParallel, type Job } from './parallel.js';
import { progress } from './progress.js';

/**
 * Fits the final model and every fold. Jobs: the final logistic regression first, then the six
 * forests (the long jobs); when the final logistic regression is in, each fold's starts from it
 * (rescaleLinear), queued last, so the short jobs fill the end.
 */
export async function crossValidateParallel(data: TrainingSet, opts: TrainOptions, threads?: number): Promise<{ fitted: Fitted; cv: CvResult }> {
  const foldOf = foldsOf(data, opts);
  const rows = shareRows(data);
  // Set 0 is the final fit (every row), set f + 1 is fold f's training rows.
  const sets = [-1, ...Array.from({ length: opts.folds }, (_, f) => f)].map((f) => {
    const index = trainingIndex(data, foldOf, f);
    return { f, index, scaler: index.length ? fitScaler(Array.from(index, (k) => packedRow(data, k).x)) : null };
  });
  const forests: (ForestJson | null)[] = sets.map(() => null);
  const linears: (LogisticJson | null)[] = sets.map(() => null);
  type Slot = { set: number; kind: FitJob['kind'] };
  const slots: Slot[] = [];
  const job = (set: number, kind: FitJob['kind'], extra: Partial<FitJob['opts']> = {}): Job<FitJob> => {
    const s = sets[set];
    slots.push({ set, kind });
    const base = { rows, index: s.index, scaler: s.scaler! };
    return kind === 'forest'
      ? { input: { kind, ...base, opts: { ...opts.forest, seed: s.f < 0 ? opts.seed : opts.seed + s.f } } }
      : { input: { kind, ...base, opts: { ...opts.linear, ...extra } } };
  };
  const usable = sets.map((s, k) => k).filter((k) => sets[k].scaler);
  const jobs = [job(0, 'linear'), ...usable.map((k) => job(k, 'forest'))];
  const bar = progress('cross-validation + final fit', 2 * usable.length);
  await runParallel<FitJob, FitOutput>(new URL('./cv-worker.ts', import.meta.url), jobs, (id, out) => {
    const { set, kind } = slots[id];
    bar.tick();
    if (kind === 'forest') { forests[set] = out as ForestJson; return; }
    linears[set] = out as LogisticJson;
    if (set !== 0) return;
    const full = { linear: out as LogisticJson, scaler: sets[0].scaler! };
    return usable.filter((k) => k !== 0).map((k) => job(k, 'linear', { init: rescaleLinear(full.linear, full.scaler, sets[k].scaler as ScalerJson) }));
  }, threads);
  bar.done();
  const fittedOf = (k: number): Fitted => ({ scaler: sets[k].scaler!, linear: linears[k]!, forest: forests[k]! });
  const results = sets.slice(1).map((s, f) => (s.scaler ? predictFold(data, foldOf, f, fittedOf(f + 1)) : null));
  return { fitted: fittedOf(0), cv: mergeFolds(data, foldOf, results) };
}

/** Clean rows, then augmented rows, in one shared float32 matrix (the features are float32 already). */
function shareRows(data: TrainingSet): SharedRows {
  const n = data.clean.length + data.augmented.length;
  const d = data.clean.length ? data.clean[0].x.length : 0;
  const x = new Float32Array(new SharedArrayBuffer(n * d * 4));
  const y = new Int32Array(new SharedArrayBuffer(n * 4));
  for (let k = 0; k < n; k++) {
    const r = packedRow(data, k);
    x.set(r.x, k * d);
    y[k] = r.y;
  }
  return { x, y, d };
}
