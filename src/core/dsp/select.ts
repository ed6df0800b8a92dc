// Order statistics without sorting. The summaries, the VAD's noise floor and the loud level need one to
// three ranks of a few hundred values; sorting them (Float64Array.prototype.sort) took ~9 µs per array,
// selecting three ranks ~3 µs. The values returned are the ones the sorted array would hold, −0 and +0
// included (sort puts −0 first), so every result is the same bit for bit as reading the sorted copy.

/** True if a[0…n) holds a NaN (sort puts NaNs last; selection cannot rank them: callers sort instead). */
export function hasNaN(a: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== a[i]) return true;
  return false;
}

/**
 * What a[0…n) sorted ascending would hold at k (0 ≤ k < n), by quickselect; a (NaN-free) is reordered
 * so that a[0…k] ≤ a[k] ≤ a[k+1…n) numerically, and later calls on it stay correct.
 */
export function rankOf(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    // Hoare partition around the median of the first, middle and last values (Wirth's select).
    const x = a[lo], y = a[(lo + hi) >> 1], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return signedAt(a, n, k, a[k]);
}

/** rank k + 1 after rankOf(a, n, k) (k + 1 < n): the smallest of a[k+1…n). */
function nextRank(a: Float64Array, n: number, k: number): number {
  let m = a[k + 1];
  for (let i = k + 2; i < n; i++) if (a[i] < m) m = a[i];
  return signedAt(a, n, k + 1, m);
}

/** v, the value of rank k; if it is a zero, the sign the sorted array has there (all −0 sort before all +0). */
function signedAt(a: Float64Array, n: number, k: number, v: number): number {
  if (v !== 0) return v;
  let below = 0;
  let negativeZeros = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] < 0) below++;
    else if (a[i] === 0 && 1 / a[i] < 0) negativeZeros++;
  }
  return k < below + negativeZeros ? -0 : 0;
}

/**
 * The linear-interpolated percentile of a[0…n) (numpy's default), q in [0, 1]: what percentileSorted (stats.ts)
 * gives on the sorted values, from ranks floor(q·(n − 1)) and the next. a (NaN-free) is reordered; 0 for n = 0.
 */
export function percentileOf(a: Float64Array, n: number, q: number): number {
  if (n === 0) return 0;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const low = rankOf(a, n, lo);
  const high = lo + 1 < n ? nextRank(a, n, lo) : low;
  return low + (high - low) * (pos - lo);
}
