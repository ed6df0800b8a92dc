import { afterEach, describe, expect, it, vi } from 'vitest';
import { Shutdown } from '../../src/bot/shutdown.js';
import { captureLogs } from './fixtures/log-capture.js';

function setup(stop: () => Promise<void> = () => Promise.resolve()) {
  let t = 1_000;
  const exits: number[] = [];
  const stops = vi.fn(stop);
  const { log, lines } = captureLogs('debug');
  const s = new Shutdown({ stop: stops, log, exit: (c) => exits.push(c), now: () => t, forceAfterMs: 60_000 });
  return { s, exits, stops, lines, advance: (ms: number) => (t += ms) };
}

afterEach(() => {
  vi.useRealTimers();
  process.exitCode = undefined;
});

describe('Shutdown', () => {
  it('one signal is one stop: the same signal again within a second (npm relaying the group signal) is the same request', async () => {
    const { s, exits, stops, lines, advance } = setup(() => new Promise(() => undefined));
    s.signal('SIGTERM');
    advance(5);
    s.signal('SIGTERM');
    advance(900);
    s.signal('SIGTERM');
    expect(stops).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([]);
    expect(lines.filter((l) => l.msg === 'signal received')).toHaveLength(1);
  });

  it('a different signal, or the same one after the window, forces the exit', () => {
    const a = setup(() => new Promise(() => undefined));
    a.s.signal('SIGINT');
    a.s.signal('SIGTERM');
    expect(a.exits).toEqual([1]);
    const b = setup(() => new Promise(() => undefined));
    b.s.signal('SIGINT');
    b.advance(1_500);
    b.s.signal('SIGINT');
    expect(b.exits).toEqual([1]);
    expect(b.lines.at(-1).msg).toBe('second request to stop: exiting now');
  });

  it('a fatal error is logged under an id, then the stop is graceful and the exit code 1 (a supervisor restarts)', async () => {
    vi.useFakeTimers();
    const { s, exits, stops, lines } = setup();
    const id = s.fatal('uncaughtException', new RangeError('boom'));
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(lines.find((l) => l.errorId === id)).toMatchObject({ level: 60, kind: 'uncaughtException', err: { message: 'boom' } });
    s.fatal('unhandledRejection', new Error('again')); // logged, still one stop
    expect(stops).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(process.exitCode).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('an orphaned bot stops gracefully and exits 0; a stop that hangs is cut off at forceAfterMs', async () => {
    vi.useFakeTimers();
    const ok = setup();
    ok.s.orphaned();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ok.exits).toEqual([0]);
    const hung = setup(() => new Promise(() => undefined));
    hung.s.signal('SIGTERM');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(hung.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(hung.exits).toEqual([1]);
  });
});
