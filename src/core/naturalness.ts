// Does this sound like a person? A check beside the emotion model: machine-made voices get no confident answer.
import { FEATURE_SPEC } from './features/spec.js';
import { SYNTHETIC_CHECKS } from './naturalness-weights.js';

/**
 * Linear detectors of "not a human voice" over the clip's own feature vector (the one the emotion
 * model reads, so they cost no extra analysis). They are fitted by `npm run fit:naturalness` on
 * espeak-ng voices and on music and tones made in code (scripts/music-like.ts) against human speech
 * of three corpora, clean and through realistic channels.
 * What separates voices is mostly how they move: synthetic speech jumps between spectral targets frame
 * to frame (the delta-MFCC spreads are about twice a person's), with less jitter and a narrower pitch
 * range. Held notes differ from speech in how steady they are: level, spectrum and pitch. The emotion
 * model, trained on people only, reads both as calm certainty or sadness; these checks are what stop it
 * answering with confidence. The names say "synthetic" for all of it: what is caught is audio no person
 * made with their voice.
 */
export interface SyntheticCheck {
  /** What it was fitted to catch (for reports). */
  name: string;
  /** Feature spec the weights were fitted on: any other spec turns the checks off. */
  spec: string;
  /** The features it reads, by FEATURE_SPEC name. */
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

/** One check with its features' positions in the feature vector. */
class LinearCheck {
  constructor(
    private readonly check: SyntheticCheck,
    private readonly index: readonly number[],
  ) {}

  margin(features: ArrayLike<number>): number {
    const c = this.check;
    let s = c.bias;
    for (let j = 0; j < this.index.length; j++) {
      const z = (features[this.index[j]] - c.mean[j]) / c.scale[j];
      s += c.weights[j] * Math.max(-Z_LIMIT, Math.min(Z_LIMIT, Number.isFinite(z) ? z : 0));
    }
    return s - c.threshold;
  }
}

export class SyntheticDetector {
  private readonly checks: LinearCheck[];

  /** `index[k][j]`: where check k's j-th feature sits in the feature vector. */
  constructor(checks: readonly SyntheticCheck[], index: readonly (readonly number[])[]) {
    this.checks = checks.map((c, k) => new LinearCheck(c, index[k]));
  }

  /** The largest of the checks' margins: logistic score minus threshold (> 0: sounds synthetic). */
  margin(features: ArrayLike<number>): number {
    let m = -Infinity;
    for (const c of this.checks) m = Math.max(m, c.margin(features));
    return m;
  }

  soundsSynthetic(features: ArrayLike<number>): boolean {
    return this.margin(features) > 0;
  }
}

/** A detector for these checks on `names` (FEATURE_SPEC's by default), or null when any check reads a feature it lacks. */
export function detectorFor(checks: readonly SyntheticCheck[], names: readonly string[] = FEATURE_SPEC.names): SyntheticDetector | null {
  const position = new Map(names.map((n, i) => [n, i]));
  const index = checks.map((c) => c.names.map((n) => position.get(n) ?? -1));
  const fits = checks.every((c, k) => index[k].every((i) => i >= 0) && [c.mean, c.scale, c.weights].every((v) => v.length === c.names.length));
  return checks.length > 0 && fits ? new SyntheticDetector(checks, index) : null;
}

/** The shipped detector for the current feature spec, or null when its weights were fitted on another spec. */
export function syntheticDetector(checks: readonly SyntheticCheck[] = SYNTHETIC_CHECKS, spec = FEATURE_SPEC): SyntheticDetector | null {
  return checks.every((c) => c.spec === spec.version) ? detectorFor(checks, spec.names) : null;
}
