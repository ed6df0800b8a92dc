// Regression deltas of per-frame tracks (the local slope per frame, like librosa.feature.delta).
import { featureKernels as kernels } from '../dsp/fft.js';

/**
 * Deltas of each row of a row-major rows×frames array over a `width`-frame window (odd).
 * Interior frames: Σ n·(c[t+n] − c[t−n]) / 2Σn². The first and last width/2 frames take the slope
 * of the nearest full window (what librosa's mode='interp' gives), so a straight line has the same
 * delta everywhere. Fewer frames than the window: one least-squares slope over all of them.
 */
export function deltas(x: Float32Array, rows: number, frames: number, width = 9): Float32Array {
  const out = new Float32Array(rows * frames);
  const h = (width - 1) >> 1;
  if (frames < width) {
    for (let r = 0; r < rows; r++) out.fill(lineSlope(x, r * frames, frames), r * frames, (r + 1) * frames);
    return out;
  }
  let norm = 0;
  for (let n = 1; n <= h; n++) norm += 2 * n * n;
  if (h === 4) interior9(x, rows, frames, norm, out);
  else interior(x, rows, frames, h, norm, out);
  for (let r = 0; r < rows; r++) {
    const o = r * frames;
    out.fill(out[o + h], o, o + h);
    out.fill(out[o + frames - 1 - h], o + frames - h, o + frames);
  }
  return out;
}

/** Σ n·(c[t+n] − c[t−n]) / norm for the frames with a full window. */
function interior(x: Float32Array, rows: number, frames: number, h: number, norm: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * frames;
    for (let t = h; t < frames - h; t++) {
      let s = 0;
      for (let n = 1; n <= h; n++) s += n * (x[o + t + n] - x[o + t - n]);
      out[o + t] = s / norm;
    }
  }
}

/** Interior frames per kernel call; a longer row goes through in segments (each reads its 4 frames either side). */
const SEGMENT = 4096;
// Byte offsets: a segment's frames (and 8 bytes the kernel may read past them), then its deltas.
const ROW_AT = kernels.region(8 * (SEGMENT + 8) + 8);
const OUT_AT = ROW_AT + 4 * (SEGMENT + 8) + 8;
const segmentIn = new Float32Array(kernels.buffer, ROW_AT, SEGMENT + 8);
const segmentOut = new Float32Array(kernels.buffer, OUT_AT, SEGMENT + 8);

/**
 * interior() for the default 9-frame window in WebAssembly, two frames per SIMD vector: the same
 * terms added in the same order, so the same result. Rows that fit go in together (one copy in and
 * one out for as many rows as the memory holds; the kernel leaves each row's 4 edge frames alone, and
 * deltas() overwrites what the copy-out put there); a longer row goes through in segments.
 */
function interior9(x: Float32Array, rows: number, frames: number, norm: number, out: Float32Array): void {
  // The kernel may read 4 bytes past a row: the next row, or the slack after the last.
  const perCopy = Math.floor((SEGMENT + 6) / frames);
  if (perCopy >= 1) {
    for (let r0 = 0; r0 < rows; r0 += perCopy) {
      const n = Math.min(perCopy, rows - r0);
      segmentIn.set(x.subarray(r0 * frames, (r0 + n) * frames));
      for (let r = 0; r < n; r++) kernels.deltas9(ROW_AT + 4 * r * frames, frames, norm, OUT_AT + 4 * r * frames);
      out.set(n * frames === segmentOut.length ? segmentOut : segmentOut.subarray(0, n * frames), r0 * frames);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * frames;
    // Interior frames i0…i1−1 of the row, from frames i0−4…i1+3.
    for (let i0 = 4; i0 < frames - 4; i0 += SEGMENT) {
      const i1 = Math.min(frames - 4, i0 + SEGMENT);
      const n = i1 - i0 + 8;
      segmentIn.set(x.subarray(o + i0 - 4, o + i1 + 4));
      kernels.deltas9(ROW_AT, n, norm, OUT_AT);
      out.set(segmentOut.subarray(4, n - 4), o + i0);
    }
  }
}

function lineSlope(x: Float32Array, offset: number, n: number): number {
  if (n < 2) return 0;
  const tMean = (n - 1) / 2;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[offset + t];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let t = 0; t < n; t++) {
    num += (t - tMean) * (x[offset + t] - mean);
    den += (t - tMean) * (t - tMean);
  }
  return num / den;
}
