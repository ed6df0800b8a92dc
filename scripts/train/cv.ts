// Cross-validation and the final fit on worker threads: the same steps as crossValidate() in
// src/core/model/train.ts (and crossFittedChoices() / chooseBlend() after it), split into jobs so
// both cores stay busy.
import type { BlendChoice, MemberProbs } from '../../src/core/model/ensemble.js';
import type { ForestJson } from '../../src/core/model/forest.js';
import type { LogisticJson } from '../../src/core/model/logistic.js';
import type { MlpJson } from '../../src/core/model/mlp.js';
import { fitScaler } from '../../src/core/model/scaler.js';
import { foldsOf, linearStart, mergeFolds, mlpOptions, packedRow, projectionSeed, stripped, trainingIndex, type CvResult, type Fitted, type FoldResult, type TrainingSet, type TrainOptions } from '../../src/core/model/train.js';
import type { FitJob, FitOutput, Predictions, Projected, SharedOof, SharedRows } from './cv-worker.js';
import { runParallel, startWorkers, type Job, type Workers } from './parallel.js';
import { progress } from './progress.js';

const CV_WORKER = new URL('./cv-worker.ts', import.meta.url);

/** The workers crossValidateParallel() will use, started early so their start-up overlaps the caller's work. */
export function startCvWorkers(threads?: number): Workers {
  return startWorkers(CV_WORKER, threads);
}

export interface ParallelCv {
  fitted: Fitted;
  cv: CvResult;
  /** crossFittedChoices(cv.oof, …): fold f's blend and calibration, chosen on the other folds. */
  choices: BlendChoice[];
  /** chooseBlend(cv.oof, …): the shipped blend and calibration, chosen on every fold. */
  final: BlendChoice;
  /** Each set's projection's share of its block's variance (the final model's first, then each fold's); null: no projection. */
  explained: (number | null)[];
}

/**
 * Fits the final model and every fold, predicts each fold's held-out rows in the worker that fitted
 * its member (only the final model comes back whole), then chooses the blends. Jobs: the final
 * logistic regression first, then the six forests (the long jobs); when the final logistic
 * regression is in, each fold's starts from it (rescaleLinear), queued last, so the short jobs fill
 * the end; when every fold is in, the folds' blend choices and the final one. With a projection, each set's
 * projection job comes first (the final model's leading), and a set's fits are queued when its rows are in.
 */
