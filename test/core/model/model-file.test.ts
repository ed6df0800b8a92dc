import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../src/core/emotions.js';
import { FEATURE_SPEC, PROJECTED_FROM } from '../../../src/core/features/spec.js';
import { readModel, writeModel } from '../../../src/core/model/io.js';
import { crc32, gzipSync } from 'node:zlib';
import { applyBlend, Members } from '../../../src/core/model/ensemble.js';
import { clipKey, DEFAULT_MODEL_PATH, MODEL_FORMAT, MODEL_FORMAT_VERSION, convertModelBytes, parseModel, serializeModel, type ModelFile } from '../../../src/core/model/model-file.js';
import { rng } from '../../../src/core/model/random.js';
import { fitProjection, Projector } from '../../../src/core/model/projection.js';
import { fit, stripped, type Row } from '../../../src/core/model/train.js';
import { chainTree } from './chain-tree.js';
import { asV7 } from './older-formats.js';

function tinyModel(spec = { version: 'test-1', names: ['a', 'b', 'c'] }, mlp = false): ModelFile {
  const r = rng(1);
  const rows: Row[] = Array.from({ length: 70 }, (_, i) => ({ x: Float32Array.from(spec.names, (_, j) => (i % 7) * (j + 1) + r()), y: i % 7, group: `s${i % 5}`, rmsDb: -20 }));
  if (mlp) {
    const fitted = fit(rows, { nTrees: 5, seed: 1 }, {}, { hidden: 32, epochs: 20, batch: 16, learningRate: 0.01, seed: 1 });
    return { ...tinyModel(spec), forestWeight: 0.4, mlpWeight: 0.3, mlp: fitted.mlp };
  }
  const fitted = fit(rows, { nTrees: 5, seed: 1 });
  return {
    format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, classes: [...EMOTIONS], featureSpec: spec,
    calibration: { temperature: 0.8, eps: 0.01 }, rules: { uncertainBelow: 0.35, gate: null },
    card: { version: 'test', trainedOn: 'synthetic', nSamples: 70, split: 'none', metrics: { accuracy: 0, macroF1: 0, uar: 0, ece: 0 }, licence: 'test' },
    forestWeight: 0.5, scaler: fitted.scaler, linear: fitted.linear, forest: fitted.forest,
  };
}

/** Six features, the last three read through a projection to two axes fitted on the training rows. */
function projectedModel(): ModelFile {
  const spec = { version: 'test-p', names: ['a', 'b', 'c', 'd', 'e', 'f'] };
  const r = rng(4);
  const rows: Row[] = Array.from({ length: 70 }, (_, i) => ({ x: Float32Array.from(spec.names, (_, j) => (i % 7) * (j + 1) + 3 * r()), y: i % 7, group: `s${i % 5}`, rmsDb: -20 }));
  const projection = stripped(fitProjection(rows.map((q) => q.x), 3, 2, 5));
  const projector = new Projector(projection);
  const fitted = fit(rows.map((q) => ({ ...q, x: projector.project(q.x) })), { nTrees: 5, seed: 1 });
  return { ...tinyModel(spec), projection, scaler: fitted.scaler, linear: fitted.linear, forest: fitted.forest };
}

