// Tonnetz: chroma projected onto the circles of fifths, minor thirds and major thirds (6 dims, librosa's basis).
import { N_CHROMA, N_TONNETZ } from './spec.js';

/** PHI[d·12 + c]: sin/cos of the fifths (r=1), minor-thirds (r=1) and major-thirds (r=0.5) angles. */
const PHI = (() => {
  const phi = new Float64Array(N_TONNETZ * N_CHROMA);
  const axes: [number, number][] = [[7 / 6, 1], [3 / 2, 1], [2 / 3, 0.5]];
  axes.forEach(([scale, r], a) => {
    for (let c = 0; c < N_CHROMA; c++) {
      phi[2 * a * N_CHROMA + c] = r * Math.sin(Math.PI * scale * c);
      phi[(2 * a + 1) * N_CHROMA + c] = r * Math.cos(Math.PI * scale * c);
    }
  });
  return phi;
})();

/** Row-major tonnetz[d·frames + t] of row-major chroma, each frame's chroma L1-normalised first. */
export function tonnetz(chroma: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(N_TONNETZ * frames);
  for (let t = 0; t < frames; t++) {
    let l1 = 0;
    for (let c = 0; c < N_CHROMA; c++) l1 += Math.abs(chroma[c * frames + t]);
    if (l1 === 0) continue;
    for (let d = 0; d < N_TONNETZ; d++) {
      let s = 0;
      for (let c = 0; c < N_CHROMA; c++) s += PHI[d * N_CHROMA + c] * chroma[c * frames + t];
      out[d * frames + t] = s / l1;
    }
  }
  return out;
}
