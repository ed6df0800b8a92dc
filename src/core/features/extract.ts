// extractFeatures(): speech samples → the named feature vector of FEATURE_SPEC (the one function train and predict share).
import { featureKernels, noiseFloorKernel } from '../dsp/fft.js';
import { Reused } from '../dsp/reuse.js';
import { chromaOfLoaded } from './chroma.js';
import { contours } from './contours.js';
import { spectralContrast } from './contrast.js';
import { deltas } from './deltas.js';
import { bandModulation } from './band-modulation.js';
import { formantShape } from './formant-shape.js';
import { formantTracks, N_FORMANTS } from './formants.js';
import { frameMixtureFeatures, frameVectors } from './frame-mixture.js';
import { harmonicPercussive } from './hpss.js';
import { logMel, melTracks, N_MELS } from './mel.js';
import { mfcc } from './mfcc.js';
import { decimate, pitchTrack } from './pitch.js';
import { periodicity, pitchShape } from './pitch-shape.js';
import { levelShape } from './level-shape.js';
import { prosody } from './prosody.js';
import { BAND_MODULATION, CONTOUR_SCALARS, FEATURE_SPEC, FRAME_OFFSETS, FORMANT_SHAPE, FRAME_OCCUPANCY, LEVEL_SHAPE, PERIODICITY, PITCH_SHAPE, TEAGER, VOICED_SPECTRUM, LAYOUT, N_CHROMA, N_CONTRAST, N_MEL_SLOPES, N_MFCC, N_TONNETZ, type Functional } from './spec.js';
import { spectralShape } from './spectral.js';
import { spectrogram } from './spectrogram.js';
import { momentsOf, selectFrames, summarize, summarizeFrom } from './stats.js';
import { frameZcr, loudLevelDb, normalisation, powerDb, speechMask } from './temporal.js';
import { tonnetz } from './tonnetz.js';
import { teager, voicedSpectrum } from './voiced-spectrum.js';
import { voiceQuality } from './voice-quality.js';

export { loudness, type LoudnessInfo } from './loudness.js';

/** F0 is summarised in semitones above 55 Hz (A1), a perceptual scale where range and slope mean the same for any voice. */
const F0_REF_HZ = 55;

