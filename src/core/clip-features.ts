// The one function from PCM to feature vector: training and prediction both call it (train = predict).
import { speechOnly } from './audio/vad.js';
import { moments } from './dsp/signal-passes.js';
import { extractFeatures, loudness } from './features/extract.js';
import type { Pcm } from './pcm.js';

export interface ClipFeatures {
  features: Float32Array;
  /** Speech level in dBFS, for the energy gate (kept out of the features: recording gain is arbitrary). */
  rmsDb: number;
  speechSec: number;
}

/** Features of one utterance: leading/trailing silence and pauses are cut before measuring. */
export function clipFeatures(p: Pcm): ClipFeatures {
  const speech = speechOnly(p);
  // A clip the VAD finds no speech in still gets features of the whole clip, so training on a
  // quiet file degrades gracefully; analyze() rejects speechless audio before it gets here.
  const samples = speech.samples.length ? speech.samples : p.samples;
  // Σx, Σx² and the peak once for both the normalisation and the level (a copy: the next moments() call reuses the view).
  const m = moments(samples).slice();
  return { features: extractFeatures(samples, m), rmsDb: loudness(samples, m).rmsDb, speechSec: speech.samples.length / p.sampleRate };
}
