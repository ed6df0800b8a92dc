// One speaker in a /listen session: their current utterance's packets, and what the session learned about them.
import type { AudioReceiveStream } from '@discordjs/voice';
import type { Analysis, ConfidenceLevel } from '../../core/analysis.js';
import { blocksOf, emptyShareOf, type LaneBlock, type Share } from '../../charts/lanes.js';
import { EMOTIONS, type EmotionLabel } from '../../core/emotions.js';
import { PacketCollector } from './packets.js';

/** The result shown for a speaker: the latest utterance's verdict. */
export interface LatestResult {
  emotion: EmotionLabel;
  confidence: number;
  level: ConfidenceLevel;
  /** Milliseconds since the session started. */
  at: number;
  /** What was said, when the session transcribes: undefined while pending, null when unavailable. */
  transcript?: string | null;
  /** The voice sounded machine-made (a TTS bot, a soundboard), so the confidence was capped. */
  synthetic?: boolean;
}

/** Speech time per emotion; uncertain stretches are kept apart, never counted as an emotion (the chart's Share). */
export type SpeechShare = Share;
export const emptyShare: () => SpeechShare = emptyShareOf;

// The summary shows a timeline of the first utterances; beyond this only the totals grow, so a
// long session holds a bounded amount per speaker.
const TIMELINE_CAP = 120;
// The summary chart's blocks: past this many, neighbours are merged in pairs, so any session length holds a
// bounded amount per speaker (an hour of speech is ~1000 segments; the chart's lane is ~850 px wide).
export const BLOCK_CAP = 1024;

/** Halves a block list by merging neighbours: the pair spans both, with the longer one's emotion and the mean confidence. */
export function coalesce(blocks: LaneBlock[]): LaneBlock[] {
  const out: LaneBlock[] = [];
  for (let i = 0; i < blocks.length; i += 2) {
    const a = blocks[i]!;
    const b = blocks[i + 1];
    if (!b) {
      out.push(a);
      continue;
    }
    const main = b.end - b.start > a.end - a.start ? b : a;
    out.push({ start: a.start, end: b.end, emotion: main.emotion, uncertain: main.uncertain, confidence: (a.confidence + b.confidence) / 2 });
  }
  return out;
}

export class Speaker {
  /** The utterance's packets (decoded in a pool worker when it ends); null while the speaker is away (freed). */
  private audio: PacketCollector | null = null;
  stream: AudioReceiveStream | null = null;
  /** The current utterance hit an error (bad packet): resubscribe if the user is still talking. */
  streamFailed = false;
  /** They left the channel: free their packets once the current utterance is submitted. */
  leaving = false;
  utterances = 0;
  speechSec = 0;
  readonly share: SpeechShare = emptyShare();
  /** One entry per analyzed utterance, in order (capped). */
  readonly timeline: { emotion: EmotionLabel; uncertain: boolean; at: number }[] = [];
  latest: LatestResult | null = null;
  /** Every analyzed stretch on the session's time axis (seconds), for the summary chart; bounded by BLOCK_CAP. */
  blocks: LaneBlock[] = [];
  /** Performance time the current utterance ended, for latency. */
  endedAt = 0;
  /**
   * Whether this speaker's last decoded piece had any frame decode (or no bad frame): until one shows
   * otherwise, a packet that is not DAVE ciphertext counts as heard when it arrives. The decoder's own
   * verdict comes with each piece's result.
   */
  decodes = true;

  constructor(
    readonly userId: string,
    public name: string,
  ) {}

  /** The packets of the utterance being received, kept from when they first speak. */
  get packets(): PacketCollector {
    return (this.audio ??= new PacketCollector());
  }

  get holdsAudio(): boolean {
    return this.audio !== null;
  }

  /** Frees any audio still buffered (they left, or the session ended); totals stay for the summary. */
  release(): void {
    this.audio?.discard();
    this.audio = null;
  }

  /**
   * Folds one utterance's analysis into the speaker's totals; `at` is ms since the session started, `endedAt`
   * when the utterance ended (ms since the start; defaults to `at`), which places its segments on the chart.
   */
  record(a: Analysis, at: number, endedAt = at): void {
    this.blocks.push(...blocksOf(a.segments, Math.max(0, endedAt / 1000 - a.durationSec)));
    if (this.blocks.length > BLOCK_CAP) this.blocks = coalesce(this.blocks);
    this.utterances++;
    this.speechSec += a.speechSec;
    for (const s of a.segments) this.share[s.level === 'uncertain' ? 'uncertain' : s.emotion] += s.end - s.start;
    if (this.timeline.length < TIMELINE_CAP) this.timeline.push({ emotion: a.emotion, uncertain: a.level === 'uncertain', at });
    this.latest = { emotion: a.emotion, confidence: a.confidence, level: a.level, at, ...(a.synthetic ? { synthetic: true } : {}) };
  }

  /** The emotion with the most speech time (uncertain stretches excluded), or null before any. */
  dominant(): EmotionLabel | null {
    let best: EmotionLabel | null = null;
    for (const e of EMOTIONS) if (this.share[e] > 0 && (best === null || this.share[e] > this.share[best])) best = e;
    return best;
  }
}
