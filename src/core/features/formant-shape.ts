// The vocal tract's resonances as shapes: spacing, vowel-space position and F1 movement (formants.ts measures them).

/**
 * frequency: F1–F3 per frame (NaN where not measured). Over frames with all three: mean dispersion (F3 − F1)/2
 * (Hz, shorter tract or spread lips → wider), mean log2(F2/F1) (front/back, open/close), spread of log2 F1
 * (how much the jaw moves). In spec.ts FORMANT_SHAPE order; zeros without such frames.
 */
export function formantShape(frequency: readonly Float32Array[]): number[] {
  const [f1, f2, f3] = frequency;
  let n = 0;
  let dispersion = 0;
  let ratio = 0;
  let logSum = 0;
  for (let t = 0; t < f1.length; t++) {
    if (!(f1[t] > 0 && f2[t] > 0 && f3[t] > 0)) continue;
    dispersion += (f3[t] - f1[t]) / 2;
    ratio += Math.log2(f2[t] / f1[t]);
    logSum += Math.log2(f1[t]);
    n++;
  }
  if (n === 0) return [0, 0, 0];
  const logMean = logSum / n;
  let sq = 0;
  for (let t = 0; t < f1.length; t++) if (f1[t] > 0 && f2[t] > 0 && f3[t] > 0) sq += (Math.log2(f1[t]) - logMean) ** 2;
  return [dispersion / n, ratio / n, Math.sqrt(sq / n)];
}
