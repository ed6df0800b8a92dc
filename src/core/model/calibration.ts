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

/**
 * Mean negative log-likelihood of calibrate(p, {temperature: T, eps}) for every T, from the logs
 * log(p + eps) taken once: pow(p + eps, 1/T) = exp(log(p + eps) / T), normalised in log space.
 */
function nllOfTemperature(probs: readonly ArrayLike<number>[], y: readonly number[], eps: number): (temperature: number) => number {
  const k = probs.length ? probs[0].length : 0;
  const logs = new Float64Array(probs.length * k);
  probs.forEach((p, i) => { for (let c = 0; c < k; c++) logs[i * k + c] = Math.log(p[c] + eps); });
  return (temperature) => {
    const inv = 1 / temperature;
    let s = 0;
    for (let i = 0; i < probs.length; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logs[i * k + c] * inv);
      if (max === -Infinity) { s += Math.log(k); continue; } // all zero: calibrate() answers uniform
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(logs[i * k + c] * inv - max);
      const logP = logs[i * k + y[i]] * inv - max - Math.log(sum);
      s -= Math.max(Math.log(1e-12), logP);
    }
    return s / Math.max(1, probs.length);
  };
}

/** Minimises negative log-likelihood over a small eps grid × golden-section search on log T. */
export function fitCalibration(probs: readonly ArrayLike<number>[], y: readonly number[]): Calibration {
  let best: Calibration = IDENTITY_CALIBRATION;
  let bestLoss = Infinity;
  for (const eps of [0, 1e-4, 0.001, 0.003, 0.01, 0.03]) {
    let a = Math.log(0.05), b = Math.log(5);
    const g = (Math.sqrt(5) - 1) / 2;
    const nll = nllOfTemperature(probs, y, eps);
    const f = (lt: number) => nll(Math.exp(lt));
    let c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
    // 30 golden-section steps narrow log T from [ln 0.05, ln 5] to ±3e-6: far finer than the data can tell.
    for (let it = 0; it < 30; it++) {
      if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
      else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
    }
    const t = Math.exp((a + b) / 2);
    const loss = f(Math.log(t));
    if (loss < bestLoss) { bestLoss = loss; best = { temperature: t, eps }; }
  }
  return best;
}
