// Chooses one F0 per step among the correlation peaks (or "unvoiced") by dynamic programming, like Praat's path finder.

/** Per step: candidate 0 is "unvoiced", then up to MAX_CANDIDATES − 1 correlation peaks. */
export const MAX_CANDIDATES = 6;

export interface Candidates {
  /** How many candidates step i has (≥ 1: the unvoiced one). */
  count: Uint8Array;
  /** f0[i·MAX_CANDIDATES + j] in Hz; 0 for the unvoiced candidate. */
  f0: Float64Array;
  /** How good candidate j is on its own (NCCF plus a small bonus for shorter lags). */
  strength: Float64Array;
}

/**
 * Costs for a 20 ms step: Praat's defaults (0.35 per octave jumped, 0.14 per voicing change, at
 * 10 ms) scaled by 10 ms / step as Praat does. A jump of an octave for one step costs more than a
 * wrong peak can gain, so isolated octave and fifth errors are read through.
 */
const OCTAVE_JUMP_COST = 0.175;
const VOICED_UNVOICED_COST = 0.07;

export function emptyCandidates(steps: number): Candidates {
  return {
    count: new Uint8Array(steps),
    f0: new Float64Array(steps * MAX_CANDIDATES),
    strength: new Float64Array(steps * MAX_CANDIDATES),
  };
}

function transition(a: number, b: number): number {
  if (a > 0 && b > 0) return OCTAVE_JUMP_COST * Math.abs(Math.log2(a / b));
  return a > 0 !== b > 0 ? VOICED_UNVOICED_COST : 0;
}

/**
 * The F0 per step (0 = unvoiced) of the path maximising Σ strength − Σ transition costs.
 * `joined[i]` says step i directly follows step i − 1; a gap (a pause) costs nothing to cross.
 */
export function bestPath(c: Candidates, joined: Uint8Array): Float64Array {
  const steps = c.count.length;
  const score = new Float64Array(steps * MAX_CANDIDATES);
  const from = new Int32Array(steps * MAX_CANDIDATES);
  for (let i = 0; i < steps; i++) {
    const o = i * MAX_CANDIDATES;
    const p = o - MAX_CANDIDATES;
    let bestPrev = 0;
    if (i > 0 && !joined[i]) {
      for (let k = 1; k < c.count[i - 1]; k++) if (score[p + k] > score[p + bestPrev]) bestPrev = k;
    }
    for (let j = 0; j < c.count[i]; j++) {
      let best = 0;
      let arg = bestPrev;
      if (i > 0 && joined[i]) {
        best = -Infinity;
        for (let k = 0; k < c.count[i - 1]; k++) {
          const s = score[p + k] - transition(c.f0[p + k], c.f0[o + j]);
          if (s > best) {
            best = s;
            arg = k;
          }
        }
      } else if (i > 0) {
        best = score[p + bestPrev];
      }
      score[o + j] = best + c.strength[o + j];
      from[o + j] = arg;
    }
  }
  const out = new Float64Array(steps);
  if (steps === 0) return out;
  let j = 0;
  const last = (steps - 1) * MAX_CANDIDATES;
  for (let k = 1; k < c.count[steps - 1]; k++) if (score[last + k] > score[last + j]) j = k;
  for (let i = steps - 1; i >= 0; i--) {
    out[i] = c.f0[i * MAX_CANDIDATES + j];
    j = from[i * MAX_CANDIDATES + j];
  }
  return out;
}
