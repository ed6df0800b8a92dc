// MFCCs: an orthonormal DCT-II of the log-mel frames (librosa's definition).
import { N_MFCC } from './spec.js';
import { N_MELS } from './mel.js';

// dct() takes the coefficients four at a time.
if (N_MFCC % 4 !== 0) throw new Error('mfcc.ts: N_MFCC must be a multiple of 4');

/** DCT_BASIS[n·N_MELS + m]: cos basis with the 'ortho' scaling, so c0 is √M × the mean log-mel. */
const DCT_BASIS = Float64Array.from({ length: N_MFCC * N_MELS }, (_, i) => {
  const n = Math.floor(i / N_MELS);
  const m = i % N_MELS;
  const scale = n === 0 ? Math.sqrt(1 / N_MELS) : Math.sqrt(2 / N_MELS);
  return scale * Math.cos((Math.PI * n * (m + 0.5)) / N_MELS);
});

/** Coefficient-major MFCCs: mfcc[n·frames + t]. */
export function mfcc(logmel: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(N_MFCC * frames);
  dct(logmel, frames, out);
  return out;
}

/**
 * Four coefficients per sweep over the bands, each its own running sum: a single sum is bound by the
 * latency of its adds, four independent ones by throughput. Each sum still adds its bands in order,
 * so the result is bit-identical to one coefficient at a time. (A bare return: see temporal.ts on OSR.)
 */
function dct(logmel: Float32Array, frames: number, out: Float32Array): void {
  const basis = DCT_BASIS;
  for (let t = 0; t < frames; t++) {
    const row = t * N_MELS;
    for (let n = 0; n < N_MFCC; n += 4) {
      const b0 = n * N_MELS;
      const b1 = b0 + N_MELS;
      const b2 = b1 + N_MELS;
      const b3 = b2 + N_MELS;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let m = 0; m < N_MELS; m++) {
        const v = logmel[row + m];
        s0 += basis[b0 + m] * v;
        s1 += basis[b1 + m] * v;
        s2 += basis[b2 + m] * v;
        s3 += basis[b3 + m] * v;
      }
      out[n * frames + t] = s0;
      out[(n + 1) * frames + t] = s1;
      out[(n + 2) * frames + t] = s2;
      out[(n + 3) * frames + t] = s3;
    }
  }
}
