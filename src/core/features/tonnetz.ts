// Tonnetz: chroma projected onto the circles of fifths, minor thirds and major thirds (6 dims, librosa's basis).
import { N_CHROMA, N_TONNETZ } from './spec.js';

// tonnetz()'s frame loop keeps one sum per dimension in its own variable.
if (N_TONNETZ !== 6) throw new Error('tonnetz.ts: the frame loop is written for 6 dimensions');

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

/**
 * Row-major tonnetz[d·frames + t] of row-major chroma, each frame's chroma L1-normalised first. The six
 * sums of a frame run side by side (one pass over its 12 classes), each adding its classes in order as
 * one sum at a time did: the same bits, without waiting on one chain of 12 additions after another.
 */
export function tonnetz(chroma: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(N_TONNETZ * frames);
  for (let t = 0; t < frames; t++) {
    let l1 = 0;
    for (let c = 0; c < N_CHROMA; c++) l1 += Math.abs(chroma[c * frames + t]);
    if (l1 === 0) continue;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    for (let c = 0; c < N_CHROMA; c++) {
      const v = chroma[c * frames + t];
      s0 += PHI[c] * v;
      s1 += PHI[N_CHROMA + c] * v;
      s2 += PHI[2 * N_CHROMA + c] * v;
      s3 += PHI[3 * N_CHROMA + c] * v;
      s4 += PHI[4 * N_CHROMA + c] * v;
      s5 += PHI[5 * N_CHROMA + c] * v;
    }
    out[t] = s0 / l1;
    out[frames + t] = s1 / l1;
    out[2 * frames + t] = s2 / l1;
    out[3 * frames + t] = s3 / l1;
    out[4 * frames + t] = s4 / l1;
    out[5 * frames + t] = s5 / l1;
  }
  return out;
}
