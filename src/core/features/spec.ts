// The feature spec: the ordered names of the feature vector and the version of the computation behind them.
import { N_FORMANTS } from './formants.js';
import { N_MELS } from './mel.js';

export interface FeatureSpec {
  version: string;
  names: readonly string[];
}

/** Summaries of a per-frame track over the selected frames (see stats.ts for the exact definitions). */
export type Functional = 'mean' | 'std' | 'p10' | 'p50' | 'p90' | 'range' | 'slope';

const BASIC: readonly Functional[] = ['mean', 'std'];
const FULL: readonly Functional[] = ['mean', 'std', 'p10', 'p50', 'p90', 'range', 'slope'];

/**
 * One block of the vector: a per-frame track summarised by functionals over speech frames (or, for
 * F0, over voiced frames), or one utterance-level scalar.
 */
export type LayoutEntry =
  /** 'voiced': voiced frames where the track was measured (NaN marks a frame it could not be, e.g. no formant). */
  | { kind: 'track'; track: string; frames: 'speech' | 'voiced'; functionals: readonly Functional[] }
  | { kind: 'scalar'; name: string };

export const N_MFCC = 20;
export const N_CHROMA = 12;
export const N_CONTRAST = 7;
export const N_TONNETZ = 6;
/** Low, mid and high log-mel band groups (voice-quality.ts MEL_SLOPE_REGIONS). */
export const N_MEL_SLOPES = 3;
/** Utterance-level contour shape (contours.ts), in the order extract.ts writes them. */
export const CONTOUR_SCALARS = [
  'mod_1_2', 'mod_2_4', 'mod_4_8', 'mod_8_16', 'mod_centroid',
  'f0_rate_std', 'f0_rate_abs', 'f0_rise_share', 'f0_fall_share', 'f0_half_diff', 'f0_last_quarter', 'f0_first_quarter',
  'f0_max_above_median', 'f0_median_above_min',
  'attack_mean', 'decay_mean', 'attack_p90', 'decay_p10', 'voiced_over_unvoiced_db',
  'voiced_runs_per_sec', 'voiced_run_mean', 'voiced_run_std', 'voiced_run_max',
] as const;
/**
 * f7: the utterance's shape relative to its own voice (pitch-shape.ts, level-shape.ts, band-modulation.ts,
 * voiced-spectrum.ts, formant-shape.ts), in the order extract.ts writes them.
 */
export const PITCH_SHAPE = [
  'f0_p10_below_median', 'f0_p90_above_median', 'f0_iqr', 'f0_curvature', 'f0_curve_residual', 'f0_second_diff',
  'f0_run_slope_mean', 'f0_run_slope_abs', 'f0_run_range_mean', 'f0_last_run_slope', 'f0_level_corr',
] as const;
export const LEVEL_SHAPE = [
  'level_p25_below_loud', 'level_p50_below_loud', 'level_p75_below_loud', 'near_loud_share', 'voiced_level_std',
  'pause_mean', 'pauses_per_sec',
] as const;
export const BAND_MODULATION = [0, 1, 2, 3].flatMap((g) => [`band${g}_mod_2_4`, `band${g}_mod_4_8`, `band${g}_mod_8_16`, `band${g}_mod_centroid`]);
export const VOICED_SPECTRUM = [
  'ltas_voiced_tilt', 'ltas_voiced_curvature', 'ltas_unvoiced_tilt', 'ltas_tilt_voiced_minus_unvoiced',
  ...[0, 1, 2, 3].map((g) => `ltas_voiced_band${g}`), ...[0, 1, 2, 3].map((g) => `ltas_band${g}_voiced_minus_unvoiced`),
];
export const TEAGER = ['teager_mean', 'teager_std'] as const;
export const FORMANT_SHAPE = ['formant_dispersion', 'formant_f2_f1_octaves', 'formant_f1_octave_std'] as const;
export const PERIODICITY = ['periodicity_p90', 'strongly_periodic_share'] as const;
/** f10: the log share of the speech frames each Gaussian of the read-speech frame mixture holds (frame-mixture.ts). */
export const N_FRAME_OCCUPANCY = 32;
export const FRAME_OCCUPANCY = Array.from({ length: N_FRAME_OCCUPANCY }, (_, k) => `frame_occupancy${k}`);
/**
 * f10: where each Gaussian's frames sit against its centre (the first-order Fisher vector: 32 Gaussians × 38 frame
 * dimensions, frame-mixture.ts). 1,216 numbers are too many for a few thousand clips: the model reads them through
 * a projection fitted on its own training rows (PROJECTED_FROM).
 */
