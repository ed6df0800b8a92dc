// Small statistics of value lists (the first n entries of a buffer): mean, spread, line and parabola fits; finite().

export function meanOf(a: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return n ? s / n : 0;
}

/** Population standard deviation. */
export function stdOf(a: ArrayLike<number>, n = a.length): number {
  const m = meanOf(a, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - m) ** 2;
  return n ? Math.sqrt(s / n) : 0;
}

/** Least-squares slope of ys over xs (0 for fewer than two points or no spread). */
export function slopeOf(xs: ArrayLike<number>, ys: ArrayLike<number>, n = xs.length): number {
  if (n < 2) return 0;
  const mx = meanOf(xs, n);
  const my = meanOf(ys, n);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Least-squares parabola y ≈ c0 + c1·u + c2·u² through (us, ys), by Cramer's rule on the normal equations;
 * [mean, 0, 0] when they are singular (all u alike).
 */
export function parabola(us: ArrayLike<number>, ys: ArrayLike<number>, n = us.length): [number, number, number] {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
  for (let i = 0; i < n; i++) {
    const x = us[i];
    const x2 = x * x;
    s0 += 1; s1 += x; s2 += x2; s3 += x2 * x; s4 += x2 * x2;
    t0 += ys[i]; t1 += ys[i] * x; t2 += ys[i] * x2;
  }
  const det = det3(s0, s1, s2, s1, s2, s3, s2, s3, s4);
  if (Math.abs(det) < 1e-9) return [meanOf(ys, n), 0, 0];
  return [
    det3(t0, s1, s2, t1, s2, s3, t2, s3, s4) / det,
    det3(s0, t0, s2, s1, t1, s3, s2, t2, s4) / det,
    det3(s0, s1, t0, s1, s2, t1, s2, s3, t2) / det,
  ];
}

/** Determinant of the row-major 3 × 3 matrix [a b c; d e f; g h i]. */
function det3(a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number): number {
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** The first n values copied into `into` and sorted ascending. */
export function sortedFirst(a: Float64Array, n: number, into: Float64Array): Float64Array {
  const out = into.subarray(0, n);
  out.set(a.subarray(0, n));
  return out.sort();
}

/** Non-finite values (none are expected) become 0, as every feature must be finite. */
export function finite(values: number[]): number[] {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = 0;
  return values;
}
