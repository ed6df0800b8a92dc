// The live message: one post, then edits coalesced and spaced out; failures retried later with the newest state.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { LiveMessage } from '../../../src/bot/voice/live-message.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function sink(fail = () => false) {
  const calls: string[] = [];
  let version = 0;
  return {
    calls,
    bump: () => version++,
    sink: {
      send: async () => {
        if (fail()) throw new Error('nope');
        calls.push(`send v${version}`);
        return 'msg';
      },
      edit: async () => {
        if (fail()) throw new Error('nope');
        calls.push(`edit v${version}`);
      },
    },
  };
}

it('posts once, then turns a burst of changes into one edit at least minIntervalMs later', async () => {
  const s = sink();
  const live = new LiveMessage(s.sink, { minIntervalMs: 2000, retryMs: 5000 }, () => Date.now());
  live.changed();
  await vi.advanceTimersByTimeAsync(0);
  expect(s.calls).toEqual(['send v0']);
  for (let i = 0; i < 10; i++) {
    s.bump();
    live.changed();
    await vi.advanceTimersByTimeAsync(100);
  }
  expect(s.calls).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1000);
  expect(s.calls).toEqual(['send v0', 'edit v10']);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(s.calls).toHaveLength(2); // nothing changed since: no more writes
});

it('retries a failed write later with backoff, showing the newest state', async () => {
  let failing = true;
  const s = sink(() => failing);
  const errors: unknown[] = [];
  const live = new LiveMessage(s.sink, { minIntervalMs: 1000, retryMs: 4000, onError: (e) => errors.push(e) }, () => Date.now());
  live.changed();
  await vi.advanceTimersByTimeAsync(0);
  expect(errors).toHaveLength(1);
  s.bump();
  failing = false;
  await vi.advanceTimersByTimeAsync(3000);
  expect(s.calls).toEqual([]); // still backing off
  await vi.advanceTimersByTimeAsync(1500);
  expect(s.calls).toEqual(['send v1']);
});

it('close() writes what is pending and then stops', async () => {
  const s = sink();
  const live = new LiveMessage(s.sink, { minIntervalMs: 2000, retryMs: 5000 }, () => Date.now());
  live.changed();
  await vi.advanceTimersByTimeAsync(0);
  s.bump();
  live.changed();
  await live.close();
  expect(s.calls).toEqual(['send v0', 'edit v1']);
  live.changed();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(s.calls).toHaveLength(2);
});

it('posts a new message when the old one was deleted (Unknown Message), and keeps editing that one', async () => {
  const calls: string[] = [];
  let next = 1;
  const deleted = new Set<number>();
  const live = new LiveMessage<number>(
    {
      send: async () => {
        calls.push(`send ${next}`);
        return next++;
      },
      edit: async (m) => {
        if (deleted.has(m)) throw Object.assign(new Error('Unknown Message'), { code: 10008, status: 404 });
        calls.push(`edit ${m}`);
      },
    },
    { minIntervalMs: 1000, retryMs: 1000 },
    () => Date.now(),
  );
  live.changed();
  await vi.advanceTimersByTimeAsync(0);
  deleted.add(1); // someone deletes the live message
  live.changed();
  await vi.advanceTimersByTimeAsync(1000); // the edit fails
  await vi.advanceTimersByTimeAsync(1000); // the retry posts anew
  live.changed();
  await vi.advanceTimersByTimeAsync(2000);
  expect(calls).toEqual(['send 1', 'send 2', 'edit 2']);
});
