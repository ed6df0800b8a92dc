// Min and max of non-negative float32 values through their bit patterns read as int32: for values ≥ 0
// the bits order like the values, and as int32 both need no branch. Data-dependent compares on real
// spectra mispredict often; these cost a few integer ops. Arguments must be in [−1, 0x7fffffff] with
// |a − b| < 2³¹ (−1 and 0x7fffffff serve as −∞ and +∞ against real values), so (a − b) >> 31 is −1
// exactly when a < b.

export function minBits(a: number, b: number): number {
  const d = a - b;
  return b + (d & (d >> 31));
}

export function maxBits(a: number, b: number): number {
  const d = a - b;
  return a - (d & (d >> 31));
}
