// The versioned model file and the loaded EmotionModel that predicts with it.
//
// Format v8 is binary: a JSON header (card, spec, rules: what a person may want to read) and typed-array
// sections (the projection, scaler, logistic weights, the forest's split nodes with each distinct threshold and
// each distinct leaf row once, the MLP's float32 weights: empty sections when there is no projection or MLP).
// v7 is the same with the forest's children as int32 split indices (v8 stores them relative to their parent, as
// uint16 when they fit: a quarter fewer bytes), v6 without calibration offsets too, v5 without the projection, and
// v4 without the MLP; all are still read. Prediction reads the sections where they lie in the file's bytes, so
// loading costs about the file's size in memory and a few ms. v3 (one slot per node, 2.5× the bytes) and v2
// (gzipped JSON, parsed into ~37 MB of objects in ~265 ms) are still read, so a model trained before stays
// usable; `npm run model:convert` rewrites any of them as v8.
import { crc32, gunzipSync } from 'node:zlib';
import { EMOTIONS, type EmotionLabel } from '../emotions.js';
import { ModelError } from '../errors.js';
import type { DecisionRules } from '../decision.js';
import type { FeatureSpec } from '../features/spec.js';
import type { Calibration } from './calibration.js';
import { applyBlend, blend, Members, type EnsembleJson } from './ensemble.js';
import { applyGuard, type Guard } from './guard.js';
import { flattenForest, RandomForest, relativeChildren, type FlatForest, type TreeJson } from './forest.js';
import { LogisticRegression } from './logistic.js';
import { Mlp } from './mlp.js';
import { Projector, type ProjectionJson } from './projection.js';
import { DEFAULT_MODEL_PATH } from './default-path.js';

export { DEFAULT_MODEL_PATH };

export const MODEL_FORMAT = 'ser-bot-model';
/**
 * 1: forest only. 2: forest + logistic regression, blended (ensemble.ts), gzipped JSON. 3: the same, binary,
 * one slot per tree node. 4: split nodes only, thresholds as indices into the distinct ones (40 % of v3's bytes).
 * 5: v4 + the MLP member's sections and its blend weight (a v4 reader would silently drop the MLP: refused there).
 * 6: v5 + the projection in front of the scaler (projection.ts; feature spec f10 on).
 * 7: v6 + the calibration's offsets for rare classes (calibration.ts; a v6 reader would silently drop them).
 * 8: v7 with the forest's children relative to their parent (forest.ts, relativeChildren), as uint16 sections when
 *    they fit: 8 bytes per split instead of 12, so the shipped 250-tree model loads in a quarter less time; and the
 *    members' log pool (`pool`, `poolEps`: ensemble.ts), which a v7 reader would have read as an average.
 */
export const MODEL_FORMAT_VERSION = 8;
/** The JSON format still read. */
const JSON_FORMAT_VERSION = 2;
/** The first 8 bytes of a binary file of format `version` (3 on). */
const magicOf = (version: number): Buffer => Buffer.from(`SERBOTM${String.fromCharCode(version)}`, 'latin1');
const MAGIC = magicOf(MODEL_FORMAT_VERSION);
const MAGIC_V3 = magicOf(3);

/** What the model card and `/about` show; written by training. */
export interface ModelCard {
  /** e.g. "2026.11.25-f1-3fa2c1": date, feature spec version, content hash. */
  version: string;
  trainedOn: string;
  nSamples: number;
  /** How the headline metrics were measured, e.g. "grouped 5-fold CV by actor (20 actors)". */
  split: string;
  metrics: { accuracy: number; macroF1: number; uar: number; ece: number; accuracyStd?: number };
  licence: string;
  [extra: string]: unknown;
}

/** The small parts first and the forest last, so the head of the JSON is readable. */
export interface ModelFile extends EnsembleJson {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  classes: EmotionLabel[];
  featureSpec: FeatureSpec;
  calibration: Calibration;
  rules: DecisionRules;
  card: ModelCard;
  /** Out-of-distribution guard (guard.ts); absent or null: none. */
  guard?: Guard | null;
  /**
   * The first 16 hex digits of each training clip's content hash (scripts/train/feature-cache.ts contentHash), so
   * `npm run eval` can tell which of its clips the model learned from. Absent: not recorded (files before it).
   */
  trainedClips?: string[];
}

