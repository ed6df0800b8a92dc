// What a pool worker does with a file's bytes or decoded samples: the analysis, and with `wav` the audio as
// 16-bit WAV for speech-to-text. The CLI runs the same in its own thread for the files it decodes without ffmpeg.
import type { Analysis } from '../core/analysis.js';
import { analyze } from '../core/analyze.js';
import { decodeAudio } from '../core/audio/index.js';
import type { EmotionModel } from '../core/model/io.js';
import { pcm } from '../core/pcm.js';
import { encodeWav16 } from '../transcribe/wav.js';

export interface AudioLimits {
  maxDurationSec: number;
  /** Undefined: the core's default. */
  minSpeechSec?: number;
}

export async function analyzeAudio(
  source: { bytes: Uint8Array } | { samples: Float32Array },
  model: EmotionModel,
  limits: AudioLimits,
  o: { ffmpegPath: string | null; wav?: boolean },
): Promise<{ analysis: Analysis; wav?: Uint8Array }> {
  const audio = 'bytes' in source ? await decodeAudio(source.bytes, { ffmpegPath: o.ffmpegPath, maxDurationSec: limits.maxDurationSec }) : pcm(source.samples);
  const opts = { maxDurationSec: limits.maxDurationSec, ...(limits.minSpeechSec !== undefined ? { minSpeechSec: limits.minSpeechSec } : {}) };
  const analysis = analyze(audio, model, opts);
  // Only once the analysis succeeded: a request that gets an error asks for no transcript either.
  return o.wav ? { analysis, wav: encodeWav16(audio.samples) } : { analysis };
}
