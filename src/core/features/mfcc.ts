// MFCCs: an orthonormal DCT-II of the log-mel frames (librosa's definition).
import { featureKernels as kernels } from '../dsp/fft.js';
import { N_MFCC } from './spec.js';
import { N_MELS } from './mel.js';

// fft.wat's "dct" is written for 20 coefficients.
if (N_MFCC !== 20) throw new Error('mfcc.ts: the DCT kernel computes 20 coefficients');

/** DCT_BASIS[n·N_MELS + m]: cos basis with the 'ortho' scaling, so c0 is √M × the mean log-mel. */
const DCT_BASIS = Float64Array.from({ length: N_MFCC * N_MELS }, (_, i) => {
  const n = Math.floor(i / N_MELS);
  const m = i % N_MELS;
  const scale = n === 0 ? Math.sqrt(1 / N_MELS) : Math.sqrt(2 / N_MELS);
  return scale * Math.cos((Math.PI * n * (m + 0.5)) / N_MELS);
});

/** Frames the kernel's memory holds at once. */
const CHUNK = 128;
// Byte offsets: the basis transposed (band-major), one chunk's log-mel rows, its coefficients.
const BASIS_AT = kernels.region(8 * N_MFCC * N_MELS + 4 * CHUNK * N_MELS + 4 * CHUNK * N_MFCC);
const ROWS_AT = BASIS_AT + 8 * N_MFCC * N_MELS;
const OUT_AT = ROWS_AT + 4 * CHUNK * N_MELS;
{
  const transposed = new Float64Array(kernels.buffer, BASIS_AT, N_MFCC * N_MELS);
  for (let n = 0; n < N_MFCC; n++) for (let m = 0; m < N_MELS; m++) transposed[m * N_MFCC + n] = DCT_BASIS[n * N_MELS + m];
}

/**
 * Coefficient-major MFCCs: mfcc[n·frames + t]. The sums run in WebAssembly, two coefficients per
 * SIMD vector, each adding its bands in order, so the result is bit-identical to one at a time.
 */
export function mfcc(logmel: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(N_MFCC * frames);
  const buffer = kernels.buffer;
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    new Float32Array(buffer, ROWS_AT, n * N_MELS).set(logmel.subarray(t0 * N_MELS, (t0 + n) * N_MELS));
    kernels.dct(ROWS_AT, n, N_MELS, BASIS_AT, OUT_AT);
    const coefficients = new Float32Array(buffer, OUT_AT, n * N_MFCC);
    for (let c = 0; c < N_MFCC; c++) out.set(coefficients.subarray(c * n, (c + 1) * n), c * frames + t0);
  }
  return out;
}