export async function crossValidateParallel(data: TrainingSet, opts: TrainOptions, threads?: number, workers?: Workers): Promise<ParallelCv> {
  const foldOf = foldsOf(data, opts);
  const raw = shareRows(data);
  // Set 0 is the final fit (every row), set f + 1 is fold f's training rows. With a projection, a set's rows and
  // scaler come from its projection job; without, every set reads the raw rows.
  const sets = [-1, ...Array.from({ length: opts.folds }, (_, f) => f)].map((f) => {
    const index = trainingIndex(data, foldOf, f);
    return {
      f,
      index,
      rows: raw,
      projection: null as Projected['projection'] | null,
      scaler: index.length && !opts.projection ? fitScaler(Array.from(index, (k) => packedRow(data, k).x)) : null,
      heldOut: f < 0 ? null : heldOutOf(data, foldOf, f),
    };
  });
  const forests: (ForestJson | Predictions | null)[] = sets.map(() => null);
  const linears: (LogisticJson | Predictions | null)[] = sets.map(() => null);
  const mlps: (MlpJson | Predictions | null)[] = sets.map(() => null);
  const usable = sets.map((s, k) => k).filter((k) => sets[k].index.length);
  const members = opts.mlp ? 3 : 2;
  // Fold fits still out: when none is, every out-of-fold prediction is in and the blends can be chosen.
  let pending = members * usable.filter((k) => k !== 0).length;
  type Slot = { set: number; kind: FitJob['kind'] };
  const slots: Slot[] = [];
  let full: LogisticJson | null = null;
  const fitJob = (set: number, kind: 'forest' | 'linear' | 'mlp'): Job<FitJob> => {
    const s = sets[set];
    slots.push({ set, kind });
    const base = { rows: s.rows, index: s.index, scaler: s.scaler!, predict: s.heldOut?.index };
    if (kind === 'forest') return { input: { kind, ...base, opts: { ...opts.forest, seed: s.f < 0 ? opts.seed : opts.seed + s.f } } };
    if (kind === 'mlp') return { input: { kind, ...base, opts: mlpOptions(opts, s.f) || {} } };
    const init = set === 0 ? undefined : linearStart({ scaler: sets[0].scaler!, linear: full! }, s.scaler!, opts);
    return { input: { kind, ...base, opts: { ...opts.linear, ...(init ? { init } : {}) } } };
  };
  const projectJob = (set: number): Job<FitJob> => {
    const s = sets[set], p = opts.projection as { from: number; dims: number };
    slots.push({ set, kind: 'project' });
    // The clean rows lead a set's index (trainingIndex), in the order setProjection() reads them.
    const fit = s.index.filter((k) => k < data.clean.length);
    return { input: { kind: 'project', rows: raw, fit, index: s.index, heldOut: s.heldOut?.index, from: p.from, dims: p.dims, seed: projectionSeed(opts, s.f) } };
  };
  /** A projected set's member fits, once its rows are in (a fold's logistic regression also waits for the full one). */
  const memberJobs = (k: number): Job<FitJob>[] => {
    const jobs = k === 0 ? [fitJob(0, 'linear')] : [];
    jobs.push(fitJob(k, 'forest'));
    if (opts.mlp) jobs.push(fitJob(k, 'mlp'));
    if (k !== 0 && full) jobs.push(fitJob(k, 'linear'));
    return jobs;
  };
  let cv: CvResult | null = null;
  const choices: BlendChoice[] = [];
  let final: BlendChoice | null = null;
  const blendJobs = (): Job<FitJob>[] => {
    cv = mergeFolds(data, foldOf, sets.slice(1).map((s, f) => (s.heldOut && s.scaler ? foldResult(s.heldOut, forests[f + 1] as Predictions, linears[f + 1] as Predictions, mlps[f + 1] as Predictions | null) : null)));
    const oof = shareOof(cv.oof, data);
    // The final choice (every row, the longest) first.
    return [-1, ...Array.from({ length: opts.folds }, (_, f) => f)].map((f) => {
      slots.push({ set: f, kind: 'blend' });
      const index = Int32Array.from(cv!.oof.keys()).filter((i) => f < 0 || foldOf[i] !== f);
      return { input: { kind: 'blend', oof, index } };
    });
  };
  // The final logistic regression first (the folds' start from it), the MLP fits, as long as a forest's, between
  // the forests; with a projection, each set's projection first, and its fits when it is in.
  const jobs = opts.projection ? usable.map(projectJob) : [fitJob(0, 'linear'), ...usable.flatMap((k) => (opts.mlp ? [fitJob(k, 'forest'), fitJob(k, 'mlp')] : [fitJob(k, 'forest')]))];
  const bar = progress('cross-validation + final fit', (opts.projection ? usable.length : 0) + members * usable.length + opts.folds + 1);
  await runParallel<FitJob, FitOutput>(workers ?? CV_WORKER, jobs, (id, out) => {
    const { set, kind } = slots[id];
    bar.tick();
    if (kind === 'blend') {
      if (set < 0) final = out as BlendChoice;
      else choices[set] = out as BlendChoice;
      return;
    }
    if (kind === 'project') {
      const p = out as Projected;
      Object.assign(sets[set], { rows: p.rows, scaler: p.scaler, projection: p.projection });
      return memberJobs(set);
    }
    if (kind === 'forest') forests[set] = out as ForestJson | Predictions;
    else if (kind === 'mlp') mlps[set] = out as MlpJson | Predictions;
    else linears[set] = out as LogisticJson | Predictions;
    const more: Job<FitJob>[] = [];
    if (kind === 'linear' && set === 0) {
      full = out as LogisticJson;
      more.push(...usable.filter((k) => k !== 0 && sets[k].scaler).map((k) => fitJob(k, 'linear')));
    }
    if (set !== 0 && --pending === 0) more.push(...blendJobs());
    return more;
  }, threads);
  bar.done();
  const projection = sets[0].projection;
  const fitted: Fitted = { ...(projection ? { projection: stripped(projection) } : {}), scaler: sets[0].scaler!, linear: linears[0] as LogisticJson, forest: forests[0] as ForestJson };
  if (opts.mlp) fitted.mlp = mlps[0] as MlpJson;
  return { fitted, cv: cv!, choices, final: final!, explained: sets.map((s) => s.projection?.explained ?? null) };
}