/** What the file says besides the fitted numbers. */
export type ModelMeta = Omit<ModelFile, 'forest' | 'linear' | 'scaler' | 'mlp' | 'projection' | 'trainedClips'>;

/** A training clip's key in the model file: the first 64 bits of its content hash. */
export const clipKey = (contentHash: string): string => contentHash.slice(0, 16);

export class EmotionModel {
  private learned: Set<string> | null = null;

  constructor(
    readonly file: ModelMeta,
    private readonly members: Members,
    /** Two words (high, low) per training clip's key; empty: not recorded. */
    private readonly trainedClips: Uint32Array = new Uint32Array(0),
  ) {}

  /** Whether the file records which clips it was trained on (files before v8 and older trainers do not). */
  get knowsTrainingClips(): boolean {
    return this.trainedClips.length > 0;
  }

  /** Whether a clip of this content hash was in the training data. */
  learnedFrom(contentHash: string): boolean {
    this.learned ??= new Set(Array.from({ length: this.trainedClips.length / 2 }, (_, i) => hex8(this.trainedClips[2 * i]) + hex8(this.trainedClips[2 * i + 1])));
    return this.learned.has(clipKey(contentHash));
  }

  get card(): ModelCard {
    return this.file.card;
  }

  get rules(): DecisionRules {
    return this.file.rules;
  }

  /** Blended probabilities in EMOTIONS order (before calibration). */
  predictRaw(features: ArrayLike<number>): Float64Array {
    return blend(this.members.predict(features), this.file);
  }

  /** Calibrated probabilities in EMOTIONS order, the out-of-distribution guard applied: the very steps training scored out of fold. */
  predict(features: ArrayLike<number>): Float64Array {
    const m = this.members.predict(features);
    return applyGuard(applyBlend(m, this.file), m.atypicality, this.file.guard);
  }
}

