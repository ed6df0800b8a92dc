// One copy of the model for every worker: the bot reads it into a SharedArrayBuffer and the workers predict from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/bot/pool.js';
import type { AnalysisJob, AnalysisJobResult, WorkerSettings } from '../../src/bot/worker.js';
import type { Analysis } from '../../src/core/analysis.js';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/index.js';
import { FEATURE_SPEC } from '../../src/core/features/spec.js';
import { readModelBytes } from '../../src/core/model/file-bytes.js';
import { modelFromBytes, readModel } from '../../src/core/model/io.js';
import type { ModelCard } from '../../src/core/model/model-file.js';
import { rng } from '../../src/core/model/random.js';
import { SHIPPED_MODEL } from '../emulator/harness.js';
import { speechNote } from '../emulator/voice-note.js';

let shared: Uint8Array;
let pool: WorkerPool<AnalysisJob, AnalysisJobResult>;

beforeAll(async () => {
  shared = await readModelBytes(SHIPPED_MODEL, { shared: true });
  // The path leads nowhere: a worker that answers has used the bytes it was given.
  const settings: WorkerSettings = { modelPath: '/nonexistent/model.bin', modelBytes: shared, ffmpegPath: null };
  pool = new WorkerPool({ module: new URL('../../src/bot/worker.ts', import.meta.url), size: 2, maxQueue: 8, workerData: settings });
});
afterAll(async () => {
  await pool?.close();
});

describe('the model shared by the workers', () => {
  it('is read into a SharedArrayBuffer and predicts exactly as the file read the usual way', async () => {
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    const fromShared = modelFromBytes(shared);
    const own = await readModel(SHIPPED_MODEL);
    expect(fromShared.card).toEqual(own.card);
    const r = rng(7);
    for (let k = 0; k < 50; k++) {
      const x = Float32Array.from(FEATURE_SPEC.names, () => 4 * (r() - 0.5));
      expect([...fromShared.predict(x)]).toEqual([...own.predict(x)]);
    }
  });

  it('a missing file is MODEL_NOT_FOUND, as readModel says it', async () => {
    await expect(readModelBytes('/nonexistent/model.bin', { shared: true })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });

  it('every worker analyses with it, with the answer of the model read in this thread', async () => {
    const cards = (await Promise.all([pool.run({ kind: 'card' }), pool.run({ kind: 'card' })])) as ModelCard[];
    const own = await readModel(SHIPPED_MODEL);
    for (const c of cards) expect(c).toEqual(own.card);
    const note = await speechNote(4);
    const expected = analyze(await decodeAudio(note.slice(), { maxDurationSec: 60 }), own, { maxDurationSec: 60 });
    const answers = (await Promise.all([0, 1, 2, 3].map(() => pool.run({ kind: 'bytes', bytes: note.slice(), maxDurationSec: 60 })))) as Analysis[];
    for (const a of answers) expect(a).toEqual(expected);
  });
});
