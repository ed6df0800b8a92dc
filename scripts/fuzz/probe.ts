// A child process that decodes the bytes it is sent and answers with the outcome, the time and its peak memory.
// Run through ProbeClient (probe-client.ts): a case that loops forever is killed from outside by its deadline.
import { decodeAudio } from '../../src/core/audio/decode.js';
import { isSerError } from '../../src/core/errors.js';

export interface ProbeCase {
  id: number;
  bytes: Uint8Array;
  maxDurationSec: number;
  ffmpegPath: string | null;
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

const maxRss = () => process.resourceUsage().maxRSS * 1024;

process.on('message', async (m: ProbeCase) => {
  const started = performance.now();
  let answer: Omit<ProbeAnswer, 'ms' | 'maxRss'>;
  try {
    const pcm = await decodeAudio(m.bytes, { ffmpegPath: m.ffmpegPath, maxDurationSec: m.maxDurationSec });
    answer = { id: m.id, outcome: 'ok', samples: pcm.samples.length };
  } catch (e) {
    answer = isSerError(e) ? { id: m.id, outcome: e.code, message: e.message } : { id: m.id, outcome: 'UNTYPED', message: String((e as Error)?.stack ?? e) };
  }
  process.send!({ ...answer, ms: performance.now() - started, maxRss: maxRss() } satisfies ProbeAnswer);
});
process.send!({ ready: true, maxRss: maxRss() });
