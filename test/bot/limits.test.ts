import { describe, expect, it } from 'vitest';
import { AnalysisGate, BusyError, Cooldowns, readyBefore } from '../../src/bot/limits.js';

describe('Cooldowns', () => {
  it('makes a user wait after an accepted request, and only that user', () => {
    let now = 1_000;
    const c = new Cooldowns(10_000, () => now);
    expect(c.remainingMs('a')).toBe(0);
    c.hit('a');
    now += 4_000;
    expect(c.remainingMs('a')).toBe(6_000);
    expect(c.remainingMs('b')).toBe(0);
    now += 6_000;
    expect(c.remainingMs('a')).toBe(0);
  });

  it('does nothing when the cooldown is 0', () => {
    const c = new Cooldowns(0);
    c.hit('a');
    expect(c.remainingMs('a')).toBe(0);
  });
});

describe('AnalysisGate', () => {
  it('runs up to the cap, queues up to the bound, then refuses with an estimate', async () => {
    const g = new AnalysisGate({ maxActive: 2, maxQueued: 1, initialEstimateMs: 4_000 });
    const a = g.enter();
    const b = g.enter();
    const c = g.enter();
    expect(g.stats).toMatchObject({ active: 2, queued: 1 });
    const busy = (() => {
      try {
        g.enter();
      } catch (e) {
        return e;
      }
    })();
    expect(busy).toBeInstanceOf(BusyError);
    expect((busy as BusyError).retryAfterSec).toBe(4); // one queued ahead, two slots: one round of ~4 s

    let cStarted = false;
    void c.ready.then(() => (cStarted = true));
    await a.ready;
    await Promise.resolve();
    expect(cStarted).toBe(false);
    a.release();
    await c.ready;
    expect(cStarted).toBe(true);
    expect(g.stats).toMatchObject({ active: 2, queued: 0, peakActive: 2 });
    b.release();
    c.release();
    c.release(); // a second release is ignored
    expect(g.stats).toMatchObject({ active: 0, queued: 0, peakActive: 2 });
  });

  it('a queued ticket given up before its turn leaves the line without starting anyone: the cap holds', async () => {
    const g = new AnalysisGate({ maxActive: 1, maxQueued: 3 });
    const a = g.enter();
    const b = g.enter();
    const c = g.enter();
    let bStarted = false;
    void b.ready.then(() => (bStarted = true));
    c.release(); // its reply failed while it waited
    await new Promise((r) => setImmediate(r));
    expect(bStarted).toBe(false); // a still runs: starting b would make two
    expect(g.stats).toMatchObject({ active: 1, queued: 1 });
    a.release();
    await b.ready;
    expect(bStarted).toBe(true);
    expect(g.stats).toMatchObject({ active: 1, queued: 0, peakActive: 1 });
    b.release();
    expect(g.stats).toMatchObject({ active: 0, queued: 0 });
  });

  it('readyBefore: true when the turn comes in time; false at the deadline, and the released ticket leaves the queue', async () => {
    const g = new AnalysisGate({ maxActive: 1, maxQueued: 2 });
    const a = g.enter();
    const late = g.enter();
    expect(await readyBefore(late, Date.now() + 30)).toBe(false);
    late.release();
    expect(g.stats).toMatchObject({ active: 1, queued: 0 });
    const next = g.enter();
    setTimeout(() => a.release(), 10);
    expect(await readyBefore(next, Date.now() + 5_000)).toBe(true);
    next.release();
    expect(g.stats).toMatchObject({ active: 0, queued: 0, peakActive: 1 });
  });

  it('learns how long analyses take for its busy estimate', async () => {
    let now = 0;
    const g = new AnalysisGate({ maxActive: 1, maxQueued: 0, initialEstimateMs: 1_000, now: () => now });
    for (let i = 0; i < 20; i++) {
      const t = g.enter();
      await t.ready;
      now += 30_000;
      t.release();
    }
    g.enter();
    const busy = (() => {
      try {
        g.enter();
      } catch (e) {
        return e as BusyError;
      }
    })();
    expect(busy).toBeInstanceOf(BusyError);
    expect(busy!.retryAfterSec).toBeGreaterThan(25); // learned ~30 s per analysis, from a 1 s first guess
  });

  it('refuses everything after close', () => {
    const g = new AnalysisGate({ maxActive: 1, maxQueued: 5 });
    g.close();
    expect(() => g.enter()).toThrow(BusyError);
  });
});
