// Copies between a clip's band-major tracks (row r of all `frames` frames at r·frames) and a WebAssembly kernel's
// scratch for one chunk of frames (row r of the chunk's n frames at r·stride): one TypedArray.set per row, or one
// for them all when the chunk is the whole clip.

/** The chunk's rows (its n frames each) into `out`'s rows from frame t0. */
export function scatterRows(chunk: Float32Array, stride: number, rows: number, n: number, out: Float32Array, frames: number, t0: number): void {
  if (n === frames && stride === n) {
    out.set(chunk.subarray(0, rows * n));
    return;
  }
  for (let r = 0; r < rows; r++) out.set(chunk.subarray(r * stride, r * stride + n), r * frames + t0);
}

/** Frames t0…t0+n−1 of `src`'s rows into the chunk's rows. */
export function gatherRows(src: Float32Array, frames: number, t0: number, rows: number, n: number, chunk: Float32Array, stride: number): void {
  if (n === frames && stride === n) {
    chunk.set(src.subarray(0, rows * n));
    return;
  }
  for (let r = 0; r < rows; r++) chunk.set(src.subarray(r * frames + t0, r * frames + t0 + n), r * stride);
}
