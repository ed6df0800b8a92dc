// Per-clip working arrays kept from one clip to the next. Each clip used to allocate ~2 MB of typed
// arrays (3.9 s of speech); the large ones live outside the JS heap, and their total is what makes V8
// run a full mark-compact every few clips. Reusing the largest ones avoids most of those collections.

type TypedArray = Float32Array | Float64Array | Int32Array;

/**
 * A `length`-long array over a buffer kept between calls, grown when a longer one is needed; beyond
 * `maxLength` a fresh array is returned instead, so one long clip does not keep its buffer for good.
 * The contents are whatever the last call left: the caller writes every element it reads.
 * Only for arrays that do not outlive the call that asked for them.
 */
export class Reused<T extends TypedArray> {
  private buffer: T;

  constructor(
    private readonly make: (length: number) => T,
    private readonly maxLength: number,
  ) {
    this.buffer = make(0);
  }

  take(length: number): T {
    if (length > this.maxLength) return this.make(length);
    if (this.buffer.length < length) this.buffer = this.make(length);
    return this.buffer.subarray(0, length) as T;
  }
}
