// Calibrated confidence: temperature scaling of the forest's probabilities, fitted on out-of-fold
// predictions, so that "70 % confident" is right about 70 % of the time.

export interface Calibration {
  /** p_c ∝ (p_c + eps)^(1/temperature); T < 1 sharpens, T > 1 softens. */
  temperature: number;
  /** Floor that keeps a class no tree voted for from getting exactly zero. */
  eps: number;
}

export const IDENTITY_CALIBRATION: Calibration = { temperature: 1, eps: 0 };

export function calibrate(p: ArrayLike<number>, cal: Calibration): Float64Array {
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let c = 0; c < p.length; c++) {
    out[c] = Math.pow(p[c] + cal.eps, 1 / cal.temperature);
    sum += out[c];
  }
  for (let c = 0; c < p.length; c++) out[c] = sum > 0 ? out[c] / sum : 1 / p.length;
  return out;
}

const LOG_FLOOR = Math.log(1e-12);

/**
 * Mean negative log-likelihood of calibrate(p, {temperature: T, eps}) as a function of b = 1/T, with
 * its first two derivatives, from the logs log(p + eps) taken once: pow(p + eps, b) = exp(b·log(p + eps)),
 * normalised in log space. In b it is a log-sum-exp of lines minus a line: convex, so Newton's
 * method finds its minimum in a few passes (a golden-section search took 32).
 */
function nllOfInverseTemperature(probs: readonly ArrayLike<number>[], y: readonly number[], eps: number): (b: number) => { f: number; df: number; d2f: number } {
  const k = probs.length ? probs[0].length : 0;
  const logs = new Float64Array(probs.length * k);
  probs.forEach((p, i) => { for (let c = 0; c < k; c++) logs[i * k + c] = Math.log(p[c] + eps); });
  const n = Math.max(1, probs.length);
  return (b) => {
    let f = 0, df = 0, d2f = 0;
    for (let i = 0; i < probs.length; i++) {
      const at = i * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logs[at + c] * b);
      if (max === -Infinity) { f += Math.log(k); continue; } // all zero: calibrate() answers uniform
      // Softmax of b·log p over the classes, and the mean and variance of log p under it (classes
      // with p + eps = 0 get weight 0 at every b, and are left out of the moments).
      let sum = 0, m1 = 0, m2 = 0;
      for (let c = 0; c < k; c++) {
        const l = logs[at + c];
        if (l === -Infinity) continue;
        const e = Math.exp(l * b - max);
        sum += e; m1 += e * l; m2 += e * l * l;
      }
      m1 /= sum; m2 /= sum;
      const logP = logs[at + y[i]] * b - max - Math.log(sum);
      if (logP < LOG_FLOOR) { f -= LOG_FLOOR; continue; } // floored: flat in b
      f -= logP;
      df += m1 - logs[at + y[i]];
      d2f += m2 - m1 * m1;
    }
    return { f: f / n, df: df / n, d2f: d2f / n };
  };
}

/** Temperatures searched: T in [0.05, 5], i.e. b = 1/T in [0.2, 20]. */
const B_MIN = 0.2, B_MAX = 20;

/**
 * The b in [B_MIN, B_MAX] with the lowest NLL: Newton steps from b = 1, kept inside a bracket that
 * the sign of the derivative shrinks (a bisection when a step would leave it), to 1e-10 in b.
 */
function minimiseInBracket(nll: (b: number) => { f: number; df: number; d2f: number }): number {
  let lo = B_MIN, hi = B_MAX, b = 1;
  for (let it = 0; it < 100; it++) {
    const { df, d2f } = nll(b);
    if (df > 0) hi = b; else lo = b;
    if (df === 0 || hi - lo < 1e-10) break;
    let next = d2f > 0 ? b - df / d2f : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - b) < 1e-10 * b) { b = next; break; }
    b = next;
  }
  return b;
}

/** Minimises negative log-likelihood over a small eps grid × the temperature (Newton's method on 1/T). */
export function fitCalibration(probs: readonly ArrayLike<number>[], y: readonly number[]): Calibration {
  let best: Calibration = IDENTITY_CALIBRATION;
  let bestLoss = Infinity;
  for (const eps of [0, 1e-4, 0.001, 0.003, 0.01, 0.03]) {
    const nll = nllOfInverseTemperature(probs, y, eps);
    const b = minimiseInBracket(nll);
    const loss = nll(b).f;
    if (loss < bestLoss) { bestLoss = loss; best = { temperature: 1 / b, eps }; }
  }
  return best;
}