export const FRAME_OFFSETS = Array.from({ length: N_FRAME_OCCUPANCY * 2 * (N_MFCC - 1) }, (_, k) => `fv${k}`);
/** MFCCs worth the percentile/slope treatment: the low-order shape of the spectral envelope. */
const FULL_MFCC = new Set([1, 2, 3, 4]);

const track = (name: string, functionals: readonly Functional[], frames: 'speech' | 'voiced' = 'speech'): LayoutEntry =>
  ({ kind: 'track', track: name, frames, functionals });
const scalar = (name: string): LayoutEntry => ({ kind: 'scalar', name });
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const LAYOUT: readonly LayoutEntry[] = [
  ...range(N_MFCC).map((i) => track(`mfcc${i}`, FULL_MFCC.has(i) ? FULL : BASIC)),
  // The mean of a derivative over an utterance is ~0 (it telescopes); what is left comes from the frames where
  // the delta window straddles a pause, i.e. from the floor, and 24 dB quieter it moved answers (f8 dropped the
  // first derivative's mean: models/EXPERIMENTS.md). Only their spread says something about the voice.
  ...range(N_MFCC).map((i) => track(`dmfcc${i}`, ['std'])),
  ...range(N_MFCC).map((i) => track(`ddmfcc${i}`, ['std'])),
  track('centroid', FULL),
  track('bandwidth', BASIC),
  track('rolloff', BASIC),
  track('flatness', BASIC),
  track('flux', BASIC),
  track('alpha_ratio', BASIC),
  track('hammarberg', BASIC),
  track('zcr', BASIC),
  track('rms', BASIC),
  track('rmsdb', FULL),
  ...range(N_CHROMA).map((i) => track(`chroma${i}`, BASIC)),
  ...range(N_CONTRAST).map((i) => track(`contrast${i}`, BASIC)),
  ...range(N_TONNETZ).map((i) => track(`tonnetz${i}`, BASIC)),
  track('hpss_harm_db', BASIC),
  track('hpss_perc_db', BASIC),
  track('hpss_harm_ratio', BASIC),
  track('f0', FULL, 'voiced'),
  // Voice quality, measured where there is a voice to measure.
  track('hnr', ['mean', 'std', 'p10', 'p50', 'p90'], 'voiced'),
  track('cpp', ['mean', 'std', 'p50', 'p90'], 'voiced'),
  track('h1h2', ['mean', 'std', 'p50'], 'voiced'),
  track('h1a3', ['mean', 'std', 'p50'], 'voiced'),
  ...range(N_MEL_SLOPES).map((i) => track(`mel_slope${i}`, BASIC, 'voiced')),
  // Resonances of the vocal tract (formants.ts), where they could be measured.
  ...range(N_FORMANTS).map((i) => track(`formant_f${i + 1}`, ['mean', 'std', 'p50'], 'voiced')),
  ...range(N_FORMANTS).map((i) => track(`formant_bw${i + 1}`, BASIC, 'voiced')),
  // The spectral envelope's shape band by band (each band relative to the frame's mean level, so
  // loudness contours do not dominate it), and how fast each band moves.
  ...range(N_MELS).map((i) => track(`mel_rel${i}`, BASIC)),
  ...range(N_MELS).map((i) => track(`dmel${i}`, ['std'])),
  scalar('voiced_fraction'),
  scalar('voicing_strength'),
  scalar('jitter'),
  scalar('shimmer'),
  scalar('syllable_rate'),
  scalar('pause_ratio'),
  ...CONTOUR_SCALARS.map(scalar),
  ...[...PITCH_SHAPE, ...LEVEL_SHAPE, ...BAND_MODULATION, ...VOICED_SPECTRUM, ...TEAGER, ...FORMANT_SHAPE, ...PERIODICITY].map(scalar),
  ...FRAME_OCCUPANCY.map(scalar),
  ...FRAME_OFFSETS.map(scalar),
];

