// The versioned model file (gzipped JSON) and the loaded EmotionModel that predicts with it.
import { gunzipSync, gzipSync } from 'node:zlib';
import { EMOTIONS, type EmotionLabel } from '../emotions.js';
import { ModelError } from '../errors.js';
import type { DecisionRules } from '../decision.js';
import type { FeatureSpec } from '../features/spec.js';
import type { Calibration } from './calibration.js';
import { applyBlend, blend, Members, type EnsembleJson } from './ensemble.js';
import { applyGuard, type Guard } from './guard.js';

export const MODEL_FORMAT = 'ser-bot-model';
/** 1: forest only. 2: forest + logistic regression, blended (ensemble.ts). */
export const MODEL_FORMAT_VERSION = 2;

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
  formatVersion: typeof MODEL_FORMAT_VERSION;
  classes: EmotionLabel[];
  featureSpec: FeatureSpec;
  calibration: Calibration;
  rules: DecisionRules;
  card: ModelCard;
  /** Out-of-distribution guard (guard.ts); absent or null: none. */
  guard?: Guard | null;
}

export class EmotionModel {
  readonly file: Omit<ModelFile, 'forest' | 'linear' | 'scaler'>;
  private readonly members: Members;

  constructor(file: ModelFile) {
    const { forest, linear, scaler, ...rest } = file;
    this.file = rest;
    this.members = new Members({ scaler, linear, forest });
  }

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

export function serializeModel(file: ModelFile): Buffer {
  // Fixed key order (object literal order) and fixed gzip settings: same model → same bytes.
  return gzipSync(Buffer.from(JSON.stringify(file)), { level: 9 });
}

/**
 * Parses a model file and checks it was trained with the feature spec this code computes: a model
 * fed features it was not trained on would still answer, just wrongly, so that is an error.
 */
export function parseModel(bytes: Uint8Array, expectedSpec: FeatureSpec): EmotionModel {
  let file: ModelFile;
  try {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes);
    file = JSON.parse(raw.toString('utf8')) as ModelFile;
  } catch (e) {
    throw new ModelError('MODEL_INVALID', `The model file is not readable (${(e as Error).message}). Retrain it with \`npm run train\`.`);
  }
  if (file?.format !== MODEL_FORMAT || file.formatVersion !== MODEL_FORMAT_VERSION) {
    const older = file?.format === MODEL_FORMAT && typeof file.formatVersion === 'number' && file.formatVersion < MODEL_FORMAT_VERSION;
    throw new ModelError(
      'MODEL_INVALID',
      older
        ? `The model file is format v${file.formatVersion}, from an older ser-bot; this code reads v${MODEL_FORMAT_VERSION}. Retrain it with \`npm run train\` (or use the shipped models/ser-model.json.gz).`
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
  return new EmotionModel(file);
}
