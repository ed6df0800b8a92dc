// extractFeatures(): speech samples → the named feature vector of FEATURE_SPEC (the one function train and predict share).
import { chromagram } from './chroma.js';
import { contours } from './contours.js';
import { spectralContrast } from './contrast.js';
import { deltas } from './deltas.js';
import { formantTracks, N_FORMANTS } from './formants.js';
import { harmonicPercussive } from './hpss.js';
import { logMel, melFlux, N_MELS } from './mel.js';
import { mfcc } from './mfcc.js';
import { decimate, pitchTrack } from './pitch.js';
import { prosody } from './prosody.js';
import { FEATURE_SPEC, LAYOUT, N_CHROMA, N_CONTRAST, N_MFCC, N_TONNETZ } from './spec.js';
import { spectralShape } from './spectral.js';
import { spectrogram } from './spectrogram.js';
import { selectFrames, summarize } from './stats.js';
import { frameZcr, normalised, powerDb, speechMask } from './temporal.js';
import { tonnetz } from './tonnetz.js';
import { voiceQuality } from './voice-quality.js';

export { loudness, type LoudnessInfo } from './loudness.js';

/** F0 is summarised in semitones above 55 Hz (A1), a perceptual scale where range and slope mean the same for any voice. */
const F0_REF_HZ = 55;

/**
 * 16 kHz mono speech → FEATURE_SPEC.names.length finite values. The signal is DC-removed and
 * scaled to unit RMS first, so the result does not depend on recording gain. Empty input → zeros.
 */
