// The vocal tract's resonances as shapes: spacing, vowel-space position and F1 movement (formants.ts measures them).
import { trackKernels } from '../dsp/fft.js';

type FormantShapeExport = (f1: number, f2: number, f3: number, n: number, out: number) => number;
const formantShapeKernel = trackKernels.exports.formantShape as FormantShapeExport;

/**
 * frequency: F1–F3 per frame (NaN where not measured). Over frames with all three: mean dispersion (F3 − F1)/2
 * (Hz, shorter tract or spread lips → wider), mean log2(F2/F1) (front/back, open/close), spread of log2 F1
 * (how much the jaw moves). In spec.ts FORMANT_SHAPE order; zeros without such frames. In WebAssembly (fft.wat's
 * "formantShape", V8's Math.log2, the same operations in the same order): in JavaScript its loops ran
 * unoptimised on the CLI's clips, allocating ~1.1 MB of heap numbers per 30-file run.
 */
export function formantShape(frequency: readonly Float32Array[]): number[] {
  const n = frequency[0].length;
  // Byte offsets in the track kernels' memory: the three results (f64), then F1, F2, F3 (f32).
  trackKernels.reserve(24 + 12 * n);
  const buffer = trackKernels.buffer;
  for (let f = 0; f < 3; f++) new Float32Array(buffer, 24 + 4 * f * n, n).set(frequency[f]);
  if (formantShapeKernel(24, 24 + 4 * n, 24 + 8 * n, n, 0) === 0) return [0, 0, 0];
  const out = new Float64Array(buffer, 0, 3);
  return [out[0], out[1], out[2]];
}
