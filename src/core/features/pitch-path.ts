// Chooses one F0 per step among the correlation peaks (or "unvoiced") by dynamic programming, like Praat's path finder.
import type { PitchKernels } from '../dsp/fft.js';

/**
 * Costs for a 20 ms step: Praat's defaults (0.35 per octave jumped, 0.14 per voicing change, at
 * 10 ms) scaled by 10 ms / step as Praat does. A jump of an octave for one step costs more than a
 * wrong peak can gain, so isolated octave and fifth errors are read through.
 */
const OCTAVE_JUMP_COST = 0.175;
const VOICED_UNVOICED_COST = 0.07;

/**
 * The F0 per step (0 = unvoiced) of the path maximising Σ strength − Σ transition costs over the first
 * `steps` steps' candidates in `k` (pair() wrote them; `k.joined[i]` says step i directly follows step
 * i − 1, and a gap, a pause, costs nothing to cross). In WebAssembly (fft.wat's "pitchPath"): interpreted,
 * this loop and its Math.log2 per candidate pair cost ~6 ms of a one-file CLI run and a TurboFan compile in
 * every run. A view into k's memory, valid until its next call.
 */
export function bestPath(k: PitchKernels, steps: number): Float64Array {
  return k.bestPath(steps, OCTAVE_JUMP_COST, VOICED_UNVOICED_COST);
}
