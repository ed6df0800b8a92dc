// Utterance shape from the level and F0 contours: level modulation spectrum, F0 movement, attack/decay, voiced stretches.
import { FRAME_SECONDS } from './frames.js';
import { percentileSorted } from './stats.js';
import { meanOf } from './value-stats.js';
import { loudLevelDb } from './temporal.js';
import { bandShare, modulationCentroid, modulationPower } from './modulation.js';
import { Reused } from '../dsp/reuse.js';

/** Frame-to-frame F0 changes above this (semitones per second) are tracking jumps, not movement. */
const MAX_F0_RATE = 300;
/** A frame-to-frame F0 change beyond ±5 semitones per second counts as a rise or a fall. */
const MOVE_RATE = 5;
const FRAME_RATE = 1 / FRAME_SECONDS;

/** The per-clip value lists below (each at most one per frame), in one buffer kept from clip to clip (up to 41 s). */
const LISTS = 8;
const reusedLists = new Reused((n) => new Float64Array(n), LISTS * 4096);

export interface Contours {
  /** Share of the level contour's 0.5–50 Hz modulation power in 1–2, 2–4, 4–8 and 8–16 Hz (syllable rhythm). */
  mod1to2: number;
  mod2to4: number;
  mod4to8: number;
  mod8to16: number;
  /** Power-weighted mean modulation frequency (Hz). */
  modCentroid: number;
  /** F0 change rate between consecutive voiced frames (semitones per second): spread, mean magnitude, rising and falling shares. */
  f0RateStd: number;
  f0RateAbs: number;
  f0RiseShare: number;
  f0FallShare: number;
  /** Second half of the voiced frames' F0 minus the first (semitones). */
  f0HalfDiff: number;
  /** Mean F0 of the last and the first quarter of the voiced frames relative to the mean of all. */
  f0LastQuarter: number;
  f0FirstQuarter: number;
  /** Peak above and floor below the median F0 (semitones). */
  f0MaxAboveMedian: number;
  f0MedianAboveMin: number;
  /** Level changes (dB per frame) across speech frames: mean rise, mean fall, 90th and 10th percentiles. */
  attackMean: number;
  decayMean: number;
  attackP90: number;
  decayP10: number;
  /** Mean level of voiced speech frames minus that of unvoiced speech frames (dB). */
  voicedOverUnvoicedDb: number;
  /** Voiced stretches: count per second, mean / std / longest duration (s). */
  voicedRunsPerSec: number;
  voicedRunMean: number;
  voicedRunStd: number;
  voicedRunMax: number;
}

/**
 * f0St: F0 in semitones per frame (0 unvoiced); levelDb per frame; speech: the speech-frame mask;
 * loud: loudLevelDb(levelDb), for a caller that has it already.
 */
