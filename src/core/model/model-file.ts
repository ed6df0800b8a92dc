// The versioned model file and the loaded EmotionModel that predicts with it.
//
// Format v3 is binary: a JSON header (card, spec, rules: what a person may want to read) and typed-array
// sections (scaler, logistic weights, the flattened forest with each distinct leaf row once, as
// float32). It loads in a few ms with the file's size in memory; v2 (gzipped JSON, 3.5 MB parsed
// into ~37 MB of objects in ~265 ms) is still read, so a model trained before stays usable.
import { crc32, gunzipSync } from 'node:zlib';
import { EMOTIONS, type EmotionLabel } from '../emotions.js';
import { ModelError } from '../errors.js';
import type { DecisionRules } from '../decision.js';
import type { FeatureSpec } from '../features/spec.js';
import type { Calibration } from './calibration.js';
import { applyBlend, blend, Members, type EnsembleJson } from './ensemble.js';
import { applyGuard, type Guard } from './guard.js';
import { flattenForest, RandomForest, type FlatForest } from './forest.js';
import { LogisticRegression } from './logistic.js';
import { DEFAULT_MODEL_PATH } from './default-path.js';

export { DEFAULT_MODEL_PATH };

export const MODEL_FORMAT = 'ser-bot-model';
/** 1: forest only. 2: forest + logistic regression, blended (ensemble.ts), gzipped JSON. 3: the same, binary. */
export const MODEL_FORMAT_VERSION = 3;
/** The JSON format still read. */
const JSON_FORMAT_VERSION = 2;
/** The first 8 bytes of a v3 file. */
const MAGIC = Buffer.from('SERBOTM\x03', 'latin1');

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
}

/** What the file says besides the fitted numbers. */
export type ModelMeta = Omit<ModelFile, 'forest' | 'linear' | 'scaler'>;

export class EmotionModel {
  constructor(
    readonly file: ModelMeta,
    private readonly members: Members,
  ) {}

  get card(): ModelCard {
    return this.file.card;
  }

  get rules(): DecisionRules {
    return this.file.rules;
  }

  /** Blended probabilities in EMOTIONS order (before calibration). */
  predictRaw(features: ArrayLike<number>): Float64Array {
    return blend(this.members.predict(features), this.file.forestWeight);
  }

  /** Calibrated probabilities in EMOTIONS order, the out-of-distribution guard applied: the very steps training scored out of fold. */
  predict(features: ArrayLike<number>): Float64Array {
    const m = this.members.predict(features);
    return applyGuard(applyBlend(m, { forestWeight: this.file.forestWeight, calibration: this.file.calibration }), m.atypicality, this.file.guard);
  }
}

