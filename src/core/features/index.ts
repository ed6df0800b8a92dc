// The features room: PCM → one named, gain-invariant feature vector, and the spec that names it.
export { FEATURE_SPEC, type FeatureSpec } from './spec.js';
export { extractFeatures } from './extract.js';
export { loudness, type LoudnessInfo } from './loudness.js';
