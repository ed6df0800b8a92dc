// Time-domain basics: DC removal and gain normalisation, per-frame energy and zero crossings, the speech-frame mask.
import { FRAME_LENGTH, HOP, frameCount } from './frames.js';
import { percentileSorted } from './stats.js';
import { BLOCK, blockCrossings, blockPowers, moments } from '../dsp/signal-passes.js';
import { hasNaN, percentileOf } from '../dsp/select.js';

/** Frames quieter than this below the loud (95th percentile) frames are pauses, not speech. */
const SPEECH_RANGE_DB = 35;
/** Energy floor (−120 dB re unit RMS, or re full scale in loudness()): keeps logs finite on digital silence. */
export const POWER_FLOOR = 1e-12;

/** Below this RMS (−200 dBFS) there is nothing to normalise: the clip is treated as digital silence. */
const SILENCE_RMS = 1e-10;

/**
 * Copy of the samples with the mean removed (a DC offset is not part of the voice) and scaled to
 * unit RMS, so nothing downstream depends on recording gain; digital silence comes back as zeros.
 * For a gain that is a power of two the result is bit-identical.
 */
export function normalised(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  const { shift, scale } = normalisation(samples);
  return scale === 0 ? out : shiftScaleInto(out, samples, shift, scale);
}

/**
 * What normalised() does to each sample, (x − shift)·scale rounded to float32: the mean and 1/RMS,
 * or scale 0 for digital silence (and no samples), which normalises to zeros. `m` is moments(samples)
 * when the caller has it already.
 */
export function normalisation(samples: Float32Array, m?: ArrayLike<number>): { shift: number; scale: number } {
  const n = samples.length;
  if (n === 0) return { shift: 0, scale: 0 };
  m ??= moments(samples);
  const mean = m[0] / n;
  const rms = Math.sqrt(Math.max(0, m[1] / n - mean * mean));
  return { shift: mean, scale: rms <= SILENCE_RMS ? 0 : 1 / rms };
}

/** out[i] = (x[i] − shift)·scale; a bare return (see framesFromBlocks on OSR). */
function shiftScaleInto(out: Float32Array, x: Float32Array, shift: number, scale: number): Float32Array {
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - shift) * scale;
  return out;
}

/**
 * Frames are summed from 32-sample blocks (signal-passes.ts): 32 divides both the hop (5 blocks) and the
 * half frame (8 blocks), so each frame is exactly 16 blocks and every sample is read once.
 */
const BLOCKS_PER_HOP = HOP / BLOCK;
const HALF_FRAME_BLOCKS = FRAME_LENGTH / 2 / BLOCK;

// Loop kernels end in a bare `return`. V8 compiles a long first loop on the stack (OSR) before the
// code after it has ever run; any typed operation there (a call, an allocation, arithmetic) has no
// type feedback yet, so the cached OSR code deoptimises on it, and did so again on every clip.

function framesFromBlocks(blocks: Float64Array, n: number): Float64Array {
  const out = new Float64Array(frameCount(n));
  for (let t = 0; t < out.length; t++) {
    const a = Math.max(0, t * BLOCKS_PER_HOP - HALF_FRAME_BLOCKS);
    const b = Math.min(blocks.length, t * BLOCKS_PER_HOP + HALF_FRAME_BLOCKS);
    let s = 0;
    for (let j = a; j < b; j++) s += blocks[j];
    out[t] = s / FRAME_LENGTH;
  }
  return out;
}

/**
 * Mean square of each (zero-padded) frame of x − shift, each difference rounded to float32 as a stored
 * copy would be: with the signal's mean as shift, the power of withoutDc(x) without the copy, bit for bit.
 */
export function framePowerAbout(x: Float32Array, shift: number): Float64Array {
  return framesFromBlocks(blockPowers(x, shift, new Float64Array(Math.ceil(x.length / BLOCK))), x.length);
}

/** Fraction of sample pairs in each frame whose sign differs (zero counts as positive, like librosa). */
export function frameZcr(x: Float32Array): Float32Array {
  return Float32Array.from(framesFromBlocks(blockCrossings(x, new Float64Array(Math.ceil(x.length / BLOCK))), x.length));
}

export function powerDb(power: Float64Array): Float32Array {
  const out = new Float32Array(power.length);
  for (let t = 0; t < power.length; t++) out[t] = 10 * Math.log10(Math.max(power[t], POWER_FLOOR));
  return out;
}

/** The level of the loud frames: the 95th percentile of a level track (0 for no frames). */
export function loudLevelDb(db: Float32Array): number {
  const values = Float64Array.from(db);
  if (hasNaN(values, values.length)) return percentileSorted(values.sort(), values.length, 0.95);
  return percentileOf(values, values.length, 0.95);
}

const FLOOR_DB = 10 * Math.log10(POWER_FLOOR);

/**
 * Speech frames: within SPEECH_RANGE_DB of the loud frames. Relative, so it does not move with gain.
 * `loud` is loudLevelDb(db), for a caller that needs it too.
 */
export function speechMask(db: Float32Array, loud = loudLevelDb(db)): Uint8Array {
  const threshold = loud - SPEECH_RANGE_DB;
  const mask = new Uint8Array(db.length);
  for (let t = 0; t < db.length; t++) mask[t] = db[t] >= threshold && db[t] > FLOOR_DB ? 1 : 0;
  return mask;
}
