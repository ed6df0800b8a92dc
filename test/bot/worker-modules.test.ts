// What an analysis worker loads (issue 15: each worker's memory): the core and libopus, nothing of the bot's
// gateway side (discord.js, pino), no charts until one is drawn, and not node-pre-gyp's ~150 modules for libopus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/bot/pool.js';
import { decodeAudio } from '../../src/core/audio/index.js';
import { readModelBytes } from '../../src/core/model/file-bytes.js';
import { SHIPPED_MODEL } from '../emulator/harness.js';
import { speechNote } from '../emulator/voice-note.js';

let pool: WorkerPool<unknown, unknown>;

beforeAll(async () => {
  const worker = new URL('../../src/bot/worker.ts', import.meta.url).href;
  pool = new WorkerPool({
    module: new URL('./fixtures/modules-worker.ts', import.meta.url),
    size: 1,
    maxQueue: 4,
    workerData: { modelPath: SHIPPED_MODEL, modelBytes: await readModelBytes(SHIPPED_MODEL, { shared: true }), ffmpegPath: null, worker },
  });
});
afterAll(async () => {
  await pool?.close();
});

describe('an analysis worker that has analysed a voice message and live audio', () => {
  it('has loaded no package (libopus is its addon file alone, without node-pre-gyp), nothing of the gateway side, no charts', async () => {
    const note = await speechNote(4);
    const samples = (await decodeAudio(note.slice(), { maxDurationSec: 60 })).samples;
    await pool.run({ kind: 'bytes', bytes: note, maxDurationSec: 60 });
    await pool.run({ kind: 'pcm', samples, maxDurationSec: 60 });
    const modules = (await pool.run({ modules: true })) as string[];
    // The module graph of the worker itself is recorded (not only what tsx adds in tests).
    expect(modules.some((u) => u.endsWith('/src/core/analyze.ts'))).toBe(true);
    const packages = new Set(modules.filter((u) => u.includes('/node_modules/')).map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)![1]));
    // tsx: the tests' TypeScript loader; the compiled bot has none.
    packages.delete('tsx');
    // libopus is the addon file itself (loaded by require, which these hooks do not see), not its package's loader.
    expect([...packages]).toEqual([]);
    expect(modules.filter((u) => /\/src\/(charts|commands)\/|\/src\/bot\/(?!pool|worker)/.test(u))).toEqual([]);
  });
});