// Every per-frame track and utterance-level scalar extractFeatures() computes, by name. LAYOUT names
// them; it is resolved to positions in these lists once, when the module loads, so a clip only
// fills two arrays in this order (extractFeatures builds them in exactly this order).
const indexed = (prefix: string, n: number, first = 0): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + first}`);
const TRACK_NAMES: readonly string[] = [
  'centroid', 'bandwidth', 'rolloff', 'flatness', 'flux', 'alpha_ratio', 'hammarberg', 'zcr', 'rms', 'rmsdb',
  'hpss_harm_db', 'hpss_perc_db', 'hpss_harm_ratio', 'f0', 'hnr', 'cpp', 'h1h2', 'h1a3',
  ...indexed('mel_slope', N_MEL_SLOPES),
  ...indexed('formant_f', N_FORMANTS, 1),
  ...indexed('formant_bw', N_FORMANTS, 1),
  ...indexed('mel_rel', N_MELS),
  ...indexed('dmel', N_MELS),
  ...indexed('mfcc', N_MFCC),
  ...indexed('dmfcc', N_MFCC),
  ...indexed('ddmfcc', N_MFCC),
  ...indexed('chroma', N_CHROMA),
  ...indexed('contrast', N_CONTRAST),
  ...indexed('tonnetz', N_TONNETZ),
];
const SCALAR_NAMES: readonly string[] = [
  'voiced_fraction', 'voicing_strength', 'jitter', 'shimmer', 'syllable_rate', 'pause_ratio', ...CONTOUR_SCALARS,
  ...PITCH_SHAPE, ...LEVEL_SHAPE, ...BAND_MODULATION, ...VOICED_SPECTRUM, ...TEAGER, ...FORMANT_SHAPE, ...PERIODICITY,
  ...FRAME_OCCUPANCY,
  ...FRAME_OFFSETS,
];

/** One LAYOUT entry with its name resolved: a scalar's position, or a track's and how to summarise it. */
interface Step {
  scalar: boolean;
  slot: number;
  voiced: boolean;
  functionals: readonly Functional[];
  /** A track summarised over the speech frames: its place in SPEECH_SLOTS (else −1). */
  moment: number;
}

/** Each name's position: ~1,300 scalar names, so a Map instead of indexOf at every one (O(n²) at load). */
const positions = new Map<readonly string[], Map<string, number>>();

function slotOf(names: readonly string[], name: string): number {
  if (!positions.has(names)) positions.set(names, new Map(names.map((n, i) => [n, i])));
  const slot = positions.get(names)!.get(name) ?? -1;
  // Only reachable if spec.ts gains a name this file does not compute: a programming error, found at load.
  if (slot < 0) throw new Error(`feature layout names '${name}' but extract.ts does not compute it`);
  return slot;
}

let speechTracks = 0;
const PLAN: readonly Step[] = LAYOUT.map((e) =>
  e.kind === 'scalar'
    ? { scalar: true, slot: slotOf(SCALAR_NAMES, e.name), voiced: false, functionals: [], moment: -1 }
    : { scalar: false, slot: slotOf(TRACK_NAMES, e.track), voiced: e.frames === 'voiced', functionals: e.functionals, moment: e.frames === 'voiced' ? -1 : speechTracks++ },
);
/** The tracks summarised over the speech frames, whose means and spreads momentsOf() takes together. */
const SPEECH_SLOTS = Int32Array.from(PLAN.filter((s) => s.moment >= 0), (s) => s.slot);
const speechMean = new Float64Array(SPEECH_SLOTS.length);
const speechSq = new Float64Array(SPEECH_SLOTS.length);

/**
 * 16 kHz mono speech → FEATURE_SPEC.names.length finite values. The signal is DC-removed and
 * scaled to unit RMS first, so the result does not depend on recording gain. Empty input → zeros.
 * `m` is moments(samples) when the caller has it already.
 */
export function extractFeatures(samples: Float32Array, m?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(FEATURE_SPEC.names.length);
  if (samples.length === 0) return out;
  const x = normalisedWithFloor(samples, m);

  const spec = spectrogram(x, true); // nothing below keeps spec's arrays
  const frames = spec.frames;
  const levelDb = powerDb(spec.meanSquare);
  const loud = loudLevelDb(levelDb);
  const speech = speechMask(levelDb, loud);
  const speechFrames = speechFramesOf(speech, frames);
  // The chroma's class sums are taken from each spectrum chunk the mel bands load (one copy for both).
  const chroma = new Float32Array(frames * N_CHROMA);
  const logmel = logMel(spec, (t0, n) => chromaOfLoaded(t0, n, chroma, frames));
  const cepstra = mfcc(logmel, frames);
  const d1 = deltas(cepstra, N_MFCC, frames);
  const d2 = deltas(d1, N_MFCC, frames);
  const shape = spectralShape(spec);
  const tonal = tonnetz(chroma, frames);
  const contrast = spectralContrast(spec);
  const hp = harmonicPercussive(spec);
  const x8k = decimate(x); // pitch and formants both work at 8 kHz
  const pitch = pitchTrack(x, speech, x8k);
  const voice = prosody(pitch, levelDb, speech);
  const quality = voiceQuality(spec, logmel, pitch);
  const f0St = new Float32Array(frames);
  const voiced = new Uint8Array(frames);
  semitonesAndVoicing(pitch.f0, f0St, voiced);
  const contour = contours(f0St, levelDb, speech, loud);
  const formants = formantTracks(x, voiced, x8k);
  const mel = melTracks(logmel, frames);
  const melDelta = deltas(mel.bandMajor, N_MELS, frames);

  // In TRACK_NAMES order.
  const tracks: Float32Array[] = [
    shape.centroid, shape.bandwidth, shape.rolloff, shape.flatness, mel.flux, shape.alphaRatio,
    shape.hammarberg, frameZcr(x), rootsOf(spec.meanSquare), levelDb, hp.harmDb, hp.percDb, hp.harmRatio, f0St,
    quality.hnrDb, quality.cpp, quality.h1h2, quality.h1a3,
  ];
  for (const s of quality.melSlope) tracks.push(s);
  for (const f of formants.frequency) tracks.push(f);
  for (const b of formants.bandwidth) tracks.push(b);
  pushRows(tracks, mel.relative, N_MELS, frames);
  pushRows(tracks, melDelta, N_MELS, frames);
  pushRows(tracks, cepstra, N_MFCC, frames);
  pushRows(tracks, d1, N_MFCC, frames);
  pushRows(tracks, d2, N_MFCC, frames);
  pushRows(tracks, chroma, N_CHROMA, frames);
  pushRows(tracks, contrast, N_CONTRAST, frames);
  pushRows(tracks, tonal, N_TONNETZ, frames);
  // In SCALAR_NAMES order: prosody, CONTOUR_SCALARS, then f7's shape scalars.
  const scalars = [
    voice.voicedFraction, voice.voicingStrength, voice.jitter, voice.shimmer, voice.syllableRate, voice.pauseRatio,
    contour.mod1to2, contour.mod2to4, contour.mod4to8, contour.mod8to16, contour.modCentroid,
    contour.f0RateStd, contour.f0RateAbs, contour.f0RiseShare, contour.f0FallShare, contour.f0HalfDiff,
    contour.f0LastQuarter, contour.f0FirstQuarter, contour.f0MaxAboveMedian, contour.f0MedianAboveMin,
    contour.attackMean, contour.decayMean, contour.attackP90, contour.decayP10, contour.voicedOverUnvoicedDb,
    contour.voicedRunsPerSec, contour.voicedRunMean, contour.voicedRunStd, contour.voicedRunMax,
    ...pitchShape(f0St, levelDb), ...levelShape(levelDb, loud, speech, f0St), ...bandModulation(logmel, frames),
    ...voicedSpectrum(logmel, speech, f0St), ...teager(x, f0St), ...formantShape(formants.frequency), ...periodicity(pitch.strength, speech),
    ...frameMixtureFeatures(frameVectors(cepstra, d1, frames, speechFrames)),
  ];
  if (tracks.length !== TRACK_NAMES.length || scalars.length !== SCALAR_NAMES.length) {
    throw new Error('extract.ts computes a different number of tracks or scalars than it names');
  }

  const voicedFrames = selectFrames(voiced);

  momentsOf(tracks, SPEECH_SLOTS, speechFrames, speechMean, speechSq);
  let o = 0;
  for (const step of PLAN) {
    if (step.scalar) {
      out[o++] = scalars[step.slot];
      continue;
    }
    const values = tracks[step.slot];
    if (step.voiced) summarize(values, measured(values, voicedFrames), step.functionals, out, o);
    else summarizeFrom(values, speechFrames, step.functionals, speechMean[step.moment], speechSq[step.moment], out, o);
    o += step.functionals.length;
  }
  return out;
}

/**
 * The speech frames' MFCC vectors (frame-mixture.ts) exactly as extractFeatures() scores them against the
 * frame mixture: what scripts/fit-frame-mixture.ts fits that mixture on.
 */
export function speechFrameVectors(samples: Float32Array, m?: ArrayLike<number>): Float64Array {
  if (samples.length === 0) return new Float64Array(0);
  const spec = spectrogram(normalisedWithFloor(samples, m), true);
  const cepstra = mfcc(logMel(spec), spec.frames);
  return frameVectors(cepstra, deltas(cepstra, N_MFCC, spec.frames), spec.frames, speechFramesOf(speechMask(powerDb(spec.meanSquare)), spec.frames));
}

/** The speech frames; with none above the speech threshold (e.g. digital silence), every frame. */
function speechFramesOf(speech: Uint8Array, frames: number): Int32Array {
  const selected = selectFrames(speech);
  return selected.length ? selected : allFrames(frames);
}

/** F0 in semitones above F0_REF_HZ (0 where unvoiced), and the voiced-frame mask. */
function semitonesAndVoicing(f0: Float32Array, st: Float32Array, voiced: Uint8Array): void {
  for (let t = 0; t < f0.length; t++) {
    const f = f0[t];
    st[t] = f > 0 ? 12 * Math.log2(f / F0_REF_HZ) : 0;
    voiced[t] = f > 0 ? 1 : 0;
  }
  return;
}

/** √ of each frame's mean square: the RMS track. */
function rootsOf(meanSquare: Float64Array): Float32Array {
  const out = new Float32Array(meanSquare.length);
  for (let t = 0; t < meanSquare.length; t++) out[t] = Math.sqrt(meanSquare[t]);
  return out;
}

/** The rows of a row-major rows × frames matrix, as views, onto `tracks`. */
function pushRows(tracks: Float32Array[], matrix: Float32Array, rows: number, frames: number): void {
  for (let i = 0; i < rows; i++) tracks.push(matrix.subarray(i * frames, (i + 1) * frames));
}

function allFrames(frames: number): Int32Array {
  const out = new Int32Array(frames);
  for (let t = 0; t < frames; t++) out[t] = t;
  return out;
}

/**
 * A fixed, deterministic white-noise floor NOISE_FLOOR_DB below the (unit) speech RMS, added after
 * level normalisation. Every recording has some floor — a studio's digital near-silence, a 16-bit
 * quantisation step that is loud relative to quiet speech, a laptop's hiss — and without this the
 * quietest bands and pauses would describe that floor instead of the voice. Anything below this
 * floor is masked the same way for every clip, so a clip 24 dB quieter on a 16-bit device gives
 * the same features as the original. Same samples in → same features out (no randomness).
 */
export const NOISE_FLOOR_DB = -30;

/** normalised(samples) plus the floor, in one pass: each sample is rounded to float32 after normalising, as normalised() stores it. */
function normalisedWithFloor(samples: Float32Array, m?: ArrayLike<number>): Float32Array {
  const { shift, scale } = normalisation(samples, m);
  // Digital silence normalises to zeros: (x − shift)·0 is ±0, and ±0 + noise is the noise.
  return addFloorInto(reusedSignal.take(samples.length), samples, shift, scale);
}

/** extractFeatures' normalised signal (up to ~16 s, 1 MB), which nothing keeps after the call. */
const reusedSignal = new Reused((n) => new Float32Array(n), 1 << 18);

/** Samples the floor kernel takes per call (a 64-KB region of the feature kernels' memory). */
const FLOOR_CHUNK = 16384;
const FLOOR_AT = featureKernels.region(4 * FLOOR_CHUNK);
const floorChunk = new Float32Array(featureKernels.buffer, FLOOR_AT, FLOOR_CHUNK);
/** Triangular noise from a fixed LCG seed: unit variance is 1/6 per uniform pair, scaled to the floor. */
const FLOOR_SIGMA = 10 ** (NOISE_FLOOR_DB / 20) * Math.sqrt(6);
const FLOOR_SEED = 0x2545f491;

/**
 * out[i] = f32((x[i] − shift)·scale) + FLOOR_SIGMA·(u1 + u2 − 1), u1 and u2 the next two states of the LCG
 * s ← 1664525·s + 1013904223 (mod 2³²) from FLOOR_SEED over 2³². In WebAssembly ("noiseFloor", four samples
 * per SIMD step), chunk by chunk with the state carried over: the same operations, so the same bits as the
 * JavaScript loop it replaced (kept in noise-floor.test as the reference). Exported for that test.
 */
export function addFloorInto(out: Float32Array, x: Float32Array, shift: number, scale: number): Float32Array {
  let s = FLOOR_SEED;
  for (let i0 = 0; i0 < x.length; i0 += FLOOR_CHUNK) {
    const n = Math.min(FLOOR_CHUNK, x.length - i0);
    floorChunk.set(x.subarray(i0, i0 + n));
    s = noiseFloorKernel(FLOOR_AT, n, shift, scale, FLOOR_SIGMA, s);
    out.set(n === FLOOR_CHUNK ? floorChunk : floorChunk.subarray(0, n), i0);
  }
  return out;
}

/** The frames whose value is a number: NaN marks a frame a track could not be measured on. */
function measured(values: Float32Array, frames: Int32Array): Int32Array {
  let n = 0;
  for (const t of frames) if (!Number.isNaN(values[t])) n++;
  if (n === frames.length) return frames;
  const out = new Int32Array(n);
  let j = 0;
  for (const t of frames) if (!Number.isNaN(values[t])) out[j++] = t;
  return out;
}
