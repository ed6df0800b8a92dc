// Speaker adaptation as /listen would do it: map one speaker's features onto the training population with their running statistics.
// Measured by eval-speaker-adaptation.ts and left out of the bot: it hurts in any session that is not emotionally balanced.

/** The population the model was trained on: the model's StandardScaler (mean and spread per feature). */
export interface Reference {
  mean: ArrayLike<number>;
  scale: ArrayLike<number>;
}

export interface AdaptationOptions {
  /** 'shift' moves the speaker's mean onto the population mean; 'znorm' also rescales their spread. */
  mode: 'shift' | 'znorm';
  /** Speech (seconds) a speaker must have produced before their features are adapted. */
  minSpeechSec: number;
  /** Utterances a speaker must have produced before their features are adapted. */
  minUtterances: number;
  /**
   * Pseudo-utterances of the population statistics mixed into the speaker's (shrinkage): with few
   * utterances the estimate stays near the population, so a short session cannot swing it.
   */
  prior: number;
}

export const DEFAULT_ADAPTATION: AdaptationOptions = { mode: 'shift', minSpeechSec: 8, minUtterances: 3, prior: 2 };

/**
 * Running per-feature statistics of one speaker (Welford). `adapt` returns the features as if the
 * speaker had the population's average voice; before enough speech it returns them unchanged.
 */
export class SpeakerNormalizer {
  private n = 0;
  private speechSec = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(
    private readonly ref: Reference,
    private readonly opts: AdaptationOptions = DEFAULT_ADAPTATION,
  ) {
    this.mean = new Float64Array(ref.mean.length);
    this.m2 = new Float64Array(ref.mean.length);
  }

  get utterances(): number {
    return this.n;
  }

  /** True once `adapt` changes features. */
  get active(): boolean {
    return this.n >= this.opts.minUtterances && this.speechSec >= this.opts.minSpeechSec;
  }

  /** Adds one utterance's features to the speaker's statistics. */
  update(x: ArrayLike<number>, speechSec: number): void {
    this.n++;
    this.speechSec += speechSec;
    for (let j = 0; j < this.mean.length; j++) {
      const d = x[j]! - this.mean[j]!;
      this.mean[j]! += d / this.n;
      this.m2[j]! += d * (x[j]! - this.mean[j]!);
    }
  }

  /** The features mapped onto the population, or a copy of them while the speaker has spoken too little. */
  adapt(x: ArrayLike<number>): Float32Array {
    const out = Float32Array.from(x);
    if (!this.active) return out;
    const { prior, mode } = this.opts;
    const w = this.n / (this.n + prior);
    for (let j = 0; j < out.length; j++) {
      const gMean = this.ref.mean[j]!;
      const gSd = this.ref.scale[j]!;
      const mu = w * this.mean[j]! + (1 - w) * gMean;
      if (mode === 'shift') {
        out[j] = x[j]! - mu + gMean;
      } else {
        const sd = Math.sqrt(w * (this.m2[j]! / this.n) + (1 - w) * gSd * gSd) || gSd;
        out[j] = gMean + (gSd * (x[j]! - mu)) / sd;
      }
    }
    return out;
  }
}