export function contours(f0St: Float32Array, levelDb: Float32Array, speech: Uint8Array, loud = loudLevelDb(levelDb)): Contours {
  const frames = levelDb.length;
  // List i starts at i·frames: 0 voiced F0, 1 F0 rates, 2 level steps, 3 and 4 voiced and unvoiced levels,
  // 5 voiced run lengths, 6 and 7 sorted copies of 0 and 2.
  const lists = reusedLists.take(LISTS * frames);
  const list = (i: number, n: number): Float64Array => lists.subarray(i * frames, i * frames + n);
  let n = 0;
  for (let t = 0; t < frames; t++) if (f0St[t] !== 0) lists[n++] = f0St[t];
  const voiced = list(0, n);
  n = 0;
  for (let t = 1; t < frames; t++) {
    if (f0St[t] === 0 || f0St[t - 1] === 0) continue;
    const r = (f0St[t] - f0St[t - 1]) * FRAME_RATE;
    if (Math.abs(r) < MAX_F0_RATE) lists[frames + n++] = r;
  }
  const rates = list(1, n);
  let nSteps = 0;
  let nVoiced = 0;
  let nUnvoiced = 0;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    if (t > 0) lists[2 * frames + nSteps++] = levelDb[t] - levelDb[t - 1];
    if (f0St[t] !== 0) lists[3 * frames + nVoiced++] = levelDb[t];
    else lists[4 * frames + nUnvoiced++] = levelDb[t];
  }
  const steps = list(2, nSteps);
  const voicedDb = list(3, nVoiced);
  const unvoicedDb = list(4, nUnvoiced);
  n = 0;
  let run = 0;
  for (let t = 0; t <= frames; t++) {
    if (t < frames && f0St[t] !== 0) run++;
    else if (run) {
      lists[5 * frames + n++] = run * FRAME_SECONDS;
      run = 0;
    }
  }
  const runs = list(5, n);
  const h = voiced.length >> 1;
  const q = voiced.length >> 2;
  const f0Mean = meanOf(voiced);
  const sortedF0 = sortedCopy(voiced, list(6, voiced.length));
  const f0Median = percentileSorted(sortedF0, sortedF0.length, 0.5);
  const sortedSteps = sortedCopy(steps, list(7, steps.length));
  const mod = modulation(levelDb, loud);
  return {
    ...mod,
    f0RateStd: std(rates),
    f0RateAbs: meanAbs(rates),
    f0RiseShare: rates.length ? countWhere(rates, MOVE_RATE, 1) / rates.length : 0,
    f0FallShare: rates.length ? countWhere(rates, -MOVE_RATE, -1) / rates.length : 0,
    f0HalfDiff: meanBetween(voiced, h, voiced.length) - meanBetween(voiced, 0, h),
    f0LastQuarter: voiced.length ? meanBetween(voiced, 3 * q, voiced.length) - f0Mean : 0,
    f0FirstQuarter: voiced.length ? meanBetween(voiced, 0, q) - f0Mean : 0,
    f0MaxAboveMedian: voiced.length ? sortedF0[sortedF0.length - 1] - f0Median : 0,
    f0MedianAboveMin: voiced.length ? f0Median - sortedF0[0] : 0,
    attackMean: meanWhere(steps, 1),
    decayMean: meanWhere(steps, -1),
    attackP90: percentileSorted(sortedSteps, sortedSteps.length, 0.9),
    decayP10: percentileSorted(sortedSteps, sortedSteps.length, 0.1),
    voicedOverUnvoicedDb: voicedDb.length && unvoicedDb.length ? meanOf(voicedDb) - meanOf(unvoicedDb) : 0,
    voicedRunsPerSec: frames ? runs.length / (frames * FRAME_SECONDS) : 0,
    voicedRunMean: meanOf(runs),
    voicedRunStd: std(runs),
    voicedRunMax: runs.length ? largest(runs) : 0,
  };
}

type Modulation = Pick<Contours, 'mod1to2' | 'mod2to4' | 'mod4to8' | 'mod8to16' | 'modCentroid'>;

function modulation(levelDb: Float32Array, loud: number): Modulation {
  const power = modulationPower(Float64Array.from(levelDb), levelDb.length, loud);
  return {
    mod1to2: bandShare(power, 1, 2),
    mod2to4: bandShare(power, 2, 4),
    mod4to8: bandShare(power, 4, 8),
    mod8to16: bandShare(power, 8, 16),
    modCentroid: modulationCentroid(power),
  };
}

// The helpers below sum in the same order as meanOf() over a slice or a filtered copy would, without
// making one (and without a closure per clip).

/** Mean of a[from…to), 0 when empty. */
function meanBetween(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return to > from ? s / (to - from) : 0;
}

function meanAbs(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return a.length ? s / a.length : 0;
}

/** Mean of the positive (sign 1) or negative (sign −1) values, 0 when there are none. */
function meanWhere(a: Float64Array, sign: 1 | -1): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (sign > 0 ? v > 0 : v < 0) {
      s += v;
      n++;
    }
  }
  return n ? s / n : 0;
}

/** How many values lie beyond `limit`: above it (sign 1) or below it (sign −1). */
function countWhere(a: Float64Array, limit: number, sign: 1 | -1): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (sign > 0 ? a[i] > limit : a[i] < limit) n++;
  return n;
}

function std(a: Float64Array): number {
  const m = meanOf(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return a.length ? Math.sqrt(s / a.length) : 0;
}

/** a copied into `into` (as long as a) and sorted ascending. */
function sortedCopy(a: Float64Array, into: Float64Array): Float64Array {
  into.set(a);
  return into.sort();
}

/** Math.max(...a) for a non-empty a, without spreading it into arguments. */
function largest(a: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]);
  return m;
}