/** Fold f's held-out rows, as predictFold() visits them: its clean rows, then each variant's rows of its speakers. */
interface HeldOut {
  /** Rows of the shared matrix (shareRows). */
  index: Int32Array;
  /** Where each prediction goes: the clean row, or [variant, entry]. */
  to: (number | [string, number])[];
}

function heldOutOf(data: TrainingSet, foldOf: readonly number[], f: number): HeldOut {
  const index: number[] = [];
  const to: HeldOut['to'] = [];
  data.clean.forEach((_, i) => { if (foldOf[i] === f) { index.push(i); to.push(i); } });
  let base = data.clean.length + data.augmented.length;
  for (const [name, list] of Object.entries(data.variants)) {
    list.forEach((v, j) => { if (foldOf[v.source] === f) { index.push(base + j); to.push([name, j]); } });
    base += list.length;
  }
  return { index: Int32Array.from(index), to };
}

/** Fold f's result as predictFold() gives it, from its members' predictions (each from its own job). */
function foldResult(heldOut: HeldOut, forest: Predictions, linear: Predictions, mlp: Predictions | null): FoldResult {
  const C = forest.probs.length / Math.max(1, heldOut.index.length);
  const out: FoldResult = { oof: [], variants: {} };
  heldOut.to.forEach((to, i) => {
    const m: MemberProbs = { forest: forest.probs.slice(i * C, (i + 1) * C), linear: linear.probs.slice(i * C, (i + 1) * C), atypicality: linear.atypicality![i] };
    if (mlp) m.mlp = mlp.probs.slice(i * C, (i + 1) * C);
    if (typeof to === 'number') out.oof.push([to, m]);
    else (out.variants[to[0]] ??= []).push([to[1], m]);
  });
  return out;
}

/** Clean rows, augmented rows, then each variant's rows, in one shared float32 matrix (the features are float32 already). */
function shareRows(data: TrainingSet): SharedRows {
  const variants = Object.values(data.variants).flat();
  const nFit = data.clean.length + data.augmented.length;
  const n = nFit + variants.length;
  const d = data.clean.length ? data.clean[0].x.length : 0;
  const x = new Float32Array(new SharedArrayBuffer(n * d * 4));
  const y = new Int32Array(new SharedArrayBuffer(n * 4));
  const corpus = new Int32Array(new SharedArrayBuffer(n * 4));
  const trust = new Float64Array(new SharedArrayBuffer(n * 8));
  for (let k = 0; k < n; k++) {
    const r = k < nFit ? packedRow(data, k) : variants[k - nFit].row;
    x.set(r.x, k * d);
    y[k] = r.y;
    corpus[k] = r.corpus ?? -1;
    trust[k] = r.trust ?? 1;
  }
  return { x, y, corpus, trust, d };
}

function shareOof(oof: readonly MemberProbs[], data: TrainingSet): SharedOof {
  const C = oof.length ? oof[0].forest.length : 0;
  const forest = new Float64Array(new SharedArrayBuffer(oof.length * C * 8));
  const linear = new Float64Array(new SharedArrayBuffer(oof.length * C * 8));
  const mlp = oof.length && oof[0].mlp ? new Float64Array(new SharedArrayBuffer(oof.length * C * 8)) : undefined;
  const y = new Int32Array(new SharedArrayBuffer(oof.length * 4));
  oof.forEach((m, i) => { forest.set(m.forest, i * C); linear.set(m.linear, i * C); if (mlp) mlp.set(m.mlp!, i * C); y[i] = data.clean[i].y; });
  return { forest, linear, ...(mlp ? { mlp } : {}), y, nClasses: C };
}
