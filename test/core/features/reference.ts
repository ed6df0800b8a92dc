// Slow textbook computations the fast feature code is checked against.
import { FRAME_LENGTH, HOP, N_BINS } from '../../../src/core/features/frames.js';

/** |DFT|² of the Hann-windowed, zero-padded frame t, by the definition (O(N²)). */
export function referencePower(x: Float32Array, t: number): Float64Array {
  const frame = new Float64Array(FRAME_LENGTH);
  for (let i = 0; i < FRAME_LENGTH; i++) {
    const j = t * HOP - FRAME_LENGTH / 2 + i;
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME_LENGTH);
    frame[i] = j >= 0 && j < x.length ? x[j] * w : 0;
  }
  const out = new Float64Array(N_BINS);
  for (let k = 0; k < N_BINS; k++) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < FRAME_LENGTH; i++) {
      re += frame[i] * Math.cos((2 * Math.PI * k * i) / FRAME_LENGTH);
      im -= frame[i] * Math.sin((2 * Math.PI * k * i) / FRAME_LENGTH);
    }
    out[k] = re * re + im * im;
  }
  return out;
}
