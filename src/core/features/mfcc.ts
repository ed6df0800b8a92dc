// MFCCs: an orthonormal DCT-II of the log-mel frames (librosa's definition).
import { N_MFCC } from './spec.js';
import { N_MELS } from './mel.js';

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
  const basis = DCT_BASIS;
  for (let t = 0; t < frames; t++) {
    const row = t * N_MELS;
    for (let n = 0; n < N_MFCC; n++) {
      const b = n * N_MELS;
      let s = 0;
      for (let m = 0; m < N_MELS; m++) s += basis[b + m] * logmel[row + m];
      out[n * frames + t] = s;
    }
  }
  return out;
}
