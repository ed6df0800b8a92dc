// One speaker in a /listen session: their decoder and current utterance, and what the session learned about them.
import type { AudioReceiveStream } from '@discordjs/voice';
import type { Analysis, ConfidenceLevel } from '../../core/analysis.js';
import { EMOTIONS, type EmotionLabel } from '../../core/emotions.js';
import { UtteranceAssembler, type OpusDecoder } from './utterance.js';

/** The result shown for a speaker: the latest utterance's verdict. */
export interface LatestResult {
  emotion: EmotionLabel;
  confidence: number;
  level: ConfidenceLevel;
  /** Milliseconds since the session started. */
  at: number;
  /** What was said, when the session transcribes: undefined while pending, null when unavailable. */
  transcript?: string | null;
}

/** Speech time per emotion; uncertain stretches are kept apart, never counted as an emotion. */
export type SpeechShare = Record<EmotionLabel | 'uncertain', number>;

export function emptyShare(): SpeechShare {
  return Object.fromEntries([...EMOTIONS, 'uncertain'].map((e) => [e, 0])) as SpeechShare;
}

// The summary shows a timeline of the first utterances; beyond this only the totals grow, so a
// long session holds a bounded amount per speaker.
const TIMELINE_CAP = 120;

export class Speaker {
  /** The decoder and the utterance being assembled; null while the speaker is away (freed). */
  private audio: UtteranceAssembler | null = null;
  stream: AudioReceiveStream | null = null;
  /** The current utterance hit an error (bad packet): resubscribe if the user is still talking. */
  streamFailed = false;
  /** They left the channel: free the decoder once the current utterance is submitted. */
  leaving = false;
  utterances = 0;
  speechSec = 0;
  readonly share: SpeechShare = emptyShare();
  /** One entry per analyzed utterance, in order (capped). */
  readonly timeline: { emotion: EmotionLabel; uncertain: boolean; at: number }[] = [];
  latest: LatestResult | null = null;
  /** Performance time the current utterance ended, for latency. */
  endedAt = 0;

  constructor(
    readonly userId: string,
    public name: string,
    private readonly makeDecoder: () => OpusDecoder,
  ) {}

  /** One decoder per speaker (it carries state from frame to frame), made when they first speak. */
  get assembler(): UtteranceAssembler {
    return (this.audio ??= new UtteranceAssembler(this.makeDecoder()));
  }

  get holdsAudio(): boolean {
    return this.audio !== null;
  }

  /** Frees the decoder and any audio still buffered (they left, or the session ended); totals stay for the summary. */
  release(): void {
    this.audio?.discard();
    this.audio = null;
  }

  /** Folds one utterance's analysis into the speaker's totals; `at` is ms since the session started. */
  record(a: Analysis, at: number): void {
    this.utterances++;
    this.speechSec += a.speechSec;
    for (const s of a.segments) this.share[s.level === 'uncertain' ? 'uncertain' : s.emotion] += s.end - s.start;
    if (this.timeline.length < TIMELINE_CAP) this.timeline.push({ emotion: a.emotion, uncertain: a.level === 'uncertain', at });
    this.latest = { emotion: a.emotion, confidence: a.confidence, level: a.level, at };
  }

  /** The emotion with the most speech time (uncertain stretches excluded), or null before any. */
  dominant(): EmotionLabel | null {
    let best: EmotionLabel | null = null;
    for (const e of EMOTIONS) if (this.share[e] > 0 && (best === null || this.share[e] > this.share[best])) best = e;
    return best;
  }
}
