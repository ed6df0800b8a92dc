// Does this sound like a person? A check beside the emotion model: machine-made voices get no confident answer.
import { FEATURE_SPEC } from './features/spec.js';
import { SYNTHETIC_CHECK } from './naturalness-weights.js';

/**
 * A linear detector of "not a human voice" over the clip's own feature vector (the one the emotion
 * model reads, so it costs no extra analysis). It is fitted by `npm run fit:naturalness` on
 * espeak-ng voices and on music and tones made in code (scripts/music-like.ts) against human speech
 * of three corpora, clean and through realistic channels.
 * What separates them is mostly how the voice moves: synthetic speech jumps between spectral
 * targets frame to frame (the delta-MFCC spreads are about twice a person's), with less jitter and a
 * narrower pitch range. The emotion model, trained on people only, reads that as
 * calm certainty (and chords of decaying sines as sadness); this check is what stops it answering
 * with confidence. The names say "synthetic" for all of it: what is caught is audio no person made with
 * their voice.
 */
export interface SyntheticCheck {
  /** Feature spec the weights were fitted on: any other spec turns the check off. */
  spec: string;
  /** Feature names, in FEATURE_SPEC order. */
  names: readonly string[];
  /** Standardisation (human speech's mean and spread per feature), then the logistic weights. */
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
  /** Scores above this are synthetic: the score a share `humanFalseAlarm` of the human fitting rows exceeded. */
  threshold: number;
  humanFalseAlarm: number;
}

/** Standardised features are clipped here, so one broken measurement cannot decide alone. */
export const Z_LIMIT = 10;

export class SyntheticDetector {
  constructor(private readonly check: SyntheticCheck) {}

  /** The check's margin: the logistic score minus the threshold (> 0: sounds synthetic). */
  margin(features: ArrayLike<number>): number {
    const c = this.check;
    let s = c.bias;
    for (let j = 0; j < c.weights.length; j++) {
      const z = (features[j] - c.mean[j]) / c.scale[j];
      s += c.weights[j] * Math.max(-Z_LIMIT, Math.min(Z_LIMIT, Number.isFinite(z) ? z : 0));
    }
    return s - c.threshold;
  }

  soundsSynthetic(features: ArrayLike<number>): boolean {
    return this.margin(features) > 0;
  }
}

/** The shipped detector for the current feature spec, or null when its weights were fitted on another spec. */
export function syntheticDetector(check: SyntheticCheck = SYNTHETIC_CHECK, spec = FEATURE_SPEC): SyntheticDetector | null {
  const n = spec.names.length;
  const fits = check.spec === spec.version && check.names.length === n && check.names.every((name, i) => name === spec.names[i]);
  return fits && check.weights.length === n && check.mean.length === n && check.scale.length === n ? new SyntheticDetector(check) : null;
}
