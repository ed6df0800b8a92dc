// Decision rules: calibrated class probabilities + loudness → the verdict users see.
import type { ConfidenceLevel, EmotionProbability, Verdict } from './analysis.js';
import { EMOTIONS, type EmotionLabel } from './emotions.js';

/**
 * Energy gate. Quiet speech rarely carries anger or fear in the way the model learned them (acted,
 * loud), so when the speech level is below `belowDb` dBFS the probabilities of `emotions` are
 * multiplied by `factor` and the rest renormalised. It never forbids those emotions: a quiet clip
 * the model is very sure about can still come out angry. Training picks `belowDb` and `factor`
 * from out-of-fold data and stores them in the model.
 */
export interface EnergyGate {
  belowDb: number;
  factor: number;
  emotions: EmotionLabel[];
}

export interface DecisionRules {
  /** Below this confidence the level is `uncertain` (the top guess is still reported). */
  uncertainBelow: number;
  gate: EnergyGate | null;
}

export const DEFAULT_RULES: DecisionRules = {
  uncertainBelow: 0.35,
  gate: { belowDb: -40, factor: 0.3, emotions: ['angry', 'fearful'] },
};

/** The product's fixed bands: ≥ 70 % high, 40–69 % medium, then low down to `uncertainBelow`. */
export const HIGH_AT = 0.7;
export const MEDIUM_AT = 0.4;

export function levelFor(confidence: number, uncertainBelow = DEFAULT_RULES.uncertainBelow): ConfidenceLevel {
  // Compare on whole percent as shown to users, so 69.6 % (shown "70 %") is high, never "70 % medium".
  const pct = Math.round(confidence * 100);
  if (pct >= HIGH_AT * 100) return 'high';
  if (pct >= MEDIUM_AT * 100) return 'medium';
  if (pct >= Math.round(uncertainBelow * 100)) return 'low';
  return 'uncertain';
}

/** One embed color per confidence level (green → amber → orange → grey). */
export const LEVEL_COLOR: Readonly<Record<ConfidenceLevel, number>> = {
  high: 0x2ecc71,
  medium: 0xf1c40f,
  low: 0xe67e22,
  uncertain: 0x7f8c8d,
};

export type Probabilities = Record<EmotionLabel, number>;

export function toProbabilities(p: ArrayLike<number>): Probabilities {
  const out = {} as Probabilities;
  EMOTIONS.forEach((e, i) => (out[e] = p[i] ?? 0));
  return out;
}

export function applyGate(p: Probabilities, rmsDb: number, gate: EnergyGate | null): { probabilities: Probabilities; gated: boolean } {
  if (!gate || !(rmsDb < gate.belowDb)) return { probabilities: p, gated: false };
  const out = { ...p };
  let sum = 0;
  for (const e of EMOTIONS) {
    if (gate.emotions.includes(e)) out[e] *= gate.factor;
    sum += out[e];
  }
  for (const e of EMOTIONS) out[e] = sum > 0 ? out[e] / sum : 1 / EMOTIONS.length;
  return { probabilities: out, gated: true };
}

export function topK(p: Probabilities, k = 3): EmotionProbability[] {
  // Ties break by the fixed EMOTIONS order so the same probabilities always give the same answer.
  return EMOTIONS.map((emotion) => ({ emotion, probability: p[emotion] }))
    .sort((a, b) => b.probability - a.probability || EMOTIONS.indexOf(a.emotion) - EMOTIONS.indexOf(b.emotion))
    .slice(0, k);
}

/**
 * The most a voice that does not sound human may be trusted with: one whole percent under the
 * uncertain line, so it is shown as "not sure" (the best guess is still shown).
 */
export function syntheticCap(rules: DecisionRules = DEFAULT_RULES): number {
  return (Math.round(rules.uncertainBelow * 100) - 1) / 100;
}

/**
 * Mixes the probabilities with the uniform distribution just enough that the top one is at most
 * `cap`: the ranking (and so the best guess and the top 3) never changes, only the confidence.
 */
export function capConfidence(p: Probabilities, cap: number): Probabilities {
  const uniform = 1 / EMOTIONS.length;
  const top = Math.max(...EMOTIONS.map((e) => p[e]));
  if (!(top > cap) || cap <= uniform) return p;
  const keep = (cap - uniform) / (top - uniform);
  const out = {} as Probabilities;
  for (const e of EMOTIONS) out[e] = keep * p[e] + (1 - keep) * uniform;
  return out;
}

/** The verdict on one utterance: the energy gate, then the synthetic-voice cap when `synthetic`. */
export function decide(p: Probabilities, rmsDb: number, rules: DecisionRules = DEFAULT_RULES, synthetic = false): Verdict {
  const { probabilities, gated } = applyGate(p, rmsDb, rules.gate);
  return verdictOf(synthetic ? capConfidence(probabilities, syntheticCap(rules)) : probabilities, gated, rules, synthetic);
}

/** Verdict from already-gated (and capped) probabilities (used for the duration-weighted overall result). */
export function verdictOf(probabilities: Probabilities, gated: boolean, rules: DecisionRules = DEFAULT_RULES, synthetic = false): Verdict {
  const top3 = topK(probabilities, 3);
  const { emotion, probability: confidence } = top3[0];
  return { emotion, confidence, level: levelFor(confidence, rules.uncertainBelow), top3, probabilities, gated, synthetic };
}
