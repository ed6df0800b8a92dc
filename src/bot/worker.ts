// A pool worker: decodes and analyzes audio with the core, off the bot's event loop. Loads the model once.
import { workerData } from 'node:worker_threads';
import type { Raster } from '../charts/raster.js';
import type { RenderJob } from '../charts/render-job.js';
import type { Analysis } from '../core/analysis.js';
import { modelFromBytes, readModel, type EmotionModel } from '../core/model/io.js';
import type { ModelCard } from '../core/model/model-file.js';
import { SAMPLE_RATE } from '../core/pcm.js';
import { analyzeAudio, type AudioLimits } from './worker-analysis.js';
import { serveJobs, toPlainError, type PlainError } from './pool.js';
import type { PacketBatch } from './voice/packets.js';
import type { AssemblyStats } from './voice/utterance.js';

export interface WorkerSettings {
  modelPath: string;
  /**
   * The model file's bytes in a SharedArrayBuffer (readModelBytes with `shared`): every worker predicts from this
   * one copy. Absent: each worker reads modelPath itself.
   */
  modelBytes?: Uint8Array;
  ffmpegPath: string | null;
}

type Limits = AudioLimits;

/**
 * Work the bot hands to the pool: a file's bytes (/analyze), decoded voice PCM (/listen), the model card, or a chart to draw.
 * `wav: true` also returns the audio as 16-bit WAV, for speech-to-text (encoded here, off the event loop).
 */
export type AnalysisJob =
  | ({ kind: 'bytes'; bytes: Uint8Array; wav?: boolean } & Limits)
  | ({ kind: 'pcm'; samples: Float32Array; wav?: boolean } & Limits)
  | ({ kind: 'opus'; batch: PacketBatch; minUtteranceSec: number; wav?: boolean } & Limits)
  | { kind: 'card' }
  | { kind: 'render'; render: RenderJob };
/**
 * A /listen utterance's answer: the decoder's counts always (they feed the session's stats and its deafness
 * watch), then the analysis, or why there is none (`short`: under minUtteranceSec; `error`: the core refused).
 */
export interface VoiceJobResult {
  stats: AssemblyStats;
  audioSec: number;
  analysis?: Analysis;
  short?: true;
  error?: PlainError;
  wav?: Uint8Array;
}
/** A job's answer when it asked for `wav`: the analysis, plus the audio it was made from. */
export interface AnalysisWithWav {
  analysis: Analysis;
  wav: Uint8Array;
}
export type AnalysisJobResult = Analysis | AnalysisWithWav | ModelCard | Raster | VoiceJobResult;

const settings = (workerData as { data: WorkerSettings }).data;
// Loaded before the worker says it is ready, so no job's deadline pays for it; a failure is
// reported by every job.
const model: Promise<EmotionModel> = settings.modelBytes ? Promise.resolve(settings.modelBytes).then(modelFromBytes) : readModel(settings.modelPath);
await model.catch(() => undefined);

/** The chart renderer and its rasteriser (a native addon), loaded by the first chart: the CLI's worker never draws. */
let charts: Promise<typeof import('../charts/render-job.js')> | undefined;
/** /listen's Opus decoding (libopus), loaded by the first utterance. */
let voice: Promise<[typeof import('./voice/packets.js'), typeof import('./voice/utterance.js')]> | undefined;

serveJobs<AnalysisJob, AnalysisJobResult>(async (job) => {
  if (job.kind === 'render') {
    // Charts need no model: drawn even when it failed to load.
    const r = (await (charts ??= import('../charts/render-job.js'))).renderChart(job.render);
    return { result: r, transfer: [r.png.buffer as ArrayBuffer] };
  }
  const m = await model;
  if (job.kind === 'card') return { result: m.card };
  if (job.kind === 'opus') {
    const [packets, utterance] = await (voice ??= Promise.all([import('./voice/packets.js'), import('./voice/utterance.js')]));
    const { samples, stats } = packets.decodeBatch(job.batch, utterance.createDecoder());
    const audioSec = samples.length / SAMPLE_RATE;
    if (audioSec < job.minUtteranceSec) return { result: { stats, audioSec, short: true } };
    let out: { analysis: Analysis; wav?: Uint8Array };
    try {
      out = await analyzeAudio({ samples }, m, job, { ffmpegPath: null, wav: job.wav === true });
    } catch (e) {
      return { result: { stats, audioSec, error: toPlainError(e) } };
    }
    const result = { stats, audioSec, ...out };
    return out.wav ? { result, transfer: [out.wav.buffer as ArrayBuffer] } : { result };
  }
  const source = job.kind === 'bytes' ? { bytes: job.bytes } : { samples: job.samples };
  const { analysis, wav } = await analyzeAudio(source, m, job, { ffmpegPath: settings.ffmpegPath, wav: job.wav === true });
  if (wav) return { result: { analysis, wav }, transfer: [wav.buffer as ArrayBuffer] };
  return { result: analysis };
});
