import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration, fitLogPool, fitOffsets, rareClasses } from '../../../src/core/model/calibration.js';
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

/**
 * Seven classes, the last one `rareShare` of the truth, scored as a member trained with balanced class weights
 * scores it: as if it were as common as the others (its logit raised by log(1/7 ÷ rareShare), here ~1.3).
 */
function rareSynthetic(n: number, rareShare: number, seed: number) {
  const r = rng(seed);
  const probs: Float64Array[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const truth = r() < rareShare ? 6 : Math.floor(r() * 6);
    const boost = Math.log(1 / 7 / rareShare);
    const e = Array.from({ length: 7 }, (_, c) => Math.exp((c === truth ? 1.5 : 0) + (c === 6 ? boost : 0) + 3 * r()));
    const s = e.reduce((a, b) => a + b, 0);
    probs.push(Float64Array.from(e, (v) => v / s));
    y.push(truth);
  }
  return { probs, y };
}

describe('calibration offsets for rare classes', () => {
  it('finds the classes under half an even share, never an absent one', () => {
    expect(rareClasses([...Array(100).fill(0), ...Array(100).fill(1), ...Array(10).fill(2)], 4)).toEqual([2]);
    expect(rareClasses([0, 1, 2, 3, 0, 1, 2, 3], 4)).toEqual([]);
    // 27 of 211 is over 1/(2·4) of the labels (26.4): not rare.
    expect(rareClasses([...Array(92).fill(0), ...Array(92).fill(1), ...Array(27).fill(2)], 4)).toEqual([]);
  });

  it('lowers a rare class the scores treat as common: fewer false answers of it and a lower held-out log-loss', () => {
    const fitSet = rareSynthetic(4000, 0.04, 5), test = rareSynthetic(4000, 0.04, 6);
    expect(rareClasses(fitSet.y, 7)).toEqual([6]);
    const temperatureOnly = fitCalibration(fitSet.probs, fitSet.y);
    const cal = fitOffsets(fitSet.probs, fitSet.y, temperatureOnly, [6]);
    expect(cal.eps).toBe(temperatureOnly.eps);
    expect(cal.offsets!.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(cal.offsets![6]).toBeLessThan(-0.5);
    const answersOf6 = (c: typeof cal) => test.probs.filter((p) => argmax(calibrate(p, c)) === 6).length;
    const truly6 = test.y.filter((c) => c === 6).length;
    expect(answersOf6(temperatureOnly)).toBeGreaterThan(2 * truly6);
    expect(Math.abs(answersOf6(cal) - truly6)).toBeLessThan(Math.abs(answersOf6(temperatureOnly) - truly6) / 3);
    const loss = (c: typeof cal) => evaluate(test.probs.map((p) => calibrate(p, c)), test.y, 7).logLoss;
    expect(loss(cal)).toBeLessThan(loss(temperatureOnly) - 0.005);
  });

  it('lands on the minimum of the fit set log-loss in the temperature and the offset', () => {
    const { probs, y } = rareSynthetic(3000, 0.05, 7);
    const cal = fitOffsets(probs, y, fitCalibration(probs, y), [6]);
    const loss = (t: number, o: number) => evaluate(probs.map((p) => calibrate(p, { ...cal, temperature: t, offsets: [0, 0, 0, 0, 0, 0, o] })), y, 7).logLoss;
    const best = loss(cal.temperature, cal.offsets![6]);
    for (const [dt, dof] of [[1.02, 0], [1 / 1.02, 0], [1, 0.05], [1, -0.05]]) expect(best).toBeLessThan(loss(cal.temperature * dt, cal.offsets![6] + dof));
  });

  it('leaves the calibration alone when no class is rare', () => {
    const { probs, y } = synthetic(500, 3, 8);
    const cal = fitCalibration(probs, y);
    expect(fitOffsets(probs, y, cal, rareClasses(y, 5))).toBe(cal);
  });

  it('fits a log pool: the weights that made the labels, a member that misleads held at 0, the offset of a rare class', () => {
    // Labels drawn from softmax(1.5·log a + 0.5·log b − 1·[class 4]); member c points away from the truth.
    const r = rng(11);
    const a: Float64Array[] = [], b: Float64Array[] = [], c: Float64Array[] = [], y: number[] = [];
    const norm = (v: number[]) => { const s = v.reduce((p, q) => p + q, 0); return Float64Array.from(v, (x) => x / s); };
    for (let i = 0; i < 6000; i++) {
      const pa = norm(Array.from({ length: 5 }, () => 0.05 + r())), pb = norm(Array.from({ length: 5 }, () => 0.05 + r()));
      const z = Array.from({ length: 5 }, (_, k) => 1.5 * Math.log(pa[k] + 1e-3) + 0.5 * Math.log(pb[k] + 1e-3) - (k === 4 ? 1 : 0));
      const q = norm(z.map(Math.exp));
      let u = r(), label = 0;
      while (label < 4 && u > q[label]) u -= q[label++];
      a.push(pa); b.push(pb); y.push(label);
      c.push(norm(Array.from(q, (v) => 1.2 - v)));
    }
    const fit = fitLogPool([a, b, c], y, 1e-3, [4]);
    expect(fit.weights[0]).toBeCloseTo(1.5, 0);
    expect(fit.weights[1]).toBeCloseTo(0.5, 0);
    expect(fit.weights[2]).toBe(0);
    expect(fit.offsets[4]).toBeCloseTo(-1, 0);
    expect(fit.offsets.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // The minimum: any small move of a free weight or the offset costs log-loss.
    const loss = (w: number[], o: number) => {
      let f = 0;
      y.forEach((label, i) => {
        const z = Array.from({ length: 5 }, (_, k) => w[0] * Math.log(a[i][k] + 1e-3) + w[1] * Math.log(b[i][k] + 1e-3) + w[2] * Math.log(c[i][k] + 1e-3) + (k === 4 ? o : 0));
        const max = Math.max(...z);
        f -= z[label] - max - Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
      });
      return f / y.length;
    };
    const best = loss(fit.weights, fit.offsets[4]);
    expect(best).toBeCloseTo(fit.loss, 9);
    for (const [j, d] of [[0, 0.02], [0, -0.02], [1, 0.02], [1, -0.02], [2, 0.02]] as const) {
      const w = [...fit.weights];
      w[j] += d;
      expect(best).toBeLessThan(loss(w, fit.offsets[4]));
    }
    expect(best).toBeLessThan(loss(fit.weights, fit.offsets[4] + 0.05));
  });
});
