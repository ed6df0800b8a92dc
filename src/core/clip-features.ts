// The one function from PCM to feature vector: training and prediction both call it (train = predict).
import { speechOnly } from './audio/vad.js';
import { moments } from './dsp/signal-passes.js';
import { extractFeatures, loudness, speechFrameVectors } from './features/extract.js';
import type { Pcm } from './pcm.js';

export interface ClipFeatures {
  features: Float32Array;
  /** Speech level in dBFS, for the energy gate (kept out of the features: recording gain is arbitrary). */
  rmsDb: number;
  speechSec: number;
}

/** Features of one utterance: leading/trailing silence and pauses are cut before measuring. */
export function clipFeatures(p: Pcm): ClipFeatures {
  const { speech, samples } = cut(p);
  // Σx, Σx² and the peak once for both the normalisation and the level (a copy: the next moments() call reuses the view).
  const m = moments(samples).slice();
  return { features: extractFeatures(samples, m), rmsDb: loudness(samples, m).rmsDb, speechSec: speech.samples.length / p.sampleRate };
}

/** The speech frames' MFCC vectors clipFeatures() scores against the frame mixture (what its fit reads). */
export function clipFrameVectors(p: Pcm): Float64Array {
  return speechFrameVectors(cut(p).samples);
}

function cut(p: Pcm): { speech: Pcm; samples: Float32Array } {
  const speech = speechOnly(p);
  // A clip the VAD finds no speech in still gets features of the whole clip, so training on a
  // quiet file degrades gracefully; analyze() rejects speechless audio before it gets here.
  return { speech, samples: speech.samples.length ? speech.samples : p.samples };
}
