// analyze(): PCM → utterances → features → calibrated probabilities → decision, per segment and overall.
import type { Analysis, SegmentResult } from './analysis.js';
import { segmentView, utterances } from './audio/vad.js';
import { clipFeatures } from './clip-features.js';
import { decide, toProbabilities, verdictOf, type Probabilities } from './decision.js';
import { EMOTIONS } from './emotions.js';
import { AudioError } from './errors.js';
import type { EmotionModel } from './model/model-file.js';
import { syntheticDetector } from './naturalness.js';
import { durationSec, type Pcm } from './pcm.js';

/** Built once: null when the shipped weights do not fit this feature spec (then no voice is judged synthetic). */
const detector = syntheticDetector();

export interface AnalyzeOptions {
  /** Less speech than this is TOO_SHORT. */
  minSpeechSec?: number;
  /** Longer audio than this is TOO_LONG (decoding checks it too; this guards direct PCM callers). */
  maxDurationSec?: number;
}

export const DEFAULT_ANALYZE: Required<AnalyzeOptions> = { minSpeechSec: 0.5, maxDurationSec: 300 };

export function analyze(p: Pcm, model: EmotionModel, opts: AnalyzeOptions = {}): Analysis {
  const o = { ...DEFAULT_ANALYZE, ...opts };
  const total = durationSec(p);
  if (p.samples.length === 0) throw new AudioError('EMPTY_AUDIO', 'The audio contains no samples.');
  if (total > o.maxDurationSec) {
    throw new AudioError('TOO_LONG', `The audio is ${total.toFixed(0)} s long; the limit is ${o.maxDurationSec} s.`, { durationSec: total, limitSec: o.maxDurationSec });
  }
  const segs = utterances(p);
  if (segs.length === 0) throw new AudioError('NO_SPEECH', 'No speech was found in the audio (it seems to be silence or noise).');
  const segments: SegmentResult[] = [];
  let speechSec = 0;
  for (const seg of segs) {
    const clip = clipFeatures(segmentView(p, seg)); // read only: no copy
    if (clip.speechSec <= 0) continue;
    const synthetic = detector?.soundsSynthetic(clip.features) ?? false;
    const verdict = decide(toProbabilities(model.predict(clip.features)), clip.rmsDb, model.rules, synthetic);
    segments.push({ start: seg.start, end: seg.end, ...verdict });
    speechSec += clip.speechSec;
  }
  if (speechSec < o.minSpeechSec) {
    throw new AudioError('TOO_SHORT', `Only ${speechSec.toFixed(1)} s of speech was found; at least ${o.minSpeechSec} s is needed.`, { speechSec, minSpeechSec: o.minSpeechSec });
  }
  // The overall result weighs each utterance's (already gated and capped) probabilities by its length.
  const overall = {} as Probabilities;
  const weightSum = segments.reduce((s, g) => s + (g.end - g.start), 0);
  for (const e of EMOTIONS) overall[e] = segments.reduce((s, g) => s + g.probabilities[e] * (g.end - g.start), 0) / weightSum;
  // Called synthetic overall when most of the speech is: one short fragment judged so does not label a person's note.
  const syntheticSec = segments.reduce((s, g) => s + (g.synthetic ? g.end - g.start : 0), 0);
  return {
    ...verdictOf(overall, segments.some((g) => g.gated), model.rules, syntheticSec > weightSum / 2),
    durationSec: total,
    speechSec,
    segments,
    modelVersion: model.card.version,
  };
}
