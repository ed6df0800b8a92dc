// Energy-based voice activity detection: where the speech is, and how to cut it into utterances.
import { pcm, type Pcm } from '../pcm.js';

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
const PEAK_PERCENTILE = 0.99; // not the max: one click must not set the scale
const ABOVE_NOISE_DB = 10;
const BELOW_PEAK_DB = 35;
// Only digital near-silence sits below this. It is low on purpose: RAVDESS speech peaks around
// −35 dBFS, so a floor near −60 would make the result depend on the recording's gain.
const ABSOLUTE_FLOOR_DB = -90;
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
  threshold: number;
  keep: number; // the lower hysteresis threshold
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
}

function analyse(p: Pcm): Frames {
  const x = p.samples;
  const block = Math.max(1, Math.round(BLOCK_SEC * p.sampleRate));
  const perFrame = Math.round(FRAME_SEC / BLOCK_SEC);
  const perHop = Math.round(HOP_SEC / BLOCK_SEC);
  const blocks = Math.floor(x.length / block);
  const sum = new Float64Array(blocks);
  const sumSq = new Float64Array(blocks);
  for (let b = 0, i = 0; b < blocks; b++) {
    let s = 0;
    let s2 = 0;
    for (const end = i + block; i < end; i++) {
      const v = x[i];
      s += v;
      s2 += v * v;
    }
    sum[b] = s;
    sumSq[b] = s2;
  }
  const count = blocks >= perFrame ? Math.floor((blocks - perFrame) / perHop) + 1 : 0;
  const db = new Float64Array(count);
  const n = perFrame * block;
  for (let f = 0; f < count; f++) {
    let s = 0;
    let s2 = 0;
    for (let b = f * perHop, end = b + perFrame; b < end; b++) {
      s += sum[b];
      s2 += sumSq[b];
    }
    const mean = s / n;
    const power = Math.max(0, s2 / n - mean * mean);
    db[f] = power > 0 ? Math.max(SILENT_DB, 10 * Math.log10(power)) : SILENT_DB;
  }
  let threshold = Infinity;
  let keep = Infinity;
  if (count > 0) {
    const sorted = db.slice().sort();
    const noise = percentile(sorted, NOISE_PERCENTILE);
    const peak = percentile(sorted, PEAK_PERCENTILE);
    threshold = Math.max(noise + ABOVE_NOISE_DB, peak - BELOW_PEAK_DB, ABSOLUTE_FLOOR_DB);
    keep = Math.max(threshold - HYSTERESIS_DB, noise + ABOVE_NOISE_DB / 2, ABSOLUTE_FLOOR_DB);
  }
  return {
    db,
    hop: (perHop * block) / p.sampleRate,
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
    if (db[f] <= threshold) {
      f++;
      continue;
    }
    let a = f;
    let b = f;
    while (a > 0 && db[a - 1] > keep) a--;
    while (b + 1 < db.length && db[b + 1] > keep) b++;
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
    if (fr.db[f] > fr.keep || (f > first && fr.db[f - 1] <= fr.keep)) continue;
    let g = f;
    while (g + 1 <= last && fr.db[g + 1] <= fr.keep) g++;
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
  const from = Math.max(0, Math.round(seg.start * p.sampleRate));
  const to = Math.min(p.samples.length, Math.round(seg.end * p.sampleRate));
  return pcm(p.samples.slice(from, Math.max(from, to)));
}

/** Only the speech: the detected regions back to back (leading/trailing silence gone). Empty if none. */
export function speechOnly(p: Pcm, opts: VadOptions = {}): Pcm {
  const segs = detectSpeech(p, opts);
  const parts = segs.map((s) => slicePcm(p, s).samples);
  const out = new Float32Array(parts.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of parts) {
    out.set(s, at);
    at += s.length;
  }
  return pcm(out);
}
