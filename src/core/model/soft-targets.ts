// Soft training targets for clips whose label is disputed: CREMA-D's listeners heard another emotion than the
// acted one on about half its clips. Instead of trusting the acted label alone (or dropping the clip), the
// logistic regression and the MLP are fitted toward a mix: 1 − share on the acted emotion, share on the one
// listeners heard. The forest keeps the acted label.

/** Row target of class c: `yi` the acted class, `hi` the heard class (≠ yi), `share` the heard class's part. */
export function softTarget(c: number, yi: number, hi: number, share: number): number {
  return c === yi ? 1 - share : c === hi ? share : 0;
}

/** Each class's share of the soft targets, summed over the rows (a row with heard −1 counts 1 for its class). */
export function softCounts(y: readonly number[], heard: ArrayLike<number>, share: number, k: number): Float64Array {
  const out = new Float64Array(k);
  y.forEach((c, i) => {
    const h = heard[i];
    if (h < 0) { out[c]++; return; }
    out[c] += 1 - share;
    out[h] += share;
  });
  return out;
}
