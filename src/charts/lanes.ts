// The lane chart: one lane per speaker across the time axis, each stretch of speech a block coloured by emotion with its
// confidence as opacity (uncertain: grey, hatched), and beside each lane that speaker's share of speech time per emotion.
// /listen's session summary draws many lanes; /analyze and the CLI draw one for a long recording.
import type { Analysis, SegmentResult } from '../core/analysis.js';
import { EMOTIONS, type EmotionLabel } from '../core/emotions.js';
import { fitText, textWidth, xml } from './font.js';
import { CARD, confidenceOpacity, EMOTION_FILL, UNCERTAIN_FILL } from './palette.js';

export type ShareKey = EmotionLabel | 'uncertain';
/** Seconds of speech per emotion (uncertain stretches apart). */
export type Share = Record<ShareKey, number>;

export interface LaneBlock {
  /** Seconds from the start of the chart's time axis. */
  start: number;
  end: number;
  emotion: EmotionLabel;
  confidence: number;
  uncertain: boolean;
}

export interface Lane {
  name: string;
  blocks: readonly LaneBlock[];
  share: Share;
}

export interface LaneChart {
  title: string;
  subtitle?: string;
  durationSec: number;
  lanes: readonly Lane[];
  /** Shown instead of lanes when there are none. */
  emptyText?: string;
}

/** An analysis's segments as blocks, `offsetSec` later on the chart's axis. */
export function blocksOf(segments: readonly SegmentResult[], offsetSec = 0): LaneBlock[] {
  return segments.map((s) => ({ start: offsetSec + s.start, end: offsetSec + s.end, emotion: s.emotion, confidence: s.confidence, uncertain: s.level === 'uncertain' }));
}

/** Seconds per emotion over `blocks`. */
export function shareOf(blocks: readonly LaneBlock[]): Share {
  const share = emptyShareOf();
  for (const b of blocks) share[b.uncertain ? 'uncertain' : b.emotion] += b.end - b.start;
  return share;
}

/** One recording's segments as a one-lane chart (/analyze and the CLI's --plot). */
export function analysisTimeline(a: Analysis, name: string): LaneChart {
  const blocks = blocksOf(a.segments);
  return {
    title: 'Emotion over time',
    subtitle: `${clock(a.durationSec)} of audio · ${a.segments.length} segments · ${Math.round(a.speechSec)} s of speech`,
    durationSec: a.durationSec,
    lanes: [{ name, blocks, share: shareOf(blocks) }],
  };
}

/** More lanes than this and a phone shows ribbons: the quietest speakers share one summary lane. */
export const MAX_LANES = 8;

const SHARE_KEYS: readonly ShareKey[] = [...EMOTIONS, 'uncertain'];

export function emptyShareOf(): Share {
  return Object.fromEntries(SHARE_KEYS.map((k) => [k, 0])) as Share;
}

function total(s: Share): number {
  return SHARE_KEYS.reduce((a, k) => a + s[k], 0);
}

/** Keeps the `max - 1` speakers with the most speech and folds the rest into one "+N more speakers" lane. */
export function capLanes(lanes: readonly Lane[], max = MAX_LANES): Lane[] {
  const sorted = [...lanes].sort((a, b) => total(b.share) - total(a.share));
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, max - 1);
  const rest = sorted.slice(max - 1);
  const share = emptyShareOf();
  for (const l of rest) for (const k of SHARE_KEYS) share[k] += l.share[k];
  const blocks = rest.flatMap((l) => l.blocks).sort((a, b) => a.start - b.start);
  return [...kept, { name: `+${rest.length} more speakers`, blocks, share }];
}

/** Where everything is, in SVG units (the PNG is `zoom` times larger); tests sample pixels with it. */
export interface Layout {
  width: number;
  height: number;
  timeX(sec: number): number;
  /** Top of lane `i`'s bar. */
  barTop(i: number): number;
  barHeight: number;
  shareLeft: number;
  shareWidth: number;
  /** The lanes drawn, after capping. */
  lanes: Lane[];
}

// A phone shows the picture about 360 px wide: 600 units keep the smallest text (13) near 8 px there.
const W = 600;
const PAD = 16;
const SHARE_W = 140;
const GAP = 14;
const NAME_ROW = 26;
const BAR_H = 28;
const LANE_GAP = 12;
const LEGEND_COLS = 4;
const LEGEND_ROW = 24;
/** Font sizes, in units. */
const SIZE = { title: 22, subtitle: 15, legend: 16, name: 17, mostly: 14, axis: 13, note: 13 } as const;

