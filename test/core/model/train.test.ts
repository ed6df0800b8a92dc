import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/model/random.js';
import { chooseGate, chooseUncertain, crossValidate, groupedFolds, randomFolds, type Row, type TrainingSet } from '../../../src/core/model/train.js';

describe('folds', () => {
  const groups = Array.from({ length: 200 }, (_, i) => `actor${(i % 20) + 1}`);

  it('grouped folds never put one speaker on both sides and are balanced', () => {
    const folds = groupedFolds(groups, 5, 42);
    const foldOfGroup = new Map<string, Set<number>>();
    groups.forEach((g, i) => (foldOfGroup.get(g) ?? foldOfGroup.set(g, new Set()).get(g)!).add(folds[i]));
    for (const s of foldOfGroup.values()) expect(s.size).toBe(1);
    const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
    expect(sizes).toEqual([40, 40, 40, 40, 40]);
    expect(groupedFolds(groups, 5, 42)).toEqual(folds);
  });

  it('a random split does mix speakers (which is why it is only on a flag)', () => {
    const folds = randomFolds(groups.length, 5, 1);
    const mixed = new Set(groups.filter((g) => new Set(groups.map((h, i) => (h === g ? folds[i] : -1)).filter((f) => f >= 0)).size > 1));
    expect(mixed.size).toBeGreaterThan(10);
  });
});

describe('cross-validation', () => {
  it('predicts every clean row out of fold', () => {
    const r = rng(2);
    const clean: Row[] = Array.from({ length: 140 }, (_, i) => ({ x: Float32Array.from([(i % 7) + r(), r()]), y: i % 7, group: `g${i % 10}`, rmsDb: -20 }));
    const cv = crossValidate({ clean, augmented: [], variants: {} }, { folds: 5, seed: 1, forest: { nTrees: 20 }, split: 'grouped' });
    expect(cv.oof.every((p) => p && p.length === 7)).toBe(true);
    expect(cv.foldAccuracy.every((a) => a > 0.7)).toBe(true);
  });

  it('never trains on augmented copies of the test fold', () => {
    // Pure-noise features and labels: only a leaked copy (same x, same label) of a test clip could be
    // memorised, which would push out-of-fold accuracy far above chance.
    const r = rng(4);
    const clean: Row[] = Array.from({ length: 210 }, (_, i) => ({ x: Float32Array.from([r(), r(), r()]), y: Math.floor(r() * 7), group: `g${i % 10}`, rmsDb: -20 }));
    const augmented = clean.map((row, source) => ({ source, row }));
    const data: TrainingSet = { clean, augmented, variants: {} };
    const cv = crossValidate(data, { folds: 5, seed: 1, forest: { nTrees: 30 }, split: 'grouped' });
    const acc = cv.oof.filter((p, i) => p.indexOf(Math.max(...p)) === clean[i].y).length / clean.length;
    expect(acc).toBeLessThan(0.3);
    // Control: the same copies without the fold filter would be memorised.
    const leaky = crossValidate({ clean: clean.concat(augmented.map((a) => a.row)), augmented: [], variants: {} }, { folds: 5, seed: 1, forest: { nTrees: 30 }, split: 'random' });
    const leakyAcc = leaky.oof.slice(0, 210).filter((p, i) => p.indexOf(Math.max(...p)) === clean[i].y).length / 210;
    expect(leakyAcc).toBeGreaterThan(0.5);
  });
});

describe('rules chosen from data', () => {
  it('picks a gate that costs no accuracy and the uncertain threshold where guesses are mostly wrong', () => {
    const r = rng(3);
    const probs: Float64Array[] = [], y: number[] = [], rms: number[] = [];
    for (let i = 0; i < 600; i++) {
      const truth = i % 7;
      const conf = 0.15 + r() * 0.8;
      const right = r() < conf;
      const top = right ? truth : (truth + 1 + Math.floor(r() * 6)) % 7;
      const p = new Float64Array(7).fill((1 - conf) / 6);
      p[top] = conf;
      probs.push(p); y.push(truth);
      rms.push(truth === 3 ? -20 : -30 - r() * 20); // angry clips are loud
    }
    const { gate } = chooseGate(probs, y, rms);
    expect(gate).not.toBeNull();
    expect(gate!.belowDb).toBeLessThanOrEqual(-40);
    const u = chooseUncertain(probs, y);
    expect(u.uncertainBelow).toBeGreaterThanOrEqual(0.25);
    expect(u.uncertainBelow).toBeLessThanOrEqual(0.45);
  });
});
