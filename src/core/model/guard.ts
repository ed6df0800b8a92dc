// Out-of-distribution guard: audio whose features sit far from all the training speech gets no confident answer.

/**
 * How unlike the training rows a clip is: the root mean square of its standardised features (each
 * clipped at ±10 so one broken feature cannot decide alone). Speech like the training data scores
 * about 1; synthetic voices, music and tones score far higher.
 */
export function atypicality(z: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < z.length; j++) s += Math.min(100, z[j] * z[j]);
  return Math.sqrt(s / (z.length || 1));
}

/** Stored in the model: clips more atypical than `above` have their probabilities pulled toward uniform. */
export interface Guard {
  above: number;
}

/**
 * Beyond the threshold the model has no evidence to be confident: probabilities are mixed with the
 * uniform distribution, keeping (above / a)² of the model's, so twice as atypical keeps a quarter.
 * The ranking (and so the best guess shown) never changes; only the confidence drops.
 */
export function applyGuard(p: Float64Array, a: number | undefined, guard: Guard | null | undefined): Float64Array {
  if (!guard || typeof guard.above !== 'number' || a === undefined || !(a > guard.above)) return p;
  const keep = (guard.above / a) ** 2;
  return p.map((v) => keep * v + (1 - keep) / p.length);
}

/** The threshold from held-out (out-of-fold) speech: its `quantile` of atypicality (null: nothing measured). */
export function chooseGuard(heldOut: readonly number[], quantile = 0.995): Guard | null {
  const sorted = heldOut.filter((a) => Number.isFinite(a) && a > 0).sort((a, b) => a - b);
  return sorted.length ? { above: sorted[Math.floor(quantile * (sorted.length - 1))] } : null;
}