function layoutNames(layout: readonly LayoutEntry[]): string[] {
  return layout.flatMap((e) => (e.kind === 'scalar' ? [e.name] : e.functionals.map((f) => `${e.track}_${f}`)));
}

/**
 * Bump `version` whenever any computation changes: a model trained on another version is refused.
 * f1: first pipeline. f2: frame level (rms, rmsdb, speech frames, shimmer, syllables) from the
 * Hann-windowed frame energy instead of a rectangular frame. f3: F0 chosen along the best path
 * through each step's correlation peaks (octave jumps cost), not per step. f4: voice quality on
 * voiced frames (HNR, CPP, H1–H2, H1–A3, log-mel slopes) and contour shape (level modulation
 * spectrum, F0 movement, attack/decay, voiced stretches): +1.9 points grouped-CV accuracy.
 * f5: LPC formants F1–F3 with bandwidths, log-mel bands relative to the frame mean (mean, std) and
 * the spread of each band's delta: +2.5 points for the forest + logistic blend (models/EXPERIMENTS.md).
 * f6: a fixed white floor 30 dB below the normalised speech is added before analysis, so quiet
 * 16-bit recordings (whose quantisation floor sits 35–45 dB below the voice) and clean studio
 * silence give the same features (extract.ts, NOISE_FLOOR_DB).
 * f7: 53 utterance-shape scalars relative to the clip's own voice (PITCH_SHAPE … PERIODICITY): RAVDESS +3.0
 * points out of fold on the three corpora, CREMA-D +0.6 (models/EXPERIMENTS.md).
 * f8: spectral contrast's peak and valley are the means of a band's top and bottom fifth (contrast.ts), not
 * one or two bins, so the 4–8 kHz valley no longer follows a quiet recording's quantisation noise; no delta-MFCC
 * means (pause edges, i.e. the floor). 24 dB quieter as 16-bit, 97.3 % of answers unchanged out of fold
 * on fold seeds 42 and 7 (f7: 95.8 / 95.9; models/EXPERIMENTS.md).
 * f9 (research, not shipped): FRAME_OCCUPANCY alone. f10: how the speech frames spread over a fixed mixture of
 * read speech (frame-mixture.ts): FRAME_OCCUPANCY, then FRAME_OFFSETS, which the model reduces by a projection
 * fitted on its training clips (PROJECTED_FROM; model/projection.ts). Out of fold on five fold seeds: RAVDESS
 * 62.8 → 64.1 %, CREMA-D 55.8 → 57.2 %, read speech neutral or unsure 94.9 → 97.4 % (models/EXPERIMENTS.md).
 * All versions: 16 kHz, 512-point Hann STFT every 10 ms; input DC-removed and scaled to unit RMS
 * first, so every feature is gain-invariant (the absolute level is reported by loudness(), not here).
 */
export const FEATURE_SPEC: FeatureSpec = Object.freeze({
  version: 'f10',
  names: Object.freeze(layoutNames(LAYOUT)),
});

/** Where the projected block (FRAME_OFFSETS, the vector's last features) starts: every feature before it is read as it is. */
export const PROJECTED_FROM = FEATURE_SPEC.names.length - FRAME_OFFSETS.length;