/** The same file in an older binary format: the sections `drop` (all empty here) left out of its header. */
function olderBinary(bytes: Buffer, version: number, drop: string[]): Buffer {
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
  for (const name of drop) { expect(header.sections[name]).toBe(0); delete header.sections[name]; }
  const json = Buffer.from(JSON.stringify({ ...header, formatVersion: version }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const pad = (8 - ((12 + json.length) % 8)) % 8;
  return Buffer.concat([Buffer.from(`SERBOTM${String.fromCharCode(version)}`, 'latin1'), len, json, Buffer.alloc(pad, 0x20), bytes.subarray((12 + bytes.readUInt32LE(8) + 7) & ~7)]);
}

/** A v3 file as the previous code wrote it (one slot per node: feature, float64 threshold, right child or leaf row). */
function serializeV3(file: ModelFile): Buffer {
  const { forest, linear, scaler, ...meta } = file;
  const C = forest.nClasses;
  const feature: number[] = [], threshold: number[] = [], next: number[] = [], roots: number[] = [], rows: number[] = [];
  const rowOf = new Map<string, number>();
  for (const t of forest.trees) {
    const base = feature.length;
    roots.push(base);
    t.feature.forEach((f, n) => {
      feature.push(f);
      threshold.push(t.threshold[n]);
      if (f >= 0) return void next.push(base + t.right[n]);
      const row = Float32Array.from(t.leaves[t.leaf[n]]);
      if (!rowOf.has(row.join())) { rowOf.set(row.join(), rowOf.size); rows.push(...row); }
      next.push(rowOf.get(row.join())!);
    });
  }
  const sections: [string, Float64Array | Int32Array | Float32Array][] = [
    ['mean', Float64Array.from(scaler.mean)], ['scale', Float64Array.from(scaler.scale)], ['weights', Float64Array.from(linear.weights.flat())],
    ['bias', Float64Array.from(linear.bias)], ['roots', Int32Array.from(roots)], ['feature', Int32Array.from(feature)],
    ['threshold', Float64Array.from(threshold)], ['next', Int32Array.from(next)], ['leafRows', Float32Array.from(rows)],
  ];
  const pad8 = (n: number) => (n + 7) & ~7;
  const body = Buffer.concat(sections.flatMap(([, a]) => [Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.alloc(pad8(a.byteLength) - a.byteLength)]));
  const header = { ...meta, formatVersion: 3, nClasses: C, nFeatures: forest.nFeatures, sections: Object.fromEntries(sections.map(([n, a]) => [n, a.length])), crc32: crc32(body) };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from('SERBOTM\x03', 'latin1'), len, json, Buffer.alloc(pad8(12 + json.length) - 12 - json.length, 0x20), body]);
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

  it('stores the MLP member and its blend weight, predicting as the fitted objects do', () => {
    const file = tinyModel(undefined, true);
    const bytes = serializeModel(file);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
    expect(header.sections.mlpB1).toBe(32);
    expect(header.mlpWeight).toBe(0.3);
    const loaded = parseModel(bytes, file.featureSpec);
    const fitted = Members.fromJSON(file);
    for (const x of [[3, 6, 9], [0, 0, 0], [1.5, -2, 40]]) {
      const m = fitted.predict(x);
      expect([...m.mlp!]).toEqual([...fitted.predict(x).mlp!]);
      loaded.predictRaw(x).forEach((p, c) => expect(p).toBeCloseTo(0.4 * m.forest[c] + 0.3 * m.mlp![c] + 0.3 * m.linear[c], 7));
    }
    expect(serializeModel(file).equals(bytes)).toBe(true);
    // Without the MLP member, a file that still names its weight is refused rather than blended wrongly.
    const { mlp: _mlp, ...noMlp } = file;
    expect(() => parseModel(serializeModel(noMlp), file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('stores the projection in front of the scaler and predicts from the raw features as the fitted objects do', () => {
    const file = projectedModel();
    const bytes = serializeModel(file);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
    expect(header).toMatchObject({ formatVersion: 8, nFeatures: 5, projectionFrom: 3, sections: { projectionMean: 3, projectionLoadings: 6, mean: 5 } });
    const loaded = parseModel(bytes, file.featureSpec);
    const fitted = Members.fromJSON(file);
    for (const x of [[3, 6, 9, 12, 15, 18], [0, 0, 0, 0, 0, 0], [1.5, -2, 40, 7, -30, 2]]) {
      const m = fitted.predict(x);
      loaded.predictRaw(x).forEach((p, c) => expect(p).toBeCloseTo(0.5 * m.forest[c] + 0.5 * m.linear[c], 7));
    }
    // The projection is read: the same file with the offsets' block moved answers differently.
    const moved = [0, 1, 2, 3, 4, 5].map(() => 1);
    const far = [1, 1, 1, 60, -60, 60];
    expect([...loaded.predictRaw(moved)]).not.toEqual([...loaded.predictRaw(far)]);
    expect(serializeModel(file).equals(bytes)).toBe(true);
  });

  it('stores a log pool of the members (its shares and floor) and predicts as the choice does; refuses a pool it does not know', () => {
    const file: ModelFile = { ...tinyModel(undefined, true), pool: 'log', poolEps: 0.001, forestWeight: 0.5, mlpWeight: 0.3, calibration: { temperature: 0.7, eps: 0 } };
    const loaded = parseModel(serializeModel(file), file.featureSpec);
    const averaged = parseModel(serializeModel({ ...file, pool: undefined, poolEps: undefined }), file.featureSpec);
    const fitted = Members.fromJSON(file);
    for (const x of [[3, 6, 9], [0, 0, 0], [1.5, -2, 40]]) {
      loaded.predict(x).forEach((p, c) => expect(p).toBeCloseTo(applyBlend(fitted.predict(x), file)[c], 6));
      expect([...loaded.predict(x)]).not.toEqual([...averaged.predict(x)]);
    }
    for (const bad of [{ pool: 'max' }, { poolEps: 0 }, { poolEps: undefined }, { poolEps: 2 }]) {
      expect(() => parseModel(serializeModel({ ...file, ...bad } as ModelFile), file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('pooling') }));
    }
    expect(() => parseModel(asV7(serializeModel(file)), file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('pooling') }));
  });

  it('records which clips it was trained on, by content hash, for eval; refuses a key that is not one', () => {
    const file = tinyModel();
    const hashes = ['0123456789abcdef0123456789abcdef', 'ffffffff00000000aaaaaaaaaaaaaaaa'];
    const loaded = parseModel(serializeModel({ ...file, trainedClips: hashes.map(clipKey) }), file.featureSpec);
    expect(loaded.knowsTrainingClips).toBe(true);
    expect(hashes.map((h) => loaded.learnedFrom(h))).toEqual([true, true]);
    expect(loaded.learnedFrom('0123456789abcdee0123456789abcdef')).toBe(false);
    expect(parseModel(serializeModel(file), file.featureSpec).knowsTrainingClips).toBe(false);
    expect(() => serializeModel({ ...file, trainedClips: ['xyz'] })).toThrow(/16 hex digits/);
  });

  it('refuses a projection that does not fit the feature spec or the scaler', () => {
    const file = projectedModel();
    const p = file.projection!;
    const short = { ...p, mean: Array.from(p.mean).slice(0, 2), loadings: Array.from(p.loadings).slice(0, 4) };
    expect(() => parseModel(serializeModel({ ...file, projection: short }), file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('projection') }));
    const late = { ...p, from: 4 };
    expect(() => parseModel(serializeModel({ ...file, projection: late }), file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('still reads v7 (wide children), v6 (no calibration offsets), v5 (no projection) and v4 (no MLP either) files, with the same answers', () => {
    const file = tinyModel();
    const v8 = serializeModel(file);
    const v7 = asV7(v8);
    const v6 = olderBinary(v7, 6, []);
    const v5 = olderBinary(v6, 5, ['projectionMean', 'projectionLoadings']);
    const v4 = olderBinary(v5, 4, ['mlpW1', 'mlpB1', 'mlpW2', 'mlpB2']);
    const now = parseModel(v8, file.featureSpec);
    for (const older of [v7, v6, v5, v4]) {
      const m = parseModel(older, file.featureSpec);
      for (const x of [[3, 6, 9], [0, 0, 0], [1.5, -2, 40], [6, 12, 18], [NaN, 1, 2]]) expect([...m.predict(x)]).toEqual([...now.predict(x)]);
    }
    // v7 read as v8 (its header's sections lack the narrow ones) is refused, not read with the sections shifted.
    const mislabelled = Buffer.concat([Buffer.from('SERBOTM\x08', 'latin1'), v7.subarray(8)]);
    expect(() => parseModel(mislabelled, file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    // model:convert rewrites each as the file training writes today, byte for byte.
    for (const [older, version] of [[v7, 7], [v6, 6], [v5, 5], [v4, 4]] as const) {
      const converted = convertModelBytes(older, file.featureSpec);
      expect(converted.fromVersion).toBe(version);
      expect(converted.bytes.equals(v8)).toBe(true);
    }
    expect(() => convertModelBytes(v8, file.featureSpec)).toThrow(/already binary format v8/);
  });

  it('applies calibration offsets from a v7 or v8 file, and refuses offsets that do not fit the classes or come in a v6 file', () => {
    const file = tinyModel();
    const offsets = [0, 0, 0, 0, 0, 0, -1.5];
    const plain = parseModel(serializeModel(file), file.featureSpec);
    const withOffsets = parseModel(serializeModel({ ...file, calibration: { ...file.calibration, offsets } }), file.featureSpec);
    const v7WithOffsets = parseModel(asV7(serializeModel({ ...file, calibration: { ...file.calibration, offsets } })), file.featureSpec);
    for (const x of [[3, 6, 9], [6, 12, 18], [1.5, -2, 40]]) {
      const a = plain.predict(x), b = withOffsets.predict(x);
      expect([...v7WithOffsets.predict(x)]).toEqual([...b]);
      // The same blend, the last class's calibrated share scaled by e^−1.5 before renormalising.
      const ratio = (b[6] / b[0]) / (a[6] / a[0]);
      expect(ratio).toBeCloseTo(Math.exp(-1.5), 6);
    }
    for (const bad of [[0, 0, 0], [0, 0, 0, 0, 0, 0, NaN]]) {
      const bytes = serializeModel({ ...file, calibration: { ...file.calibration, offsets: bad } });
      expect(() => parseModel(bytes, file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('offsets') }));
    }
    const v6 = olderBinary(asV7(serializeModel({ ...file, calibration: { ...file.calibration, offsets } })), 6, []);
    expect(() => parseModel(v6, file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('offsets') }));
  });

  it('still reads a v2 gzipped JSON model, with the same answers as its binary form', () => {
    const file = tinyModel();
    const json = gzipSync(JSON.stringify({ ...file, formatVersion: 2 }));
    const fromJson = parseModel(json, file.featureSpec);
    const fromBinary = parseModel(serializeModel(file), file.featureSpec);
    for (const x of [[3, 6, 9], [1, 2, 3]]) fromJson.predict(x).forEach((p, c) => expect(p).toBeCloseTo(fromBinary.predict(x)[c], 7));
  });

  it('reads a v3 file (one slot per node) with the same answers, and model:convert rewrites it as v8', async () => {
    const file = tinyModel();
    const v3 = serializeV3(file);
    const fromV3 = parseModel(v3, file.featureSpec);
    const fromV8 = parseModel(serializeModel(file), file.featureSpec);
    for (const x of [[3, 6, 9], [0, 0, 0], [1.5, -2, 40], [NaN, 1, 2]]) expect([...fromV3.predict(x)]).toEqual([...fromV8.predict(x)]);
    const converted = convertModelBytes(v3, file.featureSpec);
    expect(converted.fromVersion).toBe(3);
    expect(converted.bytes.equals(serializeModel(file))).toBe(true);
  });

  it('v4 to v8 store split nodes only, each distinct threshold and leaf row once: well under the bytes of v3; v8 its children in 16 bits', () => {
    const file = tinyModel();
    const v8 = serializeModel(file);
    const headerOf = (b: Buffer) => JSON.parse(b.toString('utf8', 12, 12 + b.readUInt32LE(8)));
    const BYTES: Record<string, number> = { cuts: 8, threshold: 8, feature: 2, cut: 2, left16: 2, right16: 2 }; // the rest: 4 each
    const forestBytes = (b: Buffer, names: string[]) => names.reduce((s, n) => s + (headerOf(b).sections[n] ?? 0) * (BYTES[n] ?? 4), 0);
    const v3Bytes = forestBytes(serializeV3(file), ['roots', 'threshold', 'next', 'leafRows']) + 2 * forestBytes(serializeV3(file), ['feature']); // v3's feature is int32
    const names = ['cuts', 'roots', 'left', 'right', 'leafRows', 'feature', 'cut', 'left16', 'right16'];
    expect(forestBytes(v8, names)).toBeLessThan(0.65 * v3Bytes); // 0.51 here, where the cuts and leaf rows weigh most; 0.27 on the shipped forest (below)
    expect(forestBytes(v8, ['left16', 'right16'])).toBe(forestBytes(asV7(v8), ['left', 'right']) / 2);
    const nodes = file.forest.trees.reduce((s, t) => s + t.feature.length, 0);
    const header = headerOf(v8);
    expect(header.sections).toMatchObject({ left: 0, right: 0, left16: header.sections.feature, right16: header.sections.feature });
    expect(header.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(header.sections.feature).toBe(file.forest.trees.reduce((s, t) => s + t.feature.filter((f) => f >= 0).length, 0));
    expect(header.sections.feature).toBeLessThan(nodes / 2 + 1);
    expect(header.sections.cuts).toBe(new Set(file.forest.trees.flatMap((t) => t.threshold.filter((_, n) => t.feature[n] >= 0))).size);
  });

  it('stores children too big for 16 bits as uint32 codes, predicting as the fitted objects do', () => {
    const file = tinyModel();
    const big = { ...file, forest: { ...file.forest, trees: [...file.forest.trees, chainTree(7)] } };
    const bytes = serializeModel(big);
    const { sections } = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
    expect([sections.left, sections.right, sections.left16, sections.right16]).toEqual([sections.feature, sections.feature, 0, 0]);
    const loaded = parseModel(bytes, file.featureSpec);
    const fitted = Members.fromJSON(big);
    for (const x of [[3, 6, 9], [-1, -5, 0], [-1, -40000, 0], [1, 0, 0], [1, 0, 9]]) {
      const m = fitted.predict(x);
      loaded.predictRaw(x).forEach((p, c) => expect(p).toBeCloseTo(0.5 * m.forest[c] + 0.5 * m.linear[c], 12));
    }
  });

  it('refuses a v7 file whose forest has a child before its split (it would loop), checksum or not', () => {
    const file = tinyModel();
    const looping = asV7(serializeModel(file), (left) => { left[3] = 2; });
    expect(() => parseModel(looping, file.featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('does not follow') }));
  });

  it('refuses a damaged or truncated binary file', () => {
    const bytes = serializeModel(tinyModel());
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100] ^= 0x40;
    expect(() => parseModel(flipped, tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID', message: expect.stringContaining('damaged') }));
    expect(() => parseModel(bytes.subarray(0, bytes.length - 50), tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
    expect(() => parseModel(bytes.subarray(0, 20), tinyModel().featureSpec)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });

  it('says what is wrong with a damaged header, a newer format or a file that is no model, in one printable line', () => {
    const bytes = serializeModel(tinyModel());
    const spec = tinyModel().featureSpec;
    const refusal = (b: Buffer): string => {
      try {
        parseModel(b, spec);
      } catch (e) {
        expect((e as { code: string }).code).toMatch(/^MODEL_/);
        expect((e as Error).message).toMatch(/^[\x20-\x7e\u2018-\u201d]+$/); // one line, no raw bytes
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    const headerAt = (text: string) => 12 + bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)).indexOf(text);
    const mangled = Buffer.from(bytes);
    mangled[headerAt('"format"') + 2] ^= 0x01; // "format" → "fnrmat"
    expect(refusal(mangled)).toMatch(/header is damaged/);
    const broken = Buffer.from(bytes);
    broken[headerAt('"format"')] = 0x20; // no longer JSON
    expect(refusal(broken)).toMatch(/header is damaged/);
    const older = Buffer.from(bytes);
    older[7] = 7; // the first bytes say v7, the header v8
    expect(refusal(older)).toMatch(/header is damaged \(it does not say format v7/);
    const newer = Buffer.from(bytes);
    newer[7] = MODEL_FORMAT_VERSION + 1;
    expect(refusal(newer)).toMatch(new RegExp(`binary format v${MODEL_FORMAT_VERSION + 1}, newer than this code reads .*update ser-bot`));
    expect(refusal(Buffer.from('hello\nworld'))).toMatch(/neither a binary model nor JSON/);
    const renamed = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8))).featureSpec;
    expect(() => parseModel(bytes, { version: renamed.version, names: ['a', 'b', 'x'] })).toThrow(expect.objectContaining({ code: 'MODEL_SPEC_MISMATCH', message: expect.stringContaining('though both carry that name') }));
  });

  it('the shipped model is binary v8 with its projection and narrow children, loads, and its forest takes under a third of the bytes v3 needed', async () => {
    const path = join(import.meta.dirname, '../../..', DEFAULT_MODEL_PATH);
    const bytes = await readFile(path);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + bytes.readUInt32LE(8)));
    expect(header.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(header.projectionFrom).toBe(PROJECTED_FROM);
    const { feature: splits, roots: trees, leafRows, cuts, left, right, cut, left16, right16 } = header.sections;
    expect([left, right, left16, right16]).toEqual([0, 0, splits, splits]);
    // The forest's sections against v3's 16 bytes per node, leaves too.
    expect(8 * cuts + 4 * (trees + leafRows) + 2 * (splits + cut + left16 + right16)).toBeLessThan(0.3 * ((2 * splits + trees) * 16 + 4 * leafRows));
    const m = await readModel(path);
    expect(m.card.version).toMatch(/^f\d/);
    expect(header.sections.trainedClips).toBe(2 * m.card.nSamples); // every training clip's key
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
