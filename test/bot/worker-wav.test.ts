// The analysis worker's `wav` option: the same analysis as without it, plus the audio it analyzed as 16-bit WAV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/bot/pool.js';
import type { AnalysisJob, AnalysisJobResult, AnalysisWithWav } from '../../src/bot/worker.js';
import { decodeAudio } from '../../src/core/audio/index.js';
import type { Analysis } from '../../src/core/analysis.js';
import { SHIPPED_MODEL } from '../emulator/harness.js';
import { speechNote } from '../emulator/voice-note.js';

let pool: WorkerPool<AnalysisJob, AnalysisJobResult>;
let note: Uint8Array;
let decoded: Float32Array;

beforeAll(async () => {
  pool = new WorkerPool({ module: new URL('../../src/bot/worker.ts', import.meta.url), size: 1, maxQueue: 8, workerData: { modelPath: SHIPPED_MODEL, ffmpegPath: null } });
  note = await speechNote(4);
  decoded = (await decodeAudio(note.slice(), { maxDurationSec: 60 })).samples;
});
afterAll(async () => {
  await pool?.close();
});

async function samplesOf(wav: Uint8Array): Promise<Float32Array> {
  return (await decodeAudio(wav.slice(), { maxDurationSec: 60 })).samples;
}

describe('analysis worker with wav: true', () => {
  it('bytes job (/analyze): same analysis, and the decoded audio as WAV', async () => {
    const plain = (await pool.run({ kind: 'bytes', bytes: note.slice(), maxDurationSec: 60 })) as Analysis;
    const bytes = note.slice();
    const both = (await pool.run({ kind: 'bytes', bytes, maxDurationSec: 60, wav: true }, [bytes.buffer])) as AnalysisWithWav;
    expect(both.analysis).toEqual(plain);
    const back = await samplesOf(both.wav);
    expect(back).toHaveLength(decoded.length);
    for (let i = 0; i < decoded.length; i += 997) expect(Math.abs(back[i]! - decoded[i]!)).toBeLessThanOrEqual(1 / 32768);
  });

  it('pcm job (/listen utterances): same analysis, and the samples as WAV', async () => {
    const plain = (await pool.run({ kind: 'pcm', samples: decoded.slice(), maxDurationSec: 60 })) as Analysis;
    const samples = decoded.slice();
    const both = (await pool.run({ kind: 'pcm', samples, maxDurationSec: 60, wav: true }, [samples.buffer])) as AnalysisWithWav;
    expect(samples.byteLength).toBe(0); // transferred, as /listen does
    expect(both.analysis).toEqual(plain);
    expect(await samplesOf(both.wav)).toHaveLength(decoded.length);
  });
});
