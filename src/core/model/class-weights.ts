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

/**
 * Per-row factors that even out the corpora within each class: in class c, each of the m_c corpora
 * that have it carries an equal share of the class's weight at `strength` 1 (factor n_c / (m_c ·
 * n_{corpus,c})), the factors raised to `strength` (0: all 1) and rescaled so each class still sums to
 * n_c, so class balance is untouched. Why: on three corpora CREMA-D has ~2.6× RAVDESS's clips of most
 * classes, so a member fitted on rows as they come learns CREMA-D's way of acting each emotion, and
 * RAVDESS's sad reads as neutral (models/EXPERIMENTS.md). A class in one corpus only (surprised) keeps
 * factor 1. `corpus` names each row's dataset.
 */
export function corpusFactors(y: readonly number[], corpus: readonly number[], k: number, strength: number): Float64Array {
  const out = new Float64Array(y.length).fill(1);
  if (!(strength > 0)) return out;
  const cell = new Map<string, number>();
  const classCount = new Float64Array(k);
  const corpora = Array.from({ length: k }, () => new Set<number>());
  y.forEach((c, i) => {
    cell.set(`${c}:${corpus[i]}`, (cell.get(`${c}:${corpus[i]}`) ?? 0) + 1);
    classCount[c]++;
    corpora[c].add(corpus[i]);
  });
  y.forEach((c, i) => { out[i] = (classCount[c] / (corpora[c].size * cell.get(`${c}:${corpus[i]}`)!)) ** strength; });
  return keepClassTotals(out, y, k);
}

/** Rescales per-row factors in place so each class's factors sum to its row count (its class weight is then unchanged). */
export function keepClassTotals(f: Float64Array, y: readonly number[], k: number): Float64Array {
  const sum = new Float64Array(k), count = new Float64Array(k);
  y.forEach((c, i) => { sum[c] += f[i]; count[c]++; });
  y.forEach((c, i) => { f[i] *= sum[c] > 0 ? count[c] / sum[c] : 0; });
  return f;
}