/** The typed-array sections of a v3 file, in file order. */
type SectionKind = 'f64' | 'f32' | 'i32';
interface Arrays {
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
const SECTIONS: [keyof Arrays, SectionKind][] = [
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
const TYPED = { f64: Float64Array, f32: Float32Array, i32: Int32Array };

/** v3 header: the readable part, and the length of each section (in elements). */
interface Header extends ModelMeta {
  nClasses: number;
  nFeatures: number;
  sections: Record<keyof Arrays, number>;
  /** CRC-32 of everything after the header: a damaged file is refused, not read as a forest whose jumps go anywhere. */
  crc32: number;
}

const pad8 = (n: number): number => (n + 7) & ~7;

/** Binary v3. Fixed key order and layout: same model → same bytes. */
export function serializeModel(file: ModelFile): Buffer {
  const { forest, linear, scaler, ...meta } = file;
  const flat = flattenForest(forest);
  const arrays: Arrays = {
    mean: Float64Array.from(scaler.mean),
    scale: Float64Array.from(scaler.scale),
    weights: Float64Array.from(linear.weights.flat()),
    bias: Float64Array.from(linear.bias),
    roots: flat.roots,
    feature: flat.feature,
    threshold: flat.threshold,
    next: flat.next,
    leafRows: flat.leafRows,
  };
  const header: Header = {
    ...meta,
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    nClasses: forest.nClasses,
    nFeatures: forest.nFeatures,
    sections: Object.fromEntries(SECTIONS.map(([name]) => [name, arrays[name].length])) as Header['sections'],
    crc32: 0,
  };
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

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function invalid(message: string): ModelError {
  return new ModelError('MODEL_INVALID', `The model file is not readable (${message}). Retrain it with \`npm run train\`.`);
}

/**
 * Parses a model file (v3 binary, or v2 gzipped JSON) and checks it was trained with the feature spec
 * this code computes: a model fed features it was not trained on would still answer, just wrongly,
 * so that is an error.
 */
export function parseModel(bytes: Uint8Array, expectedSpec: FeatureSpec): EmotionModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= MAGIC.length && buf.subarray(0, MAGIC.length).equals(MAGIC)) return parseBinary(buf, expectedSpec);
  const file = parseJson(buf);
  checkMeta(file, expectedSpec, JSON_FORMAT_VERSION);
  const { forest, linear, scaler, ...meta } = file;
  return new EmotionModel(meta, Members.fromJSON({ forest, linear, scaler }));
}

/** A v2 (gzipped) JSON model file, as the fitted objects training produces. */
function parseJson(buf: Buffer): ModelFile {
  try {
    const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
    return JSON.parse(raw.toString('utf8')) as ModelFile;
  } catch (e) {
    throw invalid((e as Error).message);
  }
}

function parseBinary(buf: Buffer, expectedSpec: FeatureSpec): EmotionModel {
  if (buf.length < 12) throw invalid('cut short');
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength > buf.length) throw invalid('cut short in its header');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as Header;
  } catch (e) {
    throw invalid((e as Error).message);
  }
  checkMeta(header, expectedSpec, MODEL_FORMAT_VERSION);
  const start = pad8(12 + headerLength);
  if (crc32(buf.subarray(start)) !== header.crc32) throw invalid('its checksum does not match: the file is damaged');
  // Views on the file's own bytes when they are 8-byte aligned (a Buffer read from a file is), else one copy.
  const aligned = (buf.byteOffset + start) % 8 === 0 ? buf : Buffer.from(buf);
  const base = aligned.byteOffset + start;
  const arrays = {} as Record<keyof Arrays, Float64Array | Float32Array | Int32Array>;
  let offset = 0;
  for (const [name, kind] of SECTIONS) {
    const n = header.sections?.[name];
    const T = TYPED[kind];
    if (!Number.isInteger(n) || n < 0 || start + offset + n * T.BYTES_PER_ELEMENT > buf.length) throw invalid(`section ${name} is missing or cut short`);
    arrays[name] = new T(aligned.buffer as ArrayBuffer, base + offset, n);
    offset += pad8(n * T.BYTES_PER_ELEMENT);
  }
  const a = arrays as Arrays;
  const { nClasses: C, nFeatures: d } = header;
  const flat: FlatForest = { nClasses: C, nFeatures: d, roots: a.roots, feature: a.feature, threshold: a.threshold, next: a.next, leafRows: a.leafRows };
  if (a.mean.length !== d || a.scale.length !== d) throw invalid('scaler of the wrong size');
  if (flat.leafRows.length % C !== 0 || flat.threshold.length !== flat.feature.length || flat.next.length !== flat.feature.length) throw invalid('forest sections of different sizes');
  const { nClasses: _c, nFeatures: _d, sections: _s, crc32: _crc, ...meta } = header;
  let linear: LogisticRegression;
  try {
    linear = LogisticRegression.fromArrays(C, d, a.weights, a.bias);
  } catch (e) {
    throw invalid((e as Error).message);
  }
  return new EmotionModel(meta, new Members({ mean: a.mean, scale: a.scale }, linear, RandomForest.fromFlat(flat)));
}

/** Format, classes and feature spec, shared by both formats. */
function checkMeta(file: Partial<ModelMeta> | null, expectedSpec: FeatureSpec, version: number): void {
  if (file?.format !== MODEL_FORMAT || file.formatVersion !== version) {
    const older = file?.format === MODEL_FORMAT && typeof file.formatVersion === 'number' && file.formatVersion < JSON_FORMAT_VERSION;
    throw new ModelError(
      'MODEL_INVALID',
      older
        ? `The model file is format v${file.formatVersion}, from an older ser-bot; this code reads v${JSON_FORMAT_VERSION} and v${MODEL_FORMAT_VERSION}. Retrain it with \`npm run train\` (or use the shipped ${DEFAULT_MODEL_PATH}).`
        : `Not a ser-bot model file (format ${String(file?.format)} v${String(file?.formatVersion)}; expected ${MODEL_FORMAT} v${MODEL_FORMAT_VERSION}).`,
    );
  }
  if (file.classes?.join() !== EMOTIONS.join()) {
    throw new ModelError('MODEL_INVALID', `The model's classes (${file.classes?.join(', ')}) are not the product's 7 emotions.`);
  }
  const spec = file.featureSpec;
  if (spec?.version !== expectedSpec.version || spec.names?.join() !== expectedSpec.names.join()) {
    throw new ModelError(
      'MODEL_SPEC_MISMATCH',
      `The model was trained with feature spec ${spec?.version} (${spec?.names?.length} features) but this code computes ` +
        `${expectedSpec.version} (${expectedSpec.names.length} features). Retrain it with \`npm run train\`.`,
      { modelSpec: spec?.version, codeSpec: expectedSpec.version },
    );
  }
}
