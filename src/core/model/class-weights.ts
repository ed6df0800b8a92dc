// Class weights shared by both models: how much each clip counts, so a big class cannot win by size alone.

/** 'balanced' weights classes by n / (k · n_c), as scikit-learn's class_weight='balanced'. */
export type ClassWeighting = 'balanced' | 'none';

/** One weight per class (0 for a class with no rows). */
export function classWeights(y: readonly number[], k: number, mode: ClassWeighting): Float64Array {
  const w = new Float64Array(k).fill(1);
  if (mode === 'none') return w;
  const count = new Float64Array(k);
  for (const c of y) count[c]++;
  for (let c = 0; c < k; c++) w[c] = count[c] ? y.length / (k * count[c]) : 0;
  return w;
}
