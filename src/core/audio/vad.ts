// Energy-based voice activity detection: where the speech is, and how to cut it into utterances.
import { pcm, type Pcm } from '../pcm.js';
import { frameDb } from '../dsp/signal-passes.js';
import { hasNaN, rankOf } from '../dsp/select.js';

/** Seconds from the start of the audio. */
export interface Segment {
  start: number;
  end: number;
}

export interface VadOptions {
  /** utterances(): regions longer than this are split at their longest pause. Default 8. */
  maxSegmentSec?: number;
  /** Pauses shorter than this do not separate regions. Default 0.3. */
  minGapSec?: number;
  /** Silence kept on each side of a region. Default 0.1. */
  padSec?: number;
}

const FRAME_SEC = 0.025;
const HOP_SEC = 0.01;
// Frames are built from 5-ms blocks (a 25-ms frame is 5 blocks, the 10-ms hop 2), so each sample
// is squared once however much the frames overlap.
const BLOCK_SEC = 0.005;
const NOISE_PERCENTILE = 0.1;
// The peak is local: an envelope of 50-ms averages, held for 0.5 s around each loud stretch and
// then decaying 10 dB per second. A breath or lip smack within half a second of speech is judged
// against that speech (and dropped), while a quiet sentence a couple of seconds after a shouted
// one in the same note is judged against its own level. The 50-ms smoothing keeps a single click
// from setting the scale.
const PEAK_SMOOTH_FRAMES = 5;
const PEAK_HOLD_SEC = 0.5;
const PEAK_DECAY_DB_PER_SEC = 10;
const ABOVE_NOISE_DB = 10;
const BELOW_PEAK_DB = 30;
// Only digital near-silence sits below this (16-bit quantisation noise is about −101 dBFS). It is
// low on purpose: RAVDESS speech peaks around −35 dBFS frame RMS, so a floor near −60 would make the
// result depend on the recording's gain.
const ABSOLUTE_FLOOR_DB = -100;
// Hysteresis: a region starts above the threshold and keeps going while frames stay above
// (threshold − this), catching soft onsets and trailing consonants.
const HYSTERESIS_DB = 6;
const MIN_SPEECH_SEC = 0.1;
const MIN_UTTERANCE_SEC = 0.25;
const SILENT_DB = -120;

interface Frames {
  db: Float64Array; // AC energy per frame (DC offset removed), dB re full scale
  hop: number; // seconds
  length: number; // frame length, seconds
  duration: number; // of the audio, seconds
  threshold: Float64Array; // per frame: where speech starts
  keep: Float64Array; // per frame: the lower hysteresis threshold, where it ends
}

/** The value at floor(q·(n − 1)) of the values sorted (by selection: `values` is reordered). */
function percentile(values: Float64Array, q: number): number {
  const k = Math.min(values.length - 1, Math.floor(q * (values.length - 1)));
  return hasNaN(values, values.length) ? values.sort()[k] : rankOf(values, values.length, k);
}

/**
 * Peak envelope of the 50-ms averages of `db`: held for ±hold frames around each value (a
 * monotonic deque keeps that O(n)), then decaying by `decay` per frame in both directions.
 */
function localPeak(db: Float64Array, hold: number, decay: number): Float64Array {
  const n = db.length;
  const smooth = new Float64Array(n);
  const half = Math.floor(PEAK_SMOOTH_FRAMES / 2);
  for (let f = 0; f < n; f++) {
    let s = 0;
    let c = 0;
    for (let g = Math.max(0, f - half); g <= Math.min(n - 1, f + half); g++, c++) s += db[g];
    smooth[f] = s / c;
  }
  const peak = new Float64Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let f = 0, next = 0; f < n; f++) {
    for (; next < n && next <= f + hold; next++) {
      while (tail > head && smooth[deque[tail - 1]] <= smooth[next]) tail--;
      deque[tail++] = next;
    }
    while (deque[head] < f - hold) head++;
    peak[f] = smooth[deque[head]];
  }
  for (let f = 1; f < n; f++) peak[f] = Math.max(peak[f], peak[f - 1] - decay);
  for (let f = n - 2; f >= 0; f--) peak[f] = Math.max(peak[f], peak[f + 1] - decay);
  return peak;
}

