// Utterance-level prosody from the F0 track and the energy envelope: voicing, jitter, shimmer, rate, pauses.
import { trackKernels as kernels } from '../dsp/fft.js';
import { FRAME_SECONDS } from './frames.js';
import type { PitchTrack } from './pitch.js';

export interface Prosody {
  /** Voiced share of the speech frames. */
  voicedFraction: number;
  /** Mean peak NCCF over the speech frames: how periodic (vs breathy/noisy) the voice is. */
  voicingStrength: number;
  /** Mean |ΔT| of consecutive voiced frames' periods over the mean period. */
  jitter: number;
  /** Mean |Δ level| in dB of consecutive voiced frames. */
  shimmer: number;
  /** Syllable nuclei (voiced energy peaks) per second of audio. */
  syllableRate: number;
  /** Share of frames that are not speech. */
  pauseRatio: number;
}

/** Consecutive periods differing by more than this are a tracking jump (often an octave), not jitter. */
const MAX_PERIOD_CHANGE = 0.2;
/** Envelope smoothing (±2 frames = 50 ms) so one vowel gives one peak. */
const SMOOTH = 2;
/** A nucleus is the loudest frame within ±80 ms … */
const PEAK_RADIUS = 8;
/** … standing this many dB above the lower of the dips within 150 ms on either side. */
const MIN_PROMINENCE_DB = 3;
const DIP_RADIUS = 15;

type ProsodyExport = (f0: number, st: number, lv: number, sp: number, env: number, n: number, par: number, ri: number, out: number) => void;

// prosody() and syllableNuclei() in WebAssembly (fft.wat's "prosody"): their loops over every frame were
// interpreted and TurboFan-compiled in every CLI run. The tracks are copied into the track kernels' memory.
const prosodyKernel = kernels.exports.prosody as ProsodyExport;
// Bytes 0…127: the constants (f64 at 0, i32 at 32) and the results (f64 at 64); then the tracks.
const PAR_AT = 0;
const RADII_AT = 32;
const OUT_AT = 64;
const TRACKS_AT = 128;

/** The kernel over these tracks (strength may be any n-frame track when only the nuclei are wanted): its seven results. */
function measure(f0: Float32Array, strength: Float32Array, levelDb: Float32Array, speech: Uint8Array): Float64Array {
  const n = speech.length;
  const f0At = TRACKS_AT;
  const stAt = f0At + 4 * n;
  const lvAt = stAt + 4 * n;
  const envAt = lvAt + 4 * n;
  const spAt = envAt + 4 * n;
  kernels.reserve(spAt + n);
  const buffer = kernels.buffer;
  new Float64Array(buffer, PAR_AT, 3).set([MAX_PERIOD_CHANGE, FRAME_SECONDS, MIN_PROMINENCE_DB]);
  new Int32Array(buffer, RADII_AT, 3).set([SMOOTH, PEAK_RADIUS, DIP_RADIUS]);
  new Float32Array(buffer, f0At, n).set(f0);
  new Float32Array(buffer, stAt, n).set(strength);
  new Float32Array(buffer, lvAt, n).set(levelDb);
  new Uint8Array(buffer, spAt, n).set(speech);
  prosodyKernel(f0At, stAt, lvAt, spAt, envAt, n, PAR_AT, RADII_AT, OUT_AT);
  return new Float64Array(buffer, OUT_AT, 7);
}

/**
 * Voicing over the speech frames, jitter and shimmer over consecutive voiced frames (a period change beyond
 * MAX_PERIOD_CHANGE is a tracking jump and skipped), the syllable rate (syllableNuclei() per second) and the
 * pause ratio, each as this file's JavaScript computed it (the same sums in the same order).
 */
export function prosody(pitch: PitchTrack, levelDb: Float32Array, speech: Uint8Array): Prosody {
  const r = measure(pitch.f0, pitch.strength, levelDb, speech);
  return { voicedFraction: r[0], voicingStrength: r[1], jitter: r[2], shimmer: r[3], syllableRate: r[4], pauseRatio: r[5] };
}

/**
 * Counts energy-envelope peaks that are speech, voiced nearby, and prominent: the level smoothed over ±SMOOTH
 * frames (rounded to float32), a speech frame that is the first highest within ±PEAK_RADIUS, with F0 within 2
 * frames, and at least MIN_PROMINENCE_DB above the higher of the lowest smoothed levels within DIP_RADIUS
 * frames before and after.
 */
export function syllableNuclei(levelDb: Float32Array, speech: Uint8Array, f0: Float32Array): number {
  return measure(f0, f0, levelDb, speech)[6];
}
