import { afterEach, describe, expect, it } from 'vitest';
import { PoolBusyError, PoolClosedError, WorkerJobError, WorkerPool } from '../../src/bot/pool.js';
import type { EchoJob } from './fixtures/echo-worker.js';

const MODULE = new URL('./fixtures/echo-worker.ts', import.meta.url);
let pool: WorkerPool<EchoJob, unknown> | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('runs a TypeScript worker module and returns its result', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4, workerData: { model: 'x' } });
    expect(await pool.run({ kind: 'echo', value: { a: [1, 2] } })).toEqual({ a: [1, 2] });
    expect(await pool.run({ kind: 'data' })).toEqual({ model: 'x' });
  });

  it('moves transferred bytes instead of copying them', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4 });
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const sum = pool.run({ kind: 'sum', bytes }, [bytes.buffer]);
    expect(bytes.byteLength).toBe(0); // detached here: the worker owns it now
    expect(await sum).toBe(256);
  });

  it('rejects with the worker error code and details', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4 });
    const err = await pool.run({ kind: 'fail', code: 'NO_SPEECH' }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkerJobError);
    expect(err).toMatchObject({ code: 'NO_SPEECH', details: { why: 'test' } });
  });

  it('uses every worker at once and queues the rest', async () => {
    pool = new WorkerPool({ module: MODULE, size: 2, maxQueue: 4 });
    const jobs = [pool.run({ kind: 'sleep', ms: 300 }), pool.run({ kind: 'sleep', ms: 300 }), pool.run({ kind: 'sleep', ms: 10 })];
    expect(pool.stats).toEqual({ size: 2, busy: 2, queued: 1 });
    expect(await Promise.all(jobs)).toEqual([300, 300, 10]);
    expect(pool.stats).toEqual({ size: 2, busy: 0, queued: 0 });
  });

  it('refuses work beyond the bounded queue', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 1 });
    const running = pool.run({ kind: 'sleep', ms: 200 });
    const queued = pool.run({ kind: 'sleep', ms: 1 });
    await expect(pool.run({ kind: 'echo', value: 1 })).rejects.toBeInstanceOf(PoolBusyError);
    await expect(Promise.all([running, queued])).resolves.toEqual([200, 1]);
  });

  it('survives a crashing worker: its job fails, the next job runs on a replacement', async () => {
    const exits: number[] = [];
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4, onWorkerExit: (i) => exits.push(i.exitCode) });
    await expect(pool.run({ kind: 'crash' })).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    expect(await pool.run({ kind: 'echo', value: 'still here' })).toBe('still here');
    expect(exits).toEqual([3]);
  });

  it('on close, finishes running work within the deadline and refuses new work', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4 });
    const running = pool.run({ kind: 'sleep', ms: 150 });
    const closed = pool.close(10_000);
    await expect(pool.run({ kind: 'echo', value: 1 })).rejects.toBeInstanceOf(PoolClosedError);
    await closed;
    await expect(running).resolves.toBe(150);
  });

  it('on close, abandons work still running at the deadline', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 4 });
    const running = pool.run({ kind: 'sleep', ms: 60_000 }).catch((e) => e);
    await pool.close(50);
    expect(await running).toBeInstanceOf(PoolClosedError);
  });

  it('a job stuck in a loop past the deadline gets TIMEOUT; its worker is replaced while the other keeps answering', async () => {
    const timeouts: number[] = [];
    const exits: number[] = [];
    pool = new WorkerPool({ module: MODULE, size: 2, maxQueue: 8, jobTimeoutMs: 1500, onJobTimeout: (i) => timeouts.push(i.timeoutMs), onWorkerExit: (i) => exits.push(i.exitCode) });
    await pool.whenReady();
    const started = performance.now();
    const stuck = pool.run({ kind: 'spin' }).catch((e) => e);
    // While one worker spins, the other answers job after job.
    const answered: unknown[] = [];
    for (let i = 0; i < 5; i++) answered.push(await pool.run({ kind: 'echo', value: i }));
    expect(answered).toEqual([0, 1, 2, 3, 4]);
    const err = await stuck;
    const ms = performance.now() - started;
    expect(err).toBeInstanceOf(WorkerJobError);
    expect(err).toMatchObject({ code: 'TIMEOUT', details: { timeoutMs: 1500 } });
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(timeouts).toEqual([1500]);
    expect(exits).toEqual([]); // a retired worker is not reported as a crash
    expect(pool.stats.size).toBe(2);
    // Two jobs at once prove there are two live workers again: the fresh one and the survivor.
    expect(await Promise.all([pool.run({ kind: 'sleep', ms: 200 }), pool.run({ kind: 'sleep', ms: 200 })])).toEqual([200, 200]);
    expect(pool.stats).toEqual({ size: 2, busy: 0, queued: 0 });
  });

  it('jobs queued behind a stuck one run on its replacement', async () => {
    pool = new WorkerPool({ module: MODULE, size: 1, maxQueue: 8, jobTimeoutMs: 1000 });
    const stuck = pool.run({ kind: 'spin' }).catch((e) => e);
    const queued = pool.run({ kind: 'echo', value: 'after' });
    expect(await stuck).toMatchObject({ code: 'TIMEOUT' });
    expect(await queued).toBe('after');
  });
});
