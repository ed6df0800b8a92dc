import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration } from '../../../src/core/model/calibration.js';
import { argmax, evaluate, expectedCalibrationError } from '../../../src/core/model/metrics.js';
import { rng } from '../../../src/core/model/random.js';

/** Scores whose true accuracy is ~60 % but which claim much more (over-confident) or less (timid). */
function synthetic(n: number, sharpen: number, seed: number) {
  const r = rng(seed);
  const probs: Float64Array[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const truth = Math.floor(r() * 5);
    const logits = Array.from({ length: 5 }, (_, c) => (c === truth ? 1.2 : 0) + r() * 2);
    const e = logits.map((l) => Math.exp(l * sharpen));
    const s = e.reduce((a, b) => a + b, 0);
    probs.push(Float64Array.from(e.map((v) => v / s)));
    y.push(truth);
  }
  return { probs, y };
}

function ece(probs: ArrayLike<number>[], y: number[]) {
  return expectedCalibrationError(probs.map((p) => p[argmax(p)]), probs.map((p, i) => argmax(p) === y[i]));
}

describe('calibration', () => {
  it.each([['over-confident', 12], ['under-confident', 0.3]] as const)('reduces the ECE of %s scores on held-out data', (_name, sharpen) => {
    const fitSet = synthetic(3000, sharpen, 1), test = synthetic(3000, sharpen, 2);
    const cal = fitCalibration(fitSet.probs, fitSet.y);
    const before = ece(test.probs, test.y);
    const after = ece(test.probs.map((p) => calibrate(p, cal)), test.y);
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.04);
    expect(after).toBeLessThan(before / 3);
  });

  it('never changes which class is on top (it is monotone)', () => {
    const { probs } = synthetic(200, 2, 3);
    const cal = { temperature: 0.4, eps: 0.01 };
    for (const p of probs) expect(argmax(calibrate(p, cal))).toBe(argmax(p));
  });
});

describe('metrics', () => {
  it('computes accuracy, macro-F1, UAR and the confusion matrix', () => {
    const oneHot = (c: number) => Float64Array.from([0, 1, 2].map((k) => (k === c ? 0.9 : 0.05)));
    const m = evaluate([oneHot(0), oneHot(0), oneHot(1), oneHot(2)], [0, 1, 1, 2], 3);
    expect(m.accuracy).toBe(0.75);
    expect(m.confusion).toEqual([[1, 0, 0], [1, 1, 0], [0, 0, 1]]);
    expect(m.uar).toBeCloseTo((1 + 0.5 + 1) / 3, 10);
    expect(m.perClass[0].precision).toBe(0.5);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3, 10);
    // Three clips got 0.9 for their true class, one got 0.05.
    expect(m.logLoss).toBeCloseTo(-(3 * Math.log(0.9) + Math.log(0.05)) / 4, 10);
  });

  it('ECE is zero for perfectly calibrated bins and |acc − conf| otherwise', () => {
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBeCloseTo(0, 10);
    expect(expectedCalibrationError([0.95, 0.95], [false, false])).toBeCloseTo(0.95, 10);
  });
});

describe('calibration fit', () => {
  it('lands on the temperature that minimises the log-loss of calibrate() itself', () => {
    const { probs, y } = synthetic(1500, 6, 4);
    const cal = fitCalibration(probs, y);
    const loss = (t: number) => -probs.reduce((s, p, i) => s + Math.log(Math.max(1e-12, calibrate(p, { temperature: t, eps: cal.eps })[y[i]])), 0) / probs.length;
    expect(loss(cal.temperature)).toBeLessThan(loss(cal.temperature * 1.05));
    expect(loss(cal.temperature)).toBeLessThan(loss(cal.temperature / 1.05));
    expect(loss(cal.temperature)).toBeLessThan(loss(1) - 0.02);
  });
});