function analyse(p: Pcm): Frames {
  const x = p.samples;
  const block = Math.max(1, Math.round(BLOCK_SEC * p.sampleRate));
  const perFrame = Math.round(FRAME_SEC / BLOCK_SEC);
  const perHop = Math.round(HOP_SEC / BLOCK_SEC);
  const blocks = Math.floor(x.length / block);
  const count = blocks >= perFrame ? Math.floor((blocks - perFrame) / perHop) + 1 : 0;
  const db = new Float64Array(count);
  const n = perFrame * block;
  // Each frame's AC power in dB from Σx and Σx² per block (in WebAssembly, with Math.log10's own logarithm).
  frameDb(x, block, perFrame, perHop, SILENT_DB, db);
  const hop = (perHop * block) / p.sampleRate;
  const threshold = new Float64Array(count);
  const keep = new Float64Array(count);
  if (count > 0) {
    const noise = percentile(db.slice(), NOISE_PERCENTILE);
    const peak = localPeak(db, Math.round(PEAK_HOLD_SEC / hop), PEAK_DECAY_DB_PER_SEC * hop);
    for (let f = 0; f < count; f++) {
      threshold[f] = Math.max(noise + ABOVE_NOISE_DB, peak[f] - BELOW_PEAK_DB, ABSOLUTE_FLOOR_DB);
      keep[f] = Math.max(threshold[f] - HYSTERESIS_DB, noise + ABOVE_NOISE_DB / 2, ABSOLUTE_FLOOR_DB);
    }
  }
  return {
    db,
    hop,
    length: n / p.sampleRate,
    duration: x.length / p.sampleRate,
    threshold,
    keep,
  };
}

/** Runs of speech frames as [first, last] frame indices, hysteresis applied. */
function speechRuns(fr: Frames): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const { db, threshold, keep } = fr;
  let f = 0;
  while (f < db.length) {
    if (db[f] <= threshold[f]) {
      f++;
      continue;
    }
    let a = f;
    let b = f;
    while (a > 0 && db[a - 1] > keep[a - 1]) a--;
    while (b + 1 < db.length && db[b + 1] > keep[b + 1]) b++;
    const last = runs[runs.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else runs.push([a, b]);
    f = b + 1;
  }
  return runs;
}

function resolve(opts: VadOptions): Required<VadOptions> {
  return { maxSegmentSec: opts.maxSegmentSec ?? 8, minGapSec: opts.minGapSec ?? 0.3, padSec: opts.padSec ?? 0.1 };
}

function regions(fr: Frames, o: Required<VadOptions>): Segment[] {
  const merged: Segment[] = [];
  for (const [a, b] of speechRuns(fr)) {
    const seg = { start: a * fr.hop, end: Math.min(fr.duration, b * fr.hop + fr.length) };
    const last = merged[merged.length - 1];
    if (last && seg.start - last.end < o.minGapSec) last.end = seg.end;
    else merged.push(seg);
  }
  const out: Segment[] = [];
  for (const seg of merged) {
    if (seg.end - seg.start < MIN_SPEECH_SEC) continue; // clicks and pops
    const padded = { start: Math.max(0, seg.start - o.padSec), end: Math.min(fr.duration, seg.end + o.padSec) };
    const last = out[out.length - 1];
    if (last && padded.start <= last.end) last.end = padded.end;
    else out.push(padded);
  }
  return out;
}

/** Speech regions, padded by padSec, with pauses shorter than minGapSec merged. Empty for silence or steady noise. */
export function detectSpeech(p: Pcm, opts: VadOptions = {}): Segment[] {
  return regions(analyse(p), resolve(opts));
}

