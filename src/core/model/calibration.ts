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

function nll(probs: readonly ArrayLike<number>[], y: readonly number[], cal: Calibration): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s -= Math.log(Math.max(1e-12, calibrate(probs[i], cal)[y[i]]));
  return s / Math.max(1, probs.length);
}

/** Minimises negative log-likelihood over a small eps grid × golden-section search on log T. */
export function fitCalibration(probs: readonly ArrayLike<number>[], y: readonly number[]): Calibration {
  let best: Calibration = IDENTITY_CALIBRATION;
  let bestLoss = Infinity;
  for (const eps of [0, 1e-4, 0.001, 0.003, 0.01, 0.03]) {
    let a = Math.log(0.05), b = Math.log(5);
    const g = (Math.sqrt(5) - 1) / 2;
    const f = (lt: number) => nll(probs, y, { temperature: Math.exp(lt), eps });
    let c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
    for (let it = 0; it < 40; it++) {
      if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
      else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
    }
    const t = Math.exp((a + b) / 2);
    const loss = f(Math.log(t));
    if (loss < bestLoss) { bestLoss = loss; best = { temperature: t, eps }; }
  }
  return best;
}