export function extractFeatures(samples: Float32Array): Float32Array {
  const out = new Float32Array(FEATURE_SPEC.names.length);
  if (samples.length === 0) return out;
  const x = withNoiseFloor(normalised(samples));

  const spec = spectrogram(x);
  const frames = spec.frames;
  const levelDb = powerDb(spec.meanSquare);
  const speech = speechMask(levelDb);
  const logmel = logMel(spec);
  const cepstra = mfcc(logmel, frames);
  const d1 = deltas(cepstra, N_MFCC, frames);
  const d2 = deltas(d1, N_MFCC, frames);
  const shape = spectralShape(spec);
  const chroma = chromagram(spec);
  const tonal = tonnetz(chroma, frames);
  const contrast = spectralContrast(spec);
  const hp = harmonicPercussive(spec);
  const x8k = decimate(x); // pitch and formants both work at 8 kHz
  const pitch = pitchTrack(x, speech, x8k);
  const voice = prosody(pitch, levelDb, speech);
  const quality = voiceQuality(spec, logmel, pitch);
  const f0St = Float32Array.from(pitch.f0, (f) => (f > 0 ? 12 * Math.log2(f / F0_REF_HZ) : 0));
  const contour = contours(f0St, levelDb, speech);
  const voiced = Uint8Array.from(pitch.f0, (f) => (f > 0 ? 1 : 0));
  const formants = formantTracks(x, voiced, x8k);
  const { relative: melRel, delta: melDelta } = melBands(logmel, frames);

  const row = (a: Float32Array, i: number): Float32Array => a.subarray(i * frames, (i + 1) * frames);
  const tracks = new Map<string, Float32Array>([
    ['centroid', shape.centroid],
    ['bandwidth', shape.bandwidth],
    ['rolloff', shape.rolloff],
    ['flatness', shape.flatness],
    ['flux', melFlux(logmel, frames)],
    ['alpha_ratio', shape.alphaRatio],
    ['hammarberg', shape.hammarberg],
    ['zcr', frameZcr(x)],
    ['rms', Float32Array.from(spec.meanSquare, Math.sqrt)],
    ['rmsdb', levelDb],
    ['hpss_harm_db', hp.harmDb],
    ['hpss_perc_db', hp.percDb],
    ['hpss_harm_ratio', hp.harmRatio],
    ['f0', f0St],
    ['hnr', quality.hnrDb],
    ['cpp', quality.cpp],
    ['h1h2', quality.h1h2],
    ['h1a3', quality.h1a3],
  ]);
  quality.melSlope.forEach((s, i) => tracks.set(`mel_slope${i}`, s));
  for (let i = 0; i < N_FORMANTS; i++) {
    tracks.set(`formant_f${i + 1}`, formants.frequency[i]);
    tracks.set(`formant_bw${i + 1}`, formants.bandwidth[i]);
  }
  for (let m = 0; m < N_MELS; m++) {
    tracks.set(`mel_rel${m}`, row(melRel, m));
    tracks.set(`dmel${m}`, row(melDelta, m));
  }
  for (let i = 0; i < N_MFCC; i++) {
    tracks.set(`mfcc${i}`, row(cepstra, i));
    tracks.set(`dmfcc${i}`, row(d1, i));
    tracks.set(`ddmfcc${i}`, row(d2, i));
  }
  for (let i = 0; i < N_CHROMA; i++) tracks.set(`chroma${i}`, row(chroma, i));
  for (let i = 0; i < N_CONTRAST; i++) tracks.set(`contrast${i}`, row(contrast, i));
  for (let i = 0; i < N_TONNETZ; i++) tracks.set(`tonnetz${i}`, row(tonal, i));
  const scalars = new Map<string, number>([
    ['voiced_fraction', voice.voicedFraction],
    ['voicing_strength', voice.voicingStrength],
    ['jitter', voice.jitter],
    ['shimmer', voice.shimmer],
    ['syllable_rate', voice.syllableRate],
    ['pause_ratio', voice.pauseRatio],
    ['mod_1_2', contour.mod1to2],
    ['mod_2_4', contour.mod2to4],
    ['mod_4_8', contour.mod4to8],
    ['mod_8_16', contour.mod8to16],
    ['mod_centroid', contour.modCentroid],
    ['f0_rate_std', contour.f0RateStd],
    ['f0_rate_abs', contour.f0RateAbs],
    ['f0_rise_share', contour.f0RiseShare],
    ['f0_fall_share', contour.f0FallShare],
    ['f0_half_diff', contour.f0HalfDiff],
    ['f0_last_quarter', contour.f0LastQuarter],
    ['f0_first_quarter', contour.f0FirstQuarter],
    ['f0_max_above_median', contour.f0MaxAboveMedian],
    ['f0_median_above_min', contour.f0MedianAboveMin],
    ['attack_mean', contour.attackMean],
    ['decay_mean', contour.decayMean],
    ['attack_p90', contour.attackP90],
    ['decay_p10', contour.decayP10],
    ['voiced_over_unvoiced_db', contour.voicedOverUnvoicedDb],
    ['voiced_runs_per_sec', contour.voicedRunsPerSec],
    ['voiced_run_mean', contour.voicedRunMean],
    ['voiced_run_std', contour.voicedRunStd],
    ['voiced_run_max', contour.voicedRunMax],
  ]);

  let speechFrames = selectFrames(speech);
  // Nothing above the speech threshold (e.g. digital silence): summarise every frame instead.
  if (speechFrames.length === 0) speechFrames = Int32Array.from({ length: frames }, (_, t) => t);
  const voicedFrames = selectFrames(voiced);

  let o = 0;
  for (const entry of LAYOUT) {
    if (entry.kind === 'scalar') {
      out[o++] = lookup(scalars, entry.name);
      continue;
    }
    const values = lookup(tracks, entry.track);
    summarize(values, entry.frames === 'voiced' ? measured(values, voicedFrames) : speechFrames, entry.functionals, out, o);
    o += entry.functionals.length;
  }
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

function withNoiseFloor(x: Float32Array): Float32Array {
  // Triangular noise from a fixed LCG seed: unit variance is 1/6 per uniform pair, scaled to the floor.
  const sigma = 10 ** (NOISE_FLOOR_DB / 20) * Math.sqrt(6);
  let s = 0x2545f491;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u1 = s / 4294967296;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = x[i] + sigma * (u1 + s / 4294967296 - 1);
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

/**
 * Band-major log-mel tracks: each band relative to its frame's mean over bands (the envelope's
 * shape without the loudness contour), and the regression delta of each band.
 */
function melBands(logmel: Float32Array, frames: number): { relative: Float32Array; delta: Float32Array } {
  const bandMajor = new Float32Array(N_MELS * frames);
  const relative = new Float32Array(N_MELS * frames);
  transposeRelative(logmel, frames, bandMajor, relative);
  return { relative, delta: deltas(bandMajor, N_MELS, frames) };
}

/** The loop of melBands; a bare return (see temporal.ts on OSR). */
function transposeRelative(logmel: Float32Array, frames: number, bandMajor: Float32Array, relative: Float32Array): void {
  for (let t = 0; t < frames; t++) {
    let mean = 0;
    for (let m = 0; m < N_MELS; m++) mean += logmel[t * N_MELS + m];
    mean /= N_MELS;
    for (let m = 0; m < N_MELS; m++) {
      bandMajor[m * frames + t] = logmel[t * N_MELS + m];
      relative[m * frames + t] = logmel[t * N_MELS + m] - mean;
    }
  }
}

function lookup<T>(map: Map<string, T>, key: string): T {
  const v = map.get(key);
  // Only reachable if spec.ts gains a name this file does not compute: a programming error.
  if (v === undefined) throw new Error(`feature layout names '${key}' but extract.ts does not compute it`);
  return v;
}
