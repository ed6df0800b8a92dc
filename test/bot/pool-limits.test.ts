// Workers run with a capped young generation (the bot's memory budget: main + one worker ≤ 150 MB).
import { describe, expect, it } from 'vitest';
import { WORKER_LIMITS, WorkerPool } from '../../src/bot/pool.js';

const MODULE = new URL('./fixtures/limits-worker.ts', import.meta.url);

describe('worker resource limits', () => {
  it('each worker runs under WORKER_LIMITS by default, and under what the caller gives', async () => {
    expect(WORKER_LIMITS.maxYoungGenerationSizeMb).toBeLessThanOrEqual(4);
    const pool = new WorkerPool<null, Record<string, number>>({ module: MODULE, size: 1, maxQueue: 1 });
    const custom = new WorkerPool<null, Record<string, number>>({ module: MODULE, size: 1, maxQueue: 1, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    try {
      expect((await pool.run(null)).maxYoungGenerationSizeMb).toBe(WORKER_LIMITS.maxYoungGenerationSizeMb);
      expect((await custom.run(null)).maxYoungGenerationSizeMb).toBe(8);
    } finally {
      await Promise.all([pool.close(), custom.close()]);
    }
  });
});
