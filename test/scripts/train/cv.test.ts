// The parallel cross-validation `npm run train` runs (member fits on worker threads, folds warm-started
// from the full fit) must give exactly what the sequential crossValidate() in the core gives.
import { describe, expect, it } from 'vitest';
import { rng } from '../../../src/core/model/random.js';
import { chooseBlend } from '../../../src/core/model/ensemble.js';
import { crossFittedChoices, crossValidate, fit, projectedRows, setProjection, stripped, trainingRows, groupedFolds, type Row, type TrainingSet } from '../../../src/core/model/train.js';
import { crossValidateParallel } from '../../../scripts/train/cv.js';

function dataset(): TrainingSet {
  const r = rng(3);
  const row = (i: number, jitter: number): Row => {
    const c = i % 7;
    return { x: Float32Array.from({ length: 12 }, (_, j) => (j % 7 === c ? 1 : 0) + jitter * r() + r()), y: c, group: `s${i % 8}`, rmsDb: -25 };
  };
  const clean = Array.from({ length: 160 }, (_, i) => row(i, 0.5));
  return {
    clean,
    augmented: clean.map((_, source) => ({ source, row: { ...row(source, 1.5), group: clean[source].group } })),
    variants: { noisy: clean.slice(0, 40).map((_, source) => ({ source, row: row(source, 3) })) },
  };
}

describe('cross-validation on worker threads', () => {
  it('gives the same folds, out-of-fold probabilities, blend choices and final model as the sequential run', async () => {
    const data = dataset();
    const opts = { folds: 4, seed: 9, forest: { nTrees: 12 }, split: 'grouped' as const };
    const seq = crossValidate(data, opts);
    const par = await crossValidateParallel(data, opts, 2);
    expect(par.cv.foldOf).toEqual(seq.foldOf);
    expect(par.cv.oof).toEqual(seq.oof);
    expect(par.cv.variantOof).toEqual(seq.variantOof);
    // The blends, chosen on worker threads too.
    const y = data.clean.map((r) => r.y);
    expect(par.choices).toEqual(crossFittedChoices(seq.oof, y, seq.foldOf, 4));
    expect(par.final).toEqual(chooseBlend(seq.oof, y));
    const all = trainingRows(data, groupedFolds(data.clean.map((q) => q.group), 4, 9), -1);
    expect(JSON.stringify(par.fitted)).toBe(JSON.stringify(fit(all, { nTrees: 12, seed: 9 })));
  }, 120_000);

  it('with the MLP member: the same on worker threads as sequentially, each fold its own seed, the blend over three members', async () => {
    const data = dataset();
    const mlp = { epochs: 4, hidden: 32, batch: 64 };
    const opts = { folds: 4, seed: 9, forest: { nTrees: 6 }, mlp, split: 'grouped' as const };
    const seq = crossValidate(data, opts);
    const par = await crossValidateParallel(data, opts, 2);
    expect(seq.oof.every((m) => m.mlp?.length === 7)).toBe(true);
    expect(par.cv.oof).toEqual(seq.oof);
    expect(par.cv.variantOof).toEqual(seq.variantOof);
    const y = data.clean.map((r) => r.y);
    expect(par.choices).toEqual(crossFittedChoices(seq.oof, y, seq.foldOf, 4));
    expect(par.final).toEqual(chooseBlend(seq.oof, y));
    expect(par.final.mlpWeight).toBeGreaterThanOrEqual(0);
    const all = trainingRows(data, groupedFolds(data.clean.map((q) => q.group), 4, 9), -1);
    expect(JSON.stringify(par.fitted)).toBe(JSON.stringify(fit(all, { nTrees: 6, seed: 9 }, {}, { ...mlp, seed: 9 })));
  }, 120_000);

  it('with a projection: each set fits its own on its clean rows, the same on worker threads as sequentially', async () => {
    const data = dataset();
    const opts = { folds: 4, seed: 9, forest: { nTrees: 6 }, split: 'grouped' as const, projection: { from: 6, dims: 3 } };
    const seq = crossValidate(data, opts);
    const par = await crossValidateParallel(data, opts, 2);
    expect(par.cv.oof).toEqual(seq.oof);
    expect(par.cv.variantOof).toEqual(seq.variantOof);
    const y = data.clean.map((r) => r.y);
    expect(par.choices).toEqual(crossFittedChoices(seq.oof, y, seq.foldOf, 4));
    expect(par.final).toEqual(chooseBlend(seq.oof, y));
    // The final model's projection is fitted on every clean row, its members on every row through it.
    const foldOf = groupedFolds(data.clean.map((q) => q.group), 4, 9);
    const projection = setProjection(data, foldOf, -1, opts)!;
    expect(par.explained[0]).toBe(projection.explained);
    expect(par.explained.slice(1).every((e) => e !== null && e !== projection.explained)).toBe(true);
    const all = projectedRows(trainingRows(data, foldOf, -1), projection);
    expect(all[0].x).toHaveLength(9);
    expect(JSON.stringify(par.fitted)).toBe(JSON.stringify({ projection: stripped(projection), ...fit(all, { nTrees: 6, seed: 9 }) }));
    // And it changes the answers: the members read three axes, not the six raw features.
    const plain = crossValidate(data, { ...opts, projection: false });
    expect(plain.oof).not.toEqual(seq.oof);
  }, 120_000);
});
