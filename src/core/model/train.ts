// Training on feature rows: speaker-grouped cross-validation, calibration, rule choice, final fit.
// Pure: the caller lists files and extracts features (scripts/train); this turns rows into a model.
import { EMOTIONS } from '../emotions.js';
import { applyGate, DEFAULT_RULES, toProbabilities, type DecisionRules, type EnergyGate } from '../decision.js';
import { calibrate, fitCalibration, type Calibration } from './calibration.js';
import { RandomForest, type ForestJson, type ForestOptions } from './forest.js';
import { argmax, evaluate, type Metrics } from './metrics.js';
import { rng, shuffled } from './random.js';
import { fitScaler, scale, type ScalerJson } from './scaler.js';

export interface Row {
  x: Float32Array;
  /** Index into EMOTIONS. */
  y: number;
  /** Speaker id: no speaker is ever in both the training and the test side of a fold. */
  group: string;
  rmsDb: number;
}

export interface TrainingSet {
  clean: Row[];
  /** Augmented copies of clean rows, by the index of their source: used on training folds only. */
  augmented: { source: number; row: Row }[];
  /** Extra test-only variants of clean rows (e.g. Opus round trip, −18 dB) to measure robustness. */
  variants: Record<string, { source: number; row: Row }[]>;
}

export interface TrainOptions {
  folds: number;
  seed: number;
  forest: Partial<ForestOptions>;
  /** Speaker-grouped folds (honest) unless the caller explicitly asks for a random split. */
  split: 'grouped' | 'random';
}

export interface Fitted {
  scaler: ScalerJson;
  forest: ForestJson;
}

export interface CvResult {
  /** Out-of-fold raw forest probabilities for each clean row. */
  oof: Float64Array[];
  foldOf: number[];
  /** Out-of-fold raw probabilities for each test variant, aligned with training.variants. */
  variantOof: Record<string, Float64Array[]>;
  foldAccuracy: number[];
}

/** Assigns whole groups to folds, largest first onto the emptiest fold (balanced sizes). */
export function groupedFolds(groups: readonly string[], k: number, seed: number): number[] {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const order = shuffled([...sizes.keys()].sort(), rng(seed)).sort((a, b) => sizes.get(b)! - sizes.get(a)!);
  const load = new Array<number>(k).fill(0);
  const foldOfGroup = new Map<string, number>();
  for (const g of order) {
    let f = 0;
    for (let i = 1; i < k; i++) if (load[i] < load[f]) f = i;
    foldOfGroup.set(g, f);
    load[f] += sizes.get(g)!;
  }
  return groups.map((g) => foldOfGroup.get(g)!);
}

/** A random split ignores speakers: the same voice lands on both sides, which inflates accuracy. */
export function randomFolds(n: number, k: number, seed: number): number[] {
  const idx = shuffled(Array.from({ length: n }, (_, i) => i), rng(seed));
  const out = new Array<number>(n);
  idx.forEach((i, pos) => (out[i] = pos % k));
  return out;
}

export function fit(rows: readonly Row[], forest: Partial<ForestOptions>): Fitted {
  const scaler = fitScaler(rows.map((r) => r.x));
  const X = rows.map((r) => scale(scaler, r.x));
  return { scaler, forest: RandomForest.train(X, rows.map((r) => r.y), EMOTIONS.length, forest) };
}

export function predictRaw(f: Fitted, x: ArrayLike<number>, forest = RandomForest.fromJSON(f.forest)): Float64Array {
  return forest.predictProba(scale(f.scaler, x));
}

export function crossValidate(data: TrainingSet, opts: TrainOptions, onFold?: (fold: number) => void): CvResult {
  const n = data.clean.length;
  const foldOf = opts.split === 'grouped' ? groupedFolds(data.clean.map((r) => r.group), opts.folds, opts.seed) : randomFolds(n, opts.folds, opts.seed);
  const oof: Float64Array[] = new Array(n);
  const variantOof: Record<string, Float64Array[]> = {};
  for (const name of Object.keys(data.variants)) variantOof[name] = new Array(data.variants[name].length);
  const foldAccuracy: number[] = [];
  for (let f = 0; f < opts.folds; f++) {
    const train = data.clean.filter((_, i) => foldOf[i] !== f).concat(data.augmented.filter((a) => foldOf[a.source] !== f).map((a) => a.row));
    if (!train.length) continue;
    const fitted = fit(train, { ...opts.forest, seed: opts.seed + f });
    const forest = RandomForest.fromJSON(fitted.forest);
    let right = 0, total = 0;
    data.clean.forEach((r, i) => {
      if (foldOf[i] !== f) return;
      oof[i] = predictRaw(fitted, r.x, forest);
      right += argmax(oof[i]) === r.y ? 1 : 0;
      total++;
    });
    foldAccuracy.push(total ? right / total : 0);
    for (const [name, list] of Object.entries(data.variants)) {
      list.forEach((v, j) => {
        if (foldOf[v.source] === f) variantOof[name][j] = predictRaw(fitted, v.row.x, forest);
      });
    }
    onFold?.(f);
  }
  return { oof, foldOf, variantOof, foldAccuracy };
}

