// Tonnetz: chroma projected onto the circles of fifths, minor thirds and major thirds (6 dims, librosa's basis).
import { featureKernels as kernels } from '../dsp/fft.js';
import { gatherRows, scatterRows } from '../dsp/chunk-rows.js';
import { N_CHROMA, N_TONNETZ } from './spec.js';

// fft.wat's "tonnetz" keeps one sum per dimension in its own variable.
if (N_TONNETZ !== 6) throw new Error('tonnetz.ts: the kernel is written for 6 dimensions');

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

/** Frames per kernel call: clips up to ~10 s go in with one copy in and one out. */
const CHUNK = 1024;
// Byte offsets: PHI, one chunk's chroma (class-major), its tonnetz (dimension-major).
const PHI_AT = kernels.region(8 * N_TONNETZ * N_CHROMA + 4 * (N_CHROMA + N_TONNETZ) * CHUNK);
const CHROMA_AT = PHI_AT + 8 * N_TONNETZ * N_CHROMA;
const OUT_AT = CHROMA_AT + 4 * N_CHROMA * CHUNK;
new Float64Array(kernels.buffer, PHI_AT, N_TONNETZ * N_CHROMA).set(PHI);
const chromaChunk = new Float32Array(kernels.buffer, CHROMA_AT, N_CHROMA * CHUNK);
const outChunk = new Float32Array(kernels.buffer, OUT_AT, N_TONNETZ * CHUNK);
const tonnetzKernel = kernels.exports.tonnetz as (
  ch: number, stride: number, n: number, nc: number, phi: number, out: number, ostride: number,
) => void;

/**
 * Row-major tonnetz[d·frames + t] of row-major chroma, each frame's chroma L1-normalised first. In WebAssembly
 * (fft.wat's "tonnetz"): each of the six sums adds its classes in order and the L1 norm likewise, as the
 * JavaScript loop did (kept in tonnetz.test as the reference), so the result is the same bit for bit.
 */
export function tonnetz(chroma: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(N_TONNETZ * frames);
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    gatherRows(chroma, frames, t0, N_CHROMA, n, chromaChunk, n);
    tonnetzKernel(CHROMA_AT, n, n, N_CHROMA, PHI_AT, OUT_AT, n);
    scatterRows(outChunk, n, N_TONNETZ, n, out, frames, t0);
  }
  return out;
}