/** The typed-array sections of a v8 file, in file order (the widest elements first, so each stays aligned). */
type SectionKind = 'f64' | 'f32' | 'i32' | 'u32' | 'u16';
interface Arrays {
  projectionMean: Float64Array;
  projectionLoadings: Float64Array;
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  cuts: Float64Array;
  roots: Int32Array;
  /** ModelFile.trainedClips, two words each (v8). */
  trainedClips: Uint32Array;
  /** The forest's children: v8's uint32 codes when they do not fit in 16 bits (else empty); before v8, int32 split indices or ~row. */
  left: Uint32Array | Int32Array;
  right: Uint32Array | Int32Array;
  leafRows: Float32Array;
  mlpW1: Float32Array;
  mlpB1: Float32Array;
  mlpW2: Float32Array;
  mlpB2: Float32Array;
  feature: Uint16Array;
  cut: Uint16Array;
  /** The forest's children when they fit in 16 bits (then `left` and `right` are empty). */
  left16: Uint16Array;
  right16: Uint16Array;
}
const SECTIONS: [keyof Arrays, SectionKind][] = [
  ['projectionMean', 'f64'],
  ['projectionLoadings', 'f64'],
  ['mean', 'f64'],
  ['scale', 'f64'],
  ['weights', 'f64'],
  ['bias', 'f64'],
  ['cuts', 'f64'],
  ['roots', 'i32'],
  ['trainedClips', 'u32'],
  ['left', 'u32'],
  ['right', 'u32'],
  ['leafRows', 'f32'],
  ['mlpW1', 'f32'],
  ['mlpB1', 'f32'],
  ['mlpW2', 'f32'],
  ['mlpB2', 'f32'],
  ['feature', 'u16'],
  ['cut', 'u16'],
  ['left16', 'u16'],
  ['right16', 'u16'],
];
/** The sections v8 added: the narrow children and the training clips' keys. */
const ADDED_IN_V8 = new Set<string>(['left16', 'right16', 'trainedClips']);
const PROJECTION_SECTIONS = new Set<string>(['projectionMean', 'projectionLoadings']);
const MLP_SECTIONS = new Set<string>(['mlpW1', 'mlpB1', 'mlpW2', 'mlpB2']);
/** v7 and v6: the same with the children as int32 split indices, none narrow, no clip keys; v5: without the projection too; v4: without the MLP either. */
const SECTIONS_V7 = SECTIONS.filter(([name]) => !ADDED_IN_V8.has(name)).map(([name, kind]): [keyof Arrays, SectionKind] => [name, name === 'left' || name === 'right' ? 'i32' : kind]);
const SECTIONS_V5 = SECTIONS_V7.filter(([name]) => !PROJECTION_SECTIONS.has(name));
const SECTIONS_V4 = SECTIONS_V5.filter(([name]) => !MLP_SECTIONS.has(name));
/** The binary formats read section by section, newest first: v8, v7 (no narrow children, no clip keys), v6 (no calibration offsets either), v5, v4. */
const BINARY_FORMATS = ([[MODEL_FORMAT_VERSION, SECTIONS], [7, SECTIONS_V7], [6, SECTIONS_V7], [5, SECTIONS_V5], [4, SECTIONS_V4]] as const).map(([version, sections]) => ({ version, magic: magicOf(version), sections }));
type BinaryFormat = (typeof BINARY_FORMATS)[number];
/** v3: one slot per node (leaves too) and a float64 threshold in each; read, and rewritten by model:convert. */
interface ArraysV3 {
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  next: Int32Array;
  leafRows: Float32Array;
}
const SECTIONS_V3: [keyof ArraysV3, SectionKind][] = [
  ['mean', 'f64'],
  ['scale', 'f64'],
  ['weights', 'f64'],
  ['bias', 'f64'],
  ['roots', 'i32'],
  ['feature', 'i32'],
  ['threshold', 'f64'],
  ['next', 'i32'],
  ['leafRows', 'f32'],
];
const TYPED = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u16: Uint16Array };
type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array;

/** Binary header: the readable part, and the length of each section (in elements). */
interface Header extends ModelMeta {
  nClasses: number;
  /** Width of the scaler and members (after the projection, when there is one). */
  nFeatures: number;
  /** The projection's first feature (ProjectionJson.from); absent: no projection. */
  projectionFrom?: number;
  sections: Record<string, number>;
  /**
   * CRC-32 of everything after the header: a damaged file is refused, not read as a forest whose jumps go
   * anywhere. (The writer only makes forests whose children follow their parent; checking that again on load
   * costs 10-20 ms of cold code, twice the rest of loading, so the checksum stands for it.)
   */
  crc32: number;
}

const pad8 = (n: number): number => (n + 7) & ~7;

/** Binary v8. Fixed key order and layout: same model → same bytes. */
export function serializeModel(file: ModelFile): Buffer {
  const { forest, linear, scaler, mlp: mlpJson, projection, trainedClips, ...meta } = file;
  const flat = flattenForest(forest);
  const mlp = mlpJson ? Mlp.fromJSON(mlpJson).arrays() : null;
  const none = new Float32Array(0);
  const arrays: Arrays = {
    projectionMean: Float64Array.from(projection?.mean ?? []),
    projectionLoadings: Float64Array.from(projection?.loadings ?? []),
    mean: Float64Array.from(scaler.mean),
    scale: Float64Array.from(scaler.scale),
    weights: Float64Array.from(linear.weights.flat()),
    bias: Float64Array.from(linear.bias),
    cuts: flat.cuts,
    roots: flat.roots,
    trainedClips: clipWords(trainedClips ?? []),
    leafRows: flat.leafRows,
    mlpW1: mlp?.w1 ?? none,
    mlpB1: mlp?.b1 ?? none,
    mlpW2: mlp?.w2 ?? none,
    mlpB2: mlp?.b2 ?? none,
    feature: flat.feature,
    cut: flat.cut,
    ...childSections(flat),
  };
  return writeBinary({
    ...meta,
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    nClasses: forest.nClasses,
    nFeatures: forest.nFeatures,
    ...(projection ? { projectionFrom: projection.from } : {}),
    sections: {},
    crc32: 0,
  }, arrays);
}

