// StandardScaler: zero mean, unit variance per feature, fitted on training rows only.

export interface ScalerJson {
  mean: number[];
  scale: number[];
}

export function fitScaler(rows: readonly ArrayLike<number>[]): ScalerJson {
  const d = rows.length ? rows[0].length : 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length || 1;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) ** 2;
  // A constant feature keeps scale 1 (as scikit-learn does) instead of dividing by zero.
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j] / (rows.length || 1)) || 1;
  return { mean, scale };
}

/** A fitted scaler as JSON (training) or as typed arrays (a loaded model file). */
export interface Scaler {
  mean: ArrayLike<number>;
  scale: ArrayLike<number>;
}

export function scale(s: Scaler, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(s.mean.length);
  for (let j = 0; j < out.length; j++) out[j] = (x[j] - s.mean[j]) / s.scale[j];
  return out;
}