function clock(sec: number): string {
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A tick step giving at most `max` intervals over `sec`. */
function tickStep(sec: number, max = 5): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];
  return steps.find((s) => sec / s <= max) ?? Math.ceil(sec / max / 3600) * 3600;
}

function label(k: ShareKey): string {
  return k === 'uncertain' ? 'not sure' : k;
}

const look = (b: LaneBlock) => (b.uncertain ? 'u' : `${b.emotion}:${confidenceOpacity(b.confidence)}`);

/**
 * The rects a lane draws. Blocks that would touch on screen with the same look become one; a dense lane (more
 * blocks than half its columns) is drawn per column of one unit (2 px), each column showing the block that covers
 * most of it, so an hour of speech — or the per-speaker cap of blocks — stays a few hundred rects per lane.
 */
function forScreen(blocks: readonly LaneBlock[], x: (sec: number) => number, left: number, right: number): { x0: number; x1: number; b: LaneBlock }[] {
  const sorted = [...blocks].sort((p, q) => p.start - q.start);
  const out: { x0: number; x1: number; b: LaneBlock }[] = [];
  const push = (x0: number, x1: number, b: LaneBlock) => {
    const last = out.at(-1);
    if (last && look(last.b) === look(b) && x0 - last.x1 < 0.5) last.x1 = Math.max(last.x1, x1);
    else out.push({ x0, x1, b });
  };
  const columns = Math.ceil(right - left);
  if (sorted.length <= columns / 2) {
    for (const b of sorted) push(x(b.start), x(b.end), b);
    return out;
  }
  // Per column: the block covering most of it, and how much of it is speech at all.
  const best: (LaneBlock | null)[] = new Array(columns).fill(null);
  const most = new Float64Array(columns);
  const speech = new Float64Array(columns);
  for (const b of sorted) {
    const [x0, x1] = [x(b.start) - left, x(b.end) - left];
    for (let c = Math.max(0, Math.floor(x0)); c < Math.min(columns, Math.ceil(x1)); c++) {
      const cover = Math.min(x1, c + 1) - Math.max(x0, c);
      speech[c] += cover;
      if (cover > most[c]!) (most[c] = cover), (best[c] = b);
    }
  }
  for (let c = 0; c < columns; c++) if (best[c] && speech[c]! >= 0.5) push(left + c, left + c + 1, best[c]!);
  return out;
}

