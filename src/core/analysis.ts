// The result types every front door renders: what `analyze()` returns.
import type { EmotionLabel } from './emotions.js';

/** ≥ 0.70 high, 0.40–0.69 medium, 0.35–0.39 low, < 0.35 uncertain (the guess is still shown). */
export type ConfidenceLevel = 'high' | 'medium' | 'low' | 'uncertain';

export interface EmotionProbability {
  emotion: EmotionLabel;
  probability: number;
}

/** The verdict on one stretch of audio. Probabilities are calibrated and sum to 1. */
export interface Verdict {
  emotion: EmotionLabel;
  confidence: number;
  level: ConfidenceLevel;
  top3: EmotionProbability[];
  probabilities: Record<EmotionLabel, number>;
  /** True when the energy gate moved probability away from angry/fearful (quiet speech). */
  gated: boolean;
  /**
   * True when the audio did not sound like a human voice — a machine-made voice, music or tones
   * (naturalness.ts): an utterance's confidence is then capped below the "uncertain" line, because the
   * model only knows people; a whole analysis is called synthetic when most of its speech is. Absent on results made before this check.
   */
  synthetic?: boolean;
}

export interface SegmentResult extends Verdict {
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface Analysis extends Verdict {
  durationSec: number;
  speechSec: number;
  /** One entry per utterance; a single entry for a short clip. */
  segments: SegmentResult[];
  modelVersion: string;
}