/** The children's four sections: the 16-bit pair or the 32-bit pair filled, the other empty. */
function childSections({ left, right }: Pick<FlatForest, 'left' | 'right'>): Pick<Arrays, 'left' | 'right' | 'left16' | 'right16'> {
  const none32 = new Uint32Array(0), none16 = new Uint16Array(0);
  return left instanceof Uint16Array ? { left: none32, right: none32, left16: left, right16: right as Uint16Array } : { left, right: right as Uint32Array, left16: none16, right16: none16 };
}

/** A v8 file of `header` (its sections' lengths and checksum filled in here) and `arrays`. */
function writeBinary(header: Header, arrays: Arrays): Buffer {
  header.sections = Object.fromEntries(SECTIONS.map(([name]) => [name, arrays[name].length]));
  const body = Buffer.concat(
    SECTIONS.flatMap(([name]) => {
      const a = arrays[name];
      return [Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.alloc(pad8(a.byteLength) - a.byteLength)];
    }),
  );
  header.crc32 = crc32(body);
  const json = Buffer.from(JSON.stringify(header));
  return Buffer.concat([MAGIC, u32(json.length), json, Buffer.alloc(pad8(12 + json.length) - 12 - json.length, 0x20), body]);
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** Training clips' keys as (high, low) words; a key that is not 16 hex digits is refused. */
function clipWords(keys: readonly string[]): Uint32Array {
  const words = new Uint32Array(2 * keys.length);
  keys.forEach((k, i) => {
    if (!/^[0-9a-f]{16}$/.test(k)) throw new RangeError(`model file: training clip key ${JSON.stringify(k)} is not 16 hex digits`);
    words[2 * i] = parseInt(k.slice(0, 8), 16);
    words[2 * i + 1] = parseInt(k.slice(8), 16);
  });
  return words;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function invalid(message: string): ModelError {
  return new ModelError('MODEL_INVALID', `The model file is not readable (${message}). Retrain it with \`npm run train\`.`);
}

/**
 * Parses a model file (v8 binary; v7, v6, v5, v4 and v3 binary and v2 gzipped JSON from before) and checks it was trained
 * with the feature spec this code computes: a model fed features it was not trained on would still
 * answer, just wrongly, so that is an error.
 */
export function parseModel(bytes: Uint8Array, expectedSpec: FeatureSpec): EmotionModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binary = formatOf(buf);
  if (binary) return modelOf(readBinary<Arrays>(buf, expectedSpec, binary.version, binary.sections), binary.version);
  const file = hasMagic(buf, MAGIC_V3) ? parseV3(buf, expectedSpec) : parseJson(buf, expectedSpec);
  const { forest, linear, scaler, ...meta } = file;
  return new EmotionModel(meta, Members.fromJSON({ forest, linear, scaler }));
}

/**
 * An older model file rewritten in the current format (`npm run model:convert`), checked as loading checks it
 * and answering the same: a v4-v7 binary file section by section (its children made relative, the sections it
 * lacked empty), a v3 or v2 one through the fitted objects training produces.
 */
export function convertModelBytes(bytes: Uint8Array, expectedSpec: FeatureSpec): { bytes: Buffer; fromVersion: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binary = formatOf(buf);
  if (binary?.version === MODEL_FORMAT_VERSION) throw new ModelError('MODEL_INVALID', `The model file is already binary format v${MODEL_FORMAT_VERSION}: nothing to convert.`);
  if (!binary) {
    const file = hasMagic(buf, MAGIC_V3) ? parseV3(buf, expectedSpec) : parseJson(buf, expectedSpec);
    return { bytes: serializeModel({ ...file, formatVersion: MODEL_FORMAT_VERSION }), fromVersion: file.formatVersion };
  }
  const { version } = binary;
  const read = readBinary<Arrays>(buf, expectedSpec, version, binary.sections);
  modelOf(read, version); // every check loading makes
  const { header, a } = read;
  const none = (kind: SectionKind) => new TYPED[kind](0);
  const arrays = Object.fromEntries(SECTIONS.map(([name, kind]) => [name, a[name] ?? none(kind)])) as unknown as Arrays;
  Object.assign(arrays, childSections(relativeChildren(a.left as Int32Array, a.right as Int32Array)));
  return { bytes: writeBinary({ ...header, formatVersion: MODEL_FORMAT_VERSION }, arrays), fromVersion: version };
}

const hasMagic = (buf: Buffer, magic: Buffer): boolean => buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
const BINARY_PREFIX = MAGIC.subarray(0, MAGIC.length - 1);

/**
 * The binary format (v4-v8) whose magic the file starts with; undefined for v3 and JSON files. A binary file of a
 * version this code does not read (a newer ser-bot's, most likely) is refused here, saying so, not "invalid JSON".
 */
function formatOf(buf: Buffer): BinaryFormat | undefined {
  const format = BINARY_FORMATS.find((f) => hasMagic(buf, f.magic));
  if (format || buf.length < MAGIC.length || !hasMagic(buf, BINARY_PREFIX) || hasMagic(buf, MAGIC_V3)) return format;
  const version = buf[MAGIC.length - 1];
  throw new ModelError(
    'MODEL_INVALID',
    version > MODEL_FORMAT_VERSION
      ? `The model file is binary format v${version}, newer than this code reads (v${JSON_FORMAT_VERSION} to v${MODEL_FORMAT_VERSION}): update ser-bot, or use a model trained by this version.`
      : `The model file says binary format v${version}, which no ser-bot wrote: it is damaged. Retrain it with \`npm run train\`.`,
  );
}

/** A v2 (gzipped) JSON model file, as the fitted objects training produces. */
function parseJson(buf: Buffer, expectedSpec: FeatureSpec): ModelFile {
  if (!buf.length) throw invalid('it is empty');
  let file: ModelFile;
  try {
    const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
    file = JSON.parse(raw.toString('utf8')) as ModelFile;
  } catch {
    throw invalid('neither a binary model nor JSON');
  }
  checkMeta(file, expectedSpec, JSON_FORMAT_VERSION);
  return file;
}

/** The header and the typed-array sections of a binary file: views on the file's own bytes (zero copy) when aligned. */
function readBinary<A extends { [K in keyof A]: Typed }>(buf: Buffer, expectedSpec: FeatureSpec, version: number, sections: [keyof A & string, SectionKind][]): { header: Header; a: A } {
  if (buf.length < 12) throw invalid('cut short');
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength > buf.length) throw invalid('cut short in its header');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Header;
  } catch {
    throw invalid('its header is damaged');
  }
  // The checksum covers the sections, not the header: a damaged header is caught by what it must say.
  if (header?.format !== MODEL_FORMAT || header.formatVersion !== version) throw invalid(`its header is damaged (it does not say format v${version}, as the file's first bytes do)`);
  checkMeta(header, expectedSpec, version);
  const start = pad8(12 + headerLength);
  if (crc32(buf.subarray(start)) !== header.crc32) throw invalid('its checksum does not match: the file is damaged');
  // A Buffer read from a file starts 8-byte aligned; anything else is copied once.
  const aligned = (buf.byteOffset + start) % 8 === 0 ? buf : Buffer.from(buf);
  const base = aligned.byteOffset + start;
  const a: Record<string, Typed> = {};
  let offset = 0;
  for (const [name, kind] of sections) {
    const n = header.sections?.[name];
    const T = TYPED[kind];
    if (!Number.isInteger(n) || n < 0 || start + offset + n * T.BYTES_PER_ELEMENT > buf.length) throw invalid(`section ${name} is missing or cut short`);
    a[name] = new T(aligned.buffer as ArrayBuffer, base + offset, n);
    offset += pad8(n * T.BYTES_PER_ELEMENT);
  }
  const d = header.nFeatures;
  if (a.mean.length !== d || a.scale.length !== d) throw invalid('scaler of the wrong size');
  if (a.leafRows.length % header.nClasses !== 0) throw invalid('leaf rows of the wrong width');
  return { header, a: a as A };
}