export function laneChart(c: LaneChart): { svg: string; layout: Layout } {
  const lanes = capLanes(c.lanes);
  const duration = Math.max(1, c.durationSec);
  const timeLeft = PAD;
  const timeRight = W - PAD - SHARE_W - GAP;
  const shareLeft = W - PAD - SHARE_W;
  const timeX = (sec: number) => timeLeft + (Math.min(Math.max(sec, 0), duration) / duration) * (timeRight - timeLeft);

  const parts: string[] = [];
  let y = PAD + 22;
  parts.push(`<text x="${PAD}" y="${y}" font-size="${SIZE.title}" fill="${CARD.text}">${xml(fitText(c.title, SIZE.title, W - 2 * PAD))}</text>`);
  if (c.subtitle) {
    y += 24;
    parts.push(`<text x="${PAD}" y="${y}" font-size="${SIZE.subtitle}" fill="${CARD.muted}">${xml(fitText(c.subtitle, SIZE.subtitle, W - 2 * PAD))}</text>`);
  }
  // Legend: every colour with its name (the chart never relies on colour alone).
  y += 14;
  const colW = (W - 2 * PAD) / LEGEND_COLS;
  SHARE_KEYS.forEach((k, i) => {
    const x = PAD + (i % LEGEND_COLS) * colW;
    const top = y + Math.floor(i / LEGEND_COLS) * LEGEND_ROW;
    const fill = k === 'uncertain' ? 'url(#hatch)' : EMOTION_FILL[k];
    parts.push(`<rect x="${x}" y="${top}" width="16" height="16" rx="2" fill="${fill}"/>`);
    parts.push(`<text x="${x + 22}" y="${top + 14}" font-size="${SIZE.legend}" fill="${CARD.text}">${label(k)}</text>`);
  });
  y += Math.ceil(SHARE_KEYS.length / LEGEND_COLS) * LEGEND_ROW + 4;
  parts.push(`<text x="${PAD}" y="${y + 8}" font-size="${SIZE.note}" fill="${CARD.muted}">fainter = less confident</text>`);
  y += 20;

  const lanesTop = y;
  const pitch = NAME_ROW + BAR_H + LANE_GAP;
  const barTop = (i: number) => lanesTop + i * pitch + NAME_ROW;
  const lanesBottom = lanes.length ? barTop(lanes.length - 1) + BAR_H : lanesTop + 40;

  // Grid first, so blocks sit on top of it.
  const step = tickStep(duration);
  const ticks: number[] = [];
  for (let t = 0; t <= duration + 1e-9; t += step) ticks.push(t);
  for (const t of ticks) parts.push(`<line x1="${timeX(t)}" y1="${lanesTop}" x2="${timeX(t)}" y2="${lanesBottom}" stroke="${CARD.grid}" stroke-width="1"/>`);

  if (!lanes.length) {
    parts.push(`<text x="${(timeLeft + timeRight) / 2}" y="${lanesTop + 26}" text-anchor="middle" font-size="${SIZE.name}" fill="${CARD.muted}">${xml(c.emptyText ?? 'Nothing to show.')}</text>`);
  }
  lanes.forEach((lane, i) => {
    const top = barTop(i);
    const sum = total(lane.share);
    const ranked = SHARE_KEYS.filter((k) => lane.share[k] > 0).sort((a, b) => lane.share[b] - lane.share[a]);
    // Like the text summary: the dominant emotion leaves uncertain stretches out.
    const dom = ranked.find((k) => k !== 'uncertain');
    const mostly = dom ? `mostly ${dom} ${Math.round((lane.share[dom] / sum) * 100)} %` : ranked.length ? 'not sure' : 'no speech';
    parts.push(`<text x="${shareLeft + SHARE_W}" y="${top - 7}" text-anchor="end" font-size="${SIZE.mostly}" fill="${CARD.muted}">${xml(mostly)}</text>`);
    // The name has the row up to the "mostly …" label, which is right-aligned over the share bar.
    const nameRoom = shareLeft + SHARE_W - textWidth(mostly, SIZE.mostly) - 16 - timeLeft;
    parts.push(`<text x="${timeLeft}" y="${top - 7}" font-size="${SIZE.name}" fill="${CARD.text}">${xml(fitText(lane.name, SIZE.name, nameRoom) || `speaker ${i + 1}`)}</text>`);
    parts.push(`<rect x="${timeLeft}" y="${top}" width="${timeRight - timeLeft}" height="${BAR_H}" fill="${CARD.track}" fill-opacity="0.6"/>`);
    for (const { x0, x1, b } of forScreen(lane.blocks, timeX, timeLeft, timeRight)) {
      const w = Math.max(1, x1 - x0);
      if (b.uncertain) parts.push(`<rect x="${r(x0)}" y="${top}" width="${r(w)}" height="${BAR_H}" fill="url(#hatch)"/>`);
      else parts.push(`<rect x="${r(x0)}" y="${top}" width="${r(w)}" height="${BAR_H}" fill="${EMOTION_FILL[b.emotion]}" fill-opacity="${confidenceOpacity(b.confidence)}"/>`);
    }
    // Share of speech time, largest first, as one stacked bar.
    parts.push(`<rect x="${shareLeft}" y="${top}" width="${SHARE_W}" height="${BAR_H}" fill="${CARD.track}"/>`);
    let x = shareLeft;
    for (const k of ranked) {
      const w = (lane.share[k] / sum) * SHARE_W;
      parts.push(`<rect x="${r(x)}" y="${top}" width="${r(w)}" height="${BAR_H}" fill="${k === 'uncertain' ? 'url(#hatch)' : EMOTION_FILL[k]}"/>`);
      x += w;
    }
  });

  // Time axis under the lanes; the share column gets its own caption.
  const axisY = lanesBottom + 18;
  for (const t of ticks) {
    const anchor = t === 0 ? 'start' : timeX(t) > timeRight - 20 ? 'end' : 'middle';
    parts.push(`<text x="${timeX(t)}" y="${axisY}" text-anchor="${anchor}" font-size="${SIZE.axis}" fill="${CARD.muted}">${clock(t)}</text>`);
  }
  if (lanes.length) parts.push(`<text x="${shareLeft + SHARE_W / 2}" y="${axisY}" text-anchor="middle" font-size="${SIZE.axis}" fill="${CARD.muted}">share of speech</text>`);
  const height = axisY + PAD;

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans">
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${UNCERTAIN_FILL}" fill-opacity="0.45"/><rect width="3" height="6" fill="${UNCERTAIN_FILL}"/></pattern></defs>
<rect x="0.5" y="0.5" width="${W - 1}" height="${height - 1}" rx="10" fill="${CARD.background}" stroke="${CARD.border}"/>
${parts.join('\n')}
</svg>
`;
  return { svg, layout: { width: W, height, timeX, barTop, barHeight: BAR_H, shareLeft, shareWidth: SHARE_W, lanes } };
}

function r(v: number): number {
  return Math.round(v * 100) / 100;
}
