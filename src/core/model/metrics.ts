// Evaluation numbers reported by training and written into the model card.

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Unweighted average recall: the mean of per-class recalls, blind to class sizes. */
  uar: number;
  ece: number;
  /** Mean negative log-probability of the true class: what calibration minimises, over all classes, not just the top one. */
  logLoss: number;
  perClass: ClassReport[];
  /** confusion[true][predicted] */
  confusion: number[][];
  reliability: ReliabilityBin[];
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

/** Confidence = the top probability, as the bot shows it. Equal-width bins over [0, 1]. */
export function reliability(conf: readonly number[], correct: readonly boolean[], nBins = 10): ReliabilityBin[] {
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) bins.push({ lo: b / nBins, hi: (b + 1) / nBins, count: 0, meanConfidence: 0, accuracy: 0 });
  conf.forEach((c, i) => {
    const b = bins[Math.min(nBins - 1, Math.floor(c * nBins))];
    b.count++;
    b.meanConfidence += c;
    b.accuracy += correct[i] ? 1 : 0;
  });
  for (const b of bins) if (b.count) { b.meanConfidence /= b.count; b.accuracy /= b.count; }
  return bins;
}

export function expectedCalibrationError(conf: readonly number[], correct: readonly boolean[], nBins = 10): number {
  const n = conf.length || 1;
  return reliability(conf, correct, nBins).reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.meanConfidence), 0);
}

/** Mean negative log-probability of the true class (floored at 1e-12, so one zero cannot make it infinite). */
export function logLoss(probs: readonly ArrayLike<number>[], y: readonly number[]): number {
  let s = 0;
  probs.forEach((p, i) => { s -= Math.log(Math.max(1e-12, p[y[i]])); });
  return s / (probs.length || 1);
}

export function evaluate(probs: readonly ArrayLike<number>[], y: readonly number[], nClasses: number): Metrics {
  const confusion = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  const conf: number[] = [];
  const correct: boolean[] = [];
  probs.forEach((p, i) => {
    const pred = argmax(p);
    confusion[y[i]][pred]++;
    conf.push(p[pred]);
    correct.push(pred === y[i]);
  });
  const perClass: ClassReport[] = [];
  for (let c = 0; c < nClasses; c++) {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
  }
  const present = perClass.filter((c) => c.support > 0);
  return {
    n: probs.length,
    accuracy: correct.filter(Boolean).length / (probs.length || 1),
    macroF1: present.reduce((s, c) => s + c.f1, 0) / (present.length || 1),
    uar: present.reduce((s, c) => s + c.recall, 0) / (present.length || 1),
    ece: expectedCalibrationError(conf, correct),
    logLoss: logLoss(probs, y),
    perClass,
    confusion,
    reliability: reliability(conf, correct),
  };
}
