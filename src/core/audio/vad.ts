// Energy-based voice activity detection: where the speech is, and how to cut it into utterances.
import { pcm, type Pcm } from '../pcm.js';
import { featureKernels as kernels } from '../dsp/fft.js';
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

type PeakForwardExport = (
  db: number, sm: number, lo: number, n: number, f0: number, f1: number, hold: number, half: number, decay: number, carry: number, out: number,
) => void;
type PeakBackwardExport = (
  pk: number, f0: number, f1: number, n: number, decay: number, carry: number, noise: number, above: number, below: number,
  floor: number, hyst: number, half: number, th: number, kp: number,
) => number;
const peakForward = kernels.exports.vadPeakForward as PeakForwardExport;
const peakBackward = kernels.exports.vadPeakBackward as PeakBackwardExport;
/** Frames the kernels' memory holds at once (three rows of them, 48 KB), margins included. */
const PEAK_CHUNK = 2048;
const ROW_A = kernels.region(3 * 8 * PEAK_CHUNK);
const ROW_B = ROW_A + 8 * PEAK_CHUNK;
const ROW_C = ROW_B + 8 * PEAK_CHUNK;
const rowA = new Float64Array(kernels.buffer, ROW_A, PEAK_CHUNK);
const rowB = new Float64Array(kernels.buffer, ROW_B, PEAK_CHUNK);
const rowC = new Float64Array(kernels.buffer, ROW_C, PEAK_CHUNK);

/**
 * Where speech starts and ends per frame (into threshold and keep) from the frame levels `db` and the noise
 * level: the peak envelope of the 50-ms averages of db, held for ±hold frames around each value and then
 * decaying by `decay` per frame in both directions; a frame is speech above max(noise + 10, peak − 30, −100)
 * dB, and stays speech above the hysteresis threshold below that. In WebAssembly (fft.wat's vadPeakForward and
 * vadPeakBackward, chunk by chunk: the forward pass with its margins, then back from the end), bit for bit
 * what this file's JavaScript computed; that was, after the frame levels, the VAD's largest TurboFan compile.
 */
export function speechThresholds(db: Float64Array, hold: number, decay: number, noise: number, threshold: Float64Array, keep: Float64Array): void {
  const n = db.length;
  const half = Math.floor(PEAK_SMOOTH_FRAMES / 2);
  const margin = hold + half;
  const step = PEAK_CHUNK - 2 * margin;
  if (step <= 0) throw new RangeError(`speechThresholds: a hold of ${hold} frames does not fit a chunk`);
  const peak = new Float64Array(n);
  let carry = 0;
  for (let f0 = 0; f0 < n; f0 += step) {
    const f1 = Math.min(n, f0 + step);
    const lo = Math.max(0, f0 - margin);
    rowA.set(db.subarray(lo, Math.min(n, f1 + margin)));
    peakForward(ROW_A, ROW_B, lo, n, f0, f1, hold, half, decay, carry, ROW_C);
    peak.set(rowC.subarray(0, f1 - f0), f0);
    carry = peak[f1 - 1];
  }
  for (let f1 = n; f1 > 0; f1 -= PEAK_CHUNK) {
    const f0 = Math.max(0, f1 - PEAK_CHUNK);
    rowC.set(peak.subarray(f0, f1));
    carry = peakBackward(ROW_C, f0, f1, n, decay, carry, noise, ABOVE_NOISE_DB, BELOW_PEAK_DB, ABSOLUTE_FLOOR_DB, HYSTERESIS_DB, ABOVE_NOISE_DB / 2, ROW_A, ROW_B);
    threshold.set(rowA.subarray(0, f1 - f0), f0);
    keep.set(rowB.subarray(0, f1 - f0), f0);
  }
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
    speechThresholds(db, Math.round(PEAK_HOLD_SEC / hop), PEAK_DECAY_DB_PER_SEC * hop, noise, threshold, keep);
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