/** The readable part of a binary header, without the layout fields. */
function metaOf(header: Header): ModelMeta {
  const { nClasses: _c, nFeatures: _d, projectionFrom: _p, sections: _s, crc32: _crc, ...meta } = header;
  return meta;
}

/** The model in a v4-v8 file's header and sections (readBinary), with every check of how they fit together. */
function modelOf({ header, a }: { header: Header; a: Arrays }, version: number): EmotionModel {
  const { nClasses: C, nFeatures: d } = header;
  const nSplits = a.feature.length;
  // v8: narrow children or wide ones, never both. Before v8: split indices, made relative here (a copy, checked).
  const narrow = (a.left16?.length ?? 0) > 0 || (a.right16?.length ?? 0) > 0;
  if (a.cut.length !== nSplits || (narrow ? a.left16 : a.left).length !== nSplits || (narrow ? a.right16 : a.right).length !== nSplits || (narrow && (a.left.length || a.right.length))) throw invalid('forest sections of different sizes');
  let children: Pick<FlatForest, 'left' | 'right'>;
  if (narrow) children = { left: a.left16, right: a.right16 };
  else if (version >= 8) children = { left: a.left as Uint32Array, right: a.right as Uint32Array };
  else {
    try {
      children = relativeChildren(a.left as Int32Array, a.right as Int32Array);
    } catch (e) {
      throw invalid((e as Error).message);
    }
  }
  const flat: FlatForest = { nClasses: C, nFeatures: d, roots: a.roots, feature: a.feature, cut: a.cut, cuts: a.cuts, ...children, leafRows: a.leafRows };
  let linear: LogisticRegression;
  let mlp: Mlp | null = null;
  try {
    linear = LogisticRegression.fromArrays(C, d, a.weights, a.bias);
    if (a.mlpB1?.length) mlp = Mlp.fromArrays(C, d, a.mlpB1.length, a.mlpW1, a.mlpB1, a.mlpW2, a.mlpB2);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  const meta = metaOf(header);
  if (!mlp && meta.mlpWeight) throw invalid('a blend weight for an MLP it does not hold');
  if (meta.pool !== undefined && (version < 8 || meta.pool !== 'log' || typeof meta.poolEps !== 'number' || !(meta.poolEps > 0 && meta.poolEps < 1))) throw invalid('a way of pooling its members it does not know');
  const offsets = meta.calibration?.offsets;
  if (offsets !== undefined && (version < 7 || !Array.isArray(offsets) || offsets.length !== C || !offsets.every(Number.isFinite))) throw invalid('calibration offsets that do not fit its classes');
  const projection = projectionOf(header, a);
  if ((a.trainedClips?.length ?? 0) % 2) throw invalid('a training clip list of the wrong length');
  return new EmotionModel(meta, new Members({ mean: a.mean, scale: a.scale }, linear, RandomForest.fromFlat(flat), mlp, projection && new Projector(projection)), a.trainedClips);
}

/** The projection sections as a ProjectionJson, checked against the widths around it; null when the file has none. */
function projectionOf(header: Header, a: Arrays): ProjectionJson | null {
  const p = a.projectionMean?.length ?? 0;
  if (header.projectionFrom === undefined) {
    if (p || a.projectionLoadings?.length) throw invalid('projection sections without their start');
    return null;
  }
  const from = header.projectionFrom, k = header.nFeatures - from;
  const width = header.featureSpec.names.length;
  if (!Number.isInteger(from) || from < 0 || k < 1 || from + p !== width || a.projectionLoadings.length !== k * p) throw invalid('a projection of the wrong size');
  return { from, mean: a.projectionMean, loadings: a.projectionLoadings };
}

/** A v3 file as the fitted objects (its trees rebuilt from the flat node slots). */
function parseV3(buf: Buffer, expectedSpec: FeatureSpec): ModelFile {
  const { header, a } = readBinary<ArraysV3>(buf, expectedSpec, 3, SECTIONS_V3);
  const { nClasses: C, nFeatures: d } = header;
  const nNodes = a.feature.length;
  if (a.threshold.length !== nNodes || a.next.length !== nNodes || a.weights.length !== C * d || a.bias.length !== C) throw invalid('sections of different sizes');
  const leaves = Array.from({ length: a.leafRows.length / C }, (_, r) => Array.from(a.leafRows.subarray(r * C, (r + 1) * C)));
  const trees: TreeJson[] = Array.from(a.roots, (root, t) => {
    const end = t + 1 < a.roots.length ? a.roots[t + 1] : nNodes;
    if (!(root >= 0 && root < end && end <= nNodes)) throw invalid('tree bounds out of order');
    const tree: TreeJson = { feature: [], threshold: [], right: [], leaf: [], leaves };
    for (let n = root; n < end; n++) {
      const split = a.feature[n] >= 0;
      if (split ? !(a.next[n] > n && a.next[n] < end) : !(a.next[n] >= 0 && a.next[n] < leaves.length)) throw invalid('a node points outside its tree');
      tree.feature.push(a.feature[n]);
      tree.threshold.push(a.threshold[n]);
      tree.right.push(split ? a.next[n] - root : -1);
      tree.leaf.push(split ? -1 : a.next[n]);
    }
    return tree;
  });
  return {
    ...metaOf(header),
    scaler: { mean: Array.from(a.mean), scale: Array.from(a.scale) },
    linear: { nClasses: C, nFeatures: d, weights: Array.from({ length: C }, (_, c) => Array.from(a.weights.subarray(c * d, (c + 1) * d))), bias: Array.from(a.bias) },
    forest: { nClasses: C, nFeatures: d, trees },
  } as ModelFile;
}

/** Format, classes and feature spec, shared by both formats. */
function checkMeta(file: Partial<ModelMeta> | null, expectedSpec: FeatureSpec, version: number): void {
  if (file?.format !== MODEL_FORMAT || file.formatVersion !== version) {
    const older = file?.format === MODEL_FORMAT && typeof file.formatVersion === 'number' && file.formatVersion < JSON_FORMAT_VERSION;
    throw new ModelError(
      'MODEL_INVALID',
      older
        ? `The model file is format v${file.formatVersion}, from an older ser-bot; this code reads v${JSON_FORMAT_VERSION} to v${MODEL_FORMAT_VERSION}. Retrain it with \`npm run train\` (or use the shipped ${DEFAULT_MODEL_PATH}).`
        : `Not a ser-bot model file (format ${String(file?.format)} v${String(file?.formatVersion)}; expected ${MODEL_FORMAT} v${MODEL_FORMAT_VERSION}).`,
    );
  }
  if (file.classes?.join() !== EMOTIONS.join()) {
    throw new ModelError('MODEL_INVALID', `The model's classes (${file.classes?.join(', ')}) are not the product's 7 emotions.`);
  }
  const spec = file.featureSpec;
  if (spec?.version === expectedSpec.version && spec.names?.join() !== expectedSpec.names.join()) {
    throw new ModelError(
      'MODEL_SPEC_MISMATCH',
      `The model's feature list is not this code's feature spec ${spec.version}, though both carry that name: the file is damaged, or one of them was changed without a new spec version. Retrain it with \`npm run train\`.`,
      { modelSpec: spec.version, codeSpec: expectedSpec.version },
    );
  }
  if (spec?.version !== expectedSpec.version || spec.names?.join() !== expectedSpec.names.join()) {
    throw new ModelError(
      'MODEL_SPEC_MISMATCH',
      `The model was trained with feature spec ${spec?.version} (${spec?.names?.length} features) but this code computes ` +
        `${expectedSpec.version} (${expectedSpec.names.length} features). Retrain it with \`npm run train\`.`,
      { modelSpec: spec?.version, codeSpec: expectedSpec.version },
    );
  }
}