/**
 * ECE that does not flatter itself: each fold's probabilities are calibrated with a calibration
 * fitted on the other folds only.
 */
export function crossFittedCalibration(oof: readonly Float64Array[], y: readonly number[], foldOf: readonly number[], folds: number): Float64Array[] {
  const out: Float64Array[] = new Array(oof.length);
  for (let f = 0; f < folds; f++) {
    const idx = oof.map((_, i) => i).filter((i) => foldOf[i] !== f);
    const cal = fitCalibration(idx.map((i) => oof[i]), idx.map((i) => y[i]));
    oof.forEach((p, i) => { if (foldOf[i] === f) out[i] = calibrate(p, cal); });
  }
  return out;
}

export function metricsOf(probs: readonly ArrayLike<number>[], y: readonly number[]): Metrics {
  return evaluate(probs, y, EMOTIONS.length);
}

/**
 * Energy gate from data: among candidate levels, the most protective (highest) threshold whose
 * gating costs at most `tolerance` of out-of-fold accuracy — on clean clips and on the same clips
 * 18 dB quieter (so the gate does not punish a quiet microphone). The factor is fixed at 0.3: the
 * gate only tips close calls.
 */
export function chooseGate(
  probs: readonly Float64Array[],
  y: readonly number[],
  rmsDb: readonly number[],
  tolerance = 0.005,
): { gate: EnergyGate | null; table: { belowDb: number; accuracy: number; quietAccuracy: number; gatedShare: number }[] } {
  const base = { belowDb: -Infinity, factor: 0.3, emotions: ['angry', 'fearful'] } as EnergyGate;
  const acc = (gate: EnergyGate, shiftDb: number) => {
    let right = 0, gated = 0;
    probs.forEach((p, i) => {
      const r = applyGate(toProbabilities(p), rmsDb[i] + shiftDb, gate);
      gated += r.gated ? 1 : 0;
      right += EMOTIONS.indexOf(EMOTIONS.reduce((a, b) => (r.probabilities[b] > r.probabilities[a] ? b : a))) === y[i] ? 1 : 0;
    });
    return { accuracy: right / probs.length, gatedShare: gated / probs.length };
  };
  const ref = acc(base, 0).accuracy;
  const table: { belowDb: number; accuracy: number; quietAccuracy: number; gatedShare: number }[] = [];
  let chosen: EnergyGate | null = null;
  for (let db = -70; db <= -20; db += 2) {
    const gate = { ...base, belowDb: db };
    const clean = acc(gate, 0);
    const quiet = acc(gate, -18);
    table.push({ belowDb: db, accuracy: clean.accuracy, quietAccuracy: quiet.accuracy, gatedShare: clean.gatedShare });
    if (clean.accuracy >= ref - tolerance && quiet.accuracy >= ref - tolerance) chosen = gate;
  }
  return { gate: chosen, table };
}

/**
 * The `uncertain` threshold from data: the confidence below which the calibrated model's top
 * guesses were right less than a third of the time out of fold (kept within 25–45 %).
 */
export function chooseUncertain(probs: readonly ArrayLike<number>[], y: readonly number[]): { uncertainBelow: number; rightBelow: number } {
  const pairs = probs.map((p, i) => ({ c: p[argmax(p)], ok: argmax(p) === y[i] })).sort((a, b) => a.c - b.c);
  let best = DEFAULT_RULES.uncertainBelow;
  let rightBelow = NaN;
  for (let t = 0.25; t <= 0.4501; t += 0.01) {
    const below = pairs.filter((q) => q.c < t);
    const acc = below.length >= 20 ? below.filter((q) => q.ok).length / below.length : 0;
    if (below.length >= 20 && acc < 1 / 3) { best = Math.round(t * 100) / 100; rightBelow = acc; }
  }
  return { uncertainBelow: best, rightBelow };
}

export function rulesFrom(gate: EnergyGate | null, uncertainBelow: number): DecisionRules {
  return { uncertainBelow, gate };
}

export type { Calibration };
