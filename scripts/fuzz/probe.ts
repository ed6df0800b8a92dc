// A child process that decodes the bytes it is sent and answers with the outcome, the time and its peak memory.
// Run through ProbeClient (probe-client.ts): a case that loops forever is killed from outside by its deadline.
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { isSerError } from '../../src/core/errors.js';
import { readModel, type EmotionModel } from '../../src/core/model/io.js';

export interface ProbeCase {
  id: number;
  bytes: Uint8Array;
  maxDurationSec: number;
  ffmpegPath: string | null;
  /** Also run analyze() with this model (loaded once per child), as a bot worker does. */
  modelPath?: string | null;
}

export interface ProbeAnswer {
  id: number;
  /** 'ok', a typed error code, or 'UNTYPED' (a bug: the harness fails on it). */
  outcome: string;
  message?: string;
  samples?: number;
  ms: number;
  /** This process's peak RSS so far, in bytes (a high-water mark). */
  maxRss: number;
}

/**
 * Peak RSS of this process, in bytes. Linux's VmHWM belongs to this process image; getrusage's
 * maxRSS survives exec and so starts at the parent's peak, which would hide a child's own growth.
 */
function maxRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS * 1024;
}
const models = new Map<string, Promise<EmotionModel>>();

process.on('message', async (m: ProbeCase) => {
  const started = performance.now();
  let answer: Omit<ProbeAnswer, 'ms' | 'maxRss'>;
  try {
    const pcm = await decodeAudio(m.bytes, { ffmpegPath: m.ffmpegPath, maxDurationSec: m.maxDurationSec });
    if (m.modelPath) {
      if (!models.has(m.modelPath)) models.set(m.modelPath, readModel(m.modelPath));
      analyze(pcm, await models.get(m.modelPath)!, { maxDurationSec: m.maxDurationSec });
    }
    answer = { id: m.id, outcome: 'ok', samples: pcm.samples.length };
  } catch (e) {
    answer = isSerError(e) ? { id: m.id, outcome: e.code, message: e.message } : { id: m.id, outcome: 'UNTYPED', message: String((e as Error)?.stack ?? e) };
  }
  process.send!({ ...answer, ms: performance.now() - started, maxRss: maxRss() } satisfies ProbeAnswer);
});
process.send!({ ready: true, maxRss: maxRss() });
