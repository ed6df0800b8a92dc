// The versioned model file (gzipped JSON) and the loaded EmotionModel that predicts with it.
import { gunzipSync, gzipSync } from 'node:zlib';
import { EMOTIONS, type EmotionLabel } from '../emotions.js';
import { ModelError } from '../errors.js';
import type { DecisionRules } from '../decision.js';
import type { FeatureSpec } from '../features/spec.js';
import { calibrate, type Calibration } from './calibration.js';
import { RandomForest, type ForestJson } from './forest.js';
import { scale, type ScalerJson } from './scaler.js';

export const MODEL_FORMAT = 'ser-bot-model';
export const MODEL_FORMAT_VERSION = 1;

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

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  classes: EmotionLabel[];
  featureSpec: FeatureSpec;
  scaler: ScalerJson;
  calibration: Calibration;
  rules: DecisionRules;
  card: ModelCard;
  forest: ForestJson;
}

export class EmotionModel {
  readonly file: Omit<ModelFile, 'forest'>;
  private readonly forest: RandomForest;

  constructor(file: ModelFile) {
    const { forest, ...rest } = file;
    this.file = rest;
    this.forest = RandomForest.fromJSON(forest);
  }

  get card(): ModelCard {
    return this.file.card;
  }

  get rules(): DecisionRules {
    return this.file.rules;
  }

  /** Raw forest probabilities in EMOTIONS order (before calibration). */
  predictRaw(features: ArrayLike<number>): Float64Array {
    return this.forest.predictProba(scale(this.file.scaler, features));
  }

  /** Calibrated probabilities in EMOTIONS order. */
  predict(features: ArrayLike<number>): Float64Array {
    return calibrate(this.predictRaw(features), this.file.calibration);
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
    throw new ModelError('MODEL_INVALID', `Not a ser-bot model file (format ${String(file?.format)} v${String(file?.formatVersion)}; expected ${MODEL_FORMAT} v${MODEL_FORMAT_VERSION}).`);
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
