// The numbers a model is judged by, shared by `npm run train` (out-of-fold) and `npm run eval` (a model on a folder).
import { decide, toProbabilities, type DecisionRules } from '../../src/core/decision.js';
import { EMOTIONS } from '../../src/core/emotions.js';
import { argmax, evaluate, expectedCalibrationError, type Metrics } from '../../src/core/model/metrics.js';
import type { CorpusItem } from './corpora.js';

export interface SetScore {
  n: number;
  /** Top answer over all 7 classes. */
  accuracy: number;
  /** Top answer among the classes this set has labels for (CREMA-D: its 6, without surprised). */
  accuracyOwnClasses: number;
  macroF1: number;
  ece: number;
  recall: Record<string, number | null>;
  /** confusion[true][predicted], EMOTIONS order. */
  confusion: number[][];
  /** Clips whose listeners heard the intended emotion (CREMA-D), scored alone. */
  listenerAgreed?: { n: number; accuracy: number; accuracyOwnClasses: number };
  /** Ordinary speech: answers as users see them (after the gate and the uncertain rule). */
  ordinary?: OrdinaryScore;
}

export interface OrdinaryScore {
  n: number;
  /** Answered neutral, or too unsure to say ("uncertain"). */
  neutralOrUnsure: number;
  /** A non-neutral emotion at high confidence (≥ 70 %). */
  nonNeutralHigh: number;
  /** Any emotion (neutral included) at high confidence: what audio unlike the training speech must never get. */
  high: number;
  /** Share of answers per emotion. */
  answers: Record<string, number>;
}

export interface ConditionScore {
  n: number;
  accuracy: number;
  /** The same clips clean, for a like-for-like difference. */
  cleanAccuracy: number;
  /** Answer (after the decision rules) the same as on the clean clip. */
  unchanged: number;
  ece: number;
}

function ownClassArgmax(p: ArrayLike<number>, classes: ReadonlySet<number>): number {
  let best = -1;
  for (let c = 0; c < p.length; c++) if (classes.has(c) && (best < 0 || p[c] > p[best])) best = c;
  return best;
}

export function scoreSet(probs: readonly Float64Array[], items: readonly CorpusItem[], rmsDb: readonly number[], rules: DecisionRules): SetScore {
  const y = items.map((it) => EMOTIONS.indexOf(it.label));
  const m: Metrics = evaluate(probs, y, EMOTIONS.length);
  const classes = new Set(y);
  const own = (idx: number[]) => idx.filter((i) => ownClassArgmax(probs[i], classes) === y[i]).length / (idx.length || 1);
  const all = items.map((_, i) => i);
  const score: SetScore = {
    n: items.length,
    accuracy: m.accuracy,
    accuracyOwnClasses: own(all),
    macroF1: m.macroF1,
    ece: m.ece,
    recall: Object.fromEntries(EMOTIONS.map((e, c) => [e, m.perClass[c].support ? m.perClass[c].recall : null])),
    confusion: m.confusion,
  };
  if (items.some((it) => it.heard !== undefined)) {
    const agreed = all.filter((i) => items[i].heard === items[i].label);
    score.listenerAgreed = { n: agreed.length, accuracy: agreed.filter((i) => argmax(probs[i]) === y[i]).length / (agreed.length || 1), accuracyOwnClasses: own(agreed) };
  }
  if (items.length && items.every((it) => it.ordinary)) score.ordinary = ordinaryScore(probs, rmsDb, rules);
  return score;
}

export function ordinaryScore(probs: readonly Float64Array[], rmsDb: readonly number[], rules: DecisionRules): OrdinaryScore {
  const verdicts = probs.map((p, i) => decide(toProbabilities(p), rmsDb[i], rules));
  const n = verdicts.length || 1;
  return {
    n: verdicts.length,
    neutralOrUnsure: verdicts.filter((v) => v.emotion === 'neutral' || v.level === 'uncertain').length / n,
    nonNeutralHigh: verdicts.filter((v) => v.emotion !== 'neutral' && v.level === 'high').length / n,
    high: verdicts.filter((v) => v.level === 'high').length / n,
    answers: Object.fromEntries(EMOTIONS.map((e) => [e, verdicts.filter((v) => v.emotion === e).length / n])),
  };
}

/** `pairs`: each condition clip's probabilities with its clean clip's, label and levels. */
export function scoreCondition(pairs: readonly { p: Float64Array; clean: Float64Array; y: number; rmsDb: number; cleanRmsDb: number }[], rules: DecisionRules): ConditionScore {
  const n = pairs.length || 1;
  const conf = pairs.map((q) => q.p[argmax(q.p)]);
  const ok = pairs.map((q) => argmax(q.p) === q.y);
  return {
    n: pairs.length,
    accuracy: ok.filter(Boolean).length / n,
    cleanAccuracy: pairs.filter((q) => argmax(q.clean) === q.y).length / n,
    unchanged: pairs.filter((q) => decide(toProbabilities(q.p), q.rmsDb, rules).emotion === decide(toProbabilities(q.clean), q.cleanRmsDb, rules).emotion).length / n,
    ece: expectedCalibrationError(conf, ok),
  };
}
