import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../src/core/emotions.js';
import { FEATURE_SPEC } from '../../../src/core/features/spec.js';
import { readModel, writeModel } from '../../../src/core/model/io.js';
import { gzipSync } from 'node:zlib';
import { Members } from '../../../src/core/model/ensemble.js';
import { DEFAULT_MODEL_PATH, MODEL_FORMAT, MODEL_FORMAT_VERSION, parseModel, serializeModel, type ModelFile } from '../../../src/core/model/model-file.js';
import { rng } from '../../../src/core/model/random.js';
import { fit, type Row } from '../../../src/core/model/train.js';

function tinyModel(spec = { version: 'test-1', names: ['a', 'b', 'c'] }): ModelFile {
  const r = rng(1);
  const rows: Row[] = Array.from({ length: 70 }, (_, i) => ({ x: Float32Array.from(spec.names, (_, j) => (i % 7) * (j + 1) + r()), y: i % 7, group: `s${i % 5}`, rmsDb: -20 }));
  const fitted = fit(rows, { nTrees: 5, seed: 1 });
  return {
    format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, classes: [...EMOTIONS], featureSpec: spec,
    calibration: { temperature: 0.8, eps: 0.01 }, rules: { uncertainBelow: 0.35, gate: null },
    card: { version: 'test', trainedOn: 'synthetic', nSamples: 70, split: 'none', metrics: { accuracy: 0, macroF1: 0, uar: 0, ece: 0 }, licence: 'test' },
    forestWeight: 0.5, scaler: fitted.scaler, linear: fitted.linear, forest: fitted.forest,
  };
}

describe('model file', () => {
  it('round-trips through the binary format, predicting as the fitted objects do (leaves as float32)', () => {
    const file = tinyModel();
    const bytes = serializeModel(file);
    expect(bytes.subarray(0, 7).toString('latin1')).toBe('SERBOTM');
    const a = parseModel(bytes, file.featureSpec);
    const fitted = Members.fromJSON(file);
    for (const x of [[3, 6, 9], [0, 0, 0], [1.5, -2, 40]]) {
      const direct = fitted.predict(x);
      const loaded = parseModel(serializeModel(file), file.featureSpec).predictRaw(x);
      loaded.forEach((p, c) => expect(p).toBeCloseTo(0.5 * direct.forest[c] + 0.5 * direct.linear[c], 7));
      expect(a.predict(x).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    }
    expect(a.card).toEqual(file.card);
    expect(serializeModel(file).equals(bytes)).toBe(true);
  });

  it('still reads a v2 gzipped JSON model, with the same answers as its binary form', () => {
    const file = tinyModel();
    const json = gzipSync(JSON.stringify({ ...file, formatVersion: 2 }));
    const fromJson = parseModel(json, file.featureSpec);
    const fromBinary = parseModel(serializeModel(file), file.featureSpec);
    for (const x of [[3, 6, 9], [1, 2, 3]]) fromJson.predict(x).forEach((p, c) => expect(p).toBeCloseTo(fromBinary.predict(x)[c], 7));
  });

  it('refuses a damaged or truncated binary file', () => {
    const bytes = serializeModel(tinyModel());
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100] ^= 0x40;
    expect(() => parseModel(flipped, tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('damaged') }));
    expect(() => parseModel(bytes.subarray(0, bytes.length - 50), tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseModel(bytes.subarray(0, 20), tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('the shipped model is the binary format and loads', async () => {
    const m = await readModel(join(import.meta.dirname, '../../..', DEFAULT_MODEL_PATH));
    expect(m.card.version).toMatch(/^f\d/);
    expect(m.predict(new Float32Array(FEATURE_SPEC.names.length)).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
  });

  it('refuses a model trained with another feature spec, saying how to fix it', () => {
    const bytes = serializeModel(tinyModel());
    expect(() => parseModel(bytes, { version: 'test-2', names: ['a', 'b', 'c'] })).toThrow(expect.objectContaining({ code: 'MODEL_SPEC_MISMATCH', message: expect.stringContaining('npm run train') }));
    expect(() => parseModel(bytes, { version: 'test-1', names: ['a', 'b', 'x'] })).toThrow(expect.objectContaining({ code: 'MODEL_SPEC_MISMATCH' }));
  });

  it('predicts the weighted average of its two members, then calibrates', () => {
    const file = tinyModel();
    const x = [2, 4, 7];
    const onlyForest = parseModel(serializeModel({ ...file, forestWeight: 1 }), file.featureSpec).predictRaw(x);
    const onlyLinear = parseModel(serializeModel({ ...file, forestWeight: 0 }), file.featureSpec).predictRaw(x);
    expect([...onlyForest]).not.toEqual([...onlyLinear]);
    const mixed = parseModel(serializeModel({ ...file, forestWeight: 0.3 }), file.featureSpec).predictRaw(x);
    mixed.forEach((p, c) => expect(p).toBeCloseTo(0.3 * onlyForest[c] + 0.7 * onlyLinear[c], 12));
  });

  it('tells the owner of an older model file to retrain', () => {
    const old = { ...tinyModel(), formatVersion: 1 };
    expect(() => parseModel(Buffer.from(JSON.stringify(old)), old.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringMatching(/older ser-bot.*npm run train/) }));
  });

  it('refuses garbage and foreign JSON', () => {
    expect(() => parseModel(Buffer.from('not json'), FEATURE_SPEC)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseModel(Buffer.from('{"format":"other"}'), FEATURE_SPEC)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('readModel reports a missing file and checks the spec of the code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ser-model-'));
    try {
      await expect(readModel(join(dir, 'none.json.gz'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
      const path = join(dir, 'm.json.gz');
      await writeModel(path, tinyModel());
      await expect(readModel(path)).rejects.toMatchObject({ code: 'MODEL_SPEC_MISMATCH' });
      await writeModel(path, tinyModel({ version: FEATURE_SPEC.version, names: [...FEATURE_SPEC.names] }));
      expect((await readModel(path)).card.version).toBe('test');
      await writeFile(path, 'x');
      await expect(readModel(path)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