/** Where to cut a too-long region: the middle of its longest pause, else its quietest moment. */
function splitPoint(fr: Frames, seg: Segment, o: Required<VadOptions>): { leftEnd: number; rightStart: number } {
  // Keep both pieces at least a quarter of the region (and never longer than needed to make progress).
  const margin = Math.min((seg.end - seg.start) / 4, o.maxSegmentSec / 2);
  const first = Math.ceil((seg.start + margin) / fr.hop);
  const last = Math.min(fr.db.length - 1, Math.floor((seg.end - margin - fr.length) / fr.hop));
  let best: [number, number] | null = null;
  let quietest = first;
  for (let f = first; f <= last; f++) {
    if (fr.db[f] < fr.db[quietest]) quietest = f;
    const quiet = (k: number) => fr.db[k] <= fr.keep[k];
    if (!quiet(f) || (f > first && quiet(f - 1))) continue;
    let g = f;
    while (g + 1 <= last && quiet(g + 1)) g++;
    const mid = (seg.start + seg.end) / 2;
    const better =
      !best ||
      g - f > best[1] - best[0] ||
      (g - f === best[1] - best[0] && Math.abs((f + g) / 2 * fr.hop - mid) < Math.abs(((best[0] + best[1]) / 2) * fr.hop - mid));
    if (better) best = [f, g];
  }
  if (!best) {
    const t = quietest * fr.hop + fr.length / 2;
    return { leftEnd: t, rightStart: t };
  }
  // Frames [f..g] are all quiet, so the silence spans from frame f's start to frame g's end.
  const pauseStart = best[0] * fr.hop;
  const pauseEnd = best[1] * fr.hop + fr.length;
  const mid = (pauseStart + pauseEnd) / 2;
  return {
    leftEnd: Math.min(mid, pauseStart + o.padSec),
    rightStart: Math.max(mid, pauseEnd - o.padSec),
  };
}

function splitLong(fr: Frames, seg: Segment, o: Required<VadOptions>, out: Segment[]): void {
  if (seg.end - seg.start <= o.maxSegmentSec || fr.db.length === 0) {
    out.push(seg);
    return;
  }
  const { leftEnd, rightStart } = splitPoint(fr, seg, o);
  splitLong(fr, { start: seg.start, end: leftEnd }, o, out);
  splitLong(fr, { start: rightStart, end: seg.end }, o, out);
}

/**
 * Speech cut into utterance-sized pieces: regions longer than maxSegmentSec are split at their
 * longest pause (recursively); pieces shorter than 0.25 s join a close neighbour or are dropped.
 */
export function utterances(p: Pcm, opts: VadOptions = {}): Segment[] {
  const o = resolve(opts);
  const fr = analyse(p);
  const pieces: Segment[] = [];
  for (const seg of regions(fr, o)) splitLong(fr, seg, o, pieces);
  const out: Segment[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const seg = pieces[i];
    if (seg.end - seg.start >= MIN_UTTERANCE_SEC) {
      out.push({ ...seg });
      continue;
    }
    const prev = out[out.length - 1];
    const next = pieces[i + 1];
    const gapPrev = prev ? seg.start - prev.end : Infinity;
    const gapNext = next ? next.start - seg.end : Infinity;
    if (prev && gapPrev <= gapNext && gapPrev < o.minGapSec * 2 && seg.end - prev.start <= o.maxSegmentSec) {
      prev.end = seg.end;
    } else if (next && gapNext < o.minGapSec * 2 && next.end - seg.start <= o.maxSegmentSec) {
      next.start = seg.start; // `next` is a fresh object per split, safe to widen
    }
  }
  return out;
}

/** The samples of one segment (a copy, so it can be transferred or kept independently). */
export function slicePcm(p: Pcm, seg: Segment): Pcm {
  return pcm(p.samples.slice(firstSample(p, seg), endSample(p, seg)));
}

/** The samples of one segment as a view into `p` (no copy), for a caller that only reads them. */
export function segmentView(p: Pcm, seg: Segment): Pcm {
  return pcm(p.samples.subarray(firstSample(p, seg), endSample(p, seg)));
}

function firstSample(p: Pcm, seg: Segment): number {
  return Math.max(0, Math.round(seg.start * p.sampleRate));
}

function endSample(p: Pcm, seg: Segment): number {
  return Math.max(firstSample(p, seg), Math.min(p.samples.length, Math.round(seg.end * p.sampleRate)));
}

/** Only the speech: the detected regions back to back (leading/trailing silence gone). Empty if none. */
export function speechOnly(p: Pcm, opts: VadOptions = {}): Pcm {
  const segs = detectSpeech(p, opts);
  let n = 0;
  for (const s of segs) n += endSample(p, s) - firstSample(p, s);
  const out = new Float32Array(n);
  let at = 0;
  for (const s of segs) {
    const part = segmentView(p, s).samples;
    out.set(part, at);
    at += part.length;
  }
  return pcm(out);
}
