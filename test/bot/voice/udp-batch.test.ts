// restBetweenReads on real loopback sockets: every datagram arrives, in order, bursts past libuv's 32-datagram read
// cap included; datagrams trickling in one per millisecond are read several per event-loop turn; a quiet socket keeps
// no timer; closing mid-rest is harmless.
import dgram, { type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { restBetweenReads } from '../../../src/bot/voice/udp-batch.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
});

async function pair(restMs: number) {
  const rx = dgram.createSocket('udp4');
  const tx = dgram.createSocket('udp4');
  sockets.push(rx, tx);
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const reader = restBetweenReads(rx, restMs);
  expect(reader).not.toBeNull();
  const got: number[] = [];
  // Which event-loop turn each datagram was read in (a turn ends at the check phase).
  const turns: number[] = [];
  let turn = 0;
  let counting = false;
  const count = (): void => {
    turn++;
    counting = false;
  };
  rx.on('message', (m: Buffer) => {
    reader!.onDatagram();
    got.push(m.readUInt32BE(0));
    turns.push(turn);
    if (!counting) {
      counting = true;
      setImmediate(count);
    }
  });
  const port = (rx.address() as { port: number }).port;
  const send = (n: number) => new Promise<void>((r) => tx.send(Uint8Array.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]), port, '127.0.0.1', () => r()));
  return { rx, got, turns, send, reader: reader! };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !cond() && Date.now() < end; ) await sleep(5);
}

describe('restBetweenReads', () => {
  it('delivers every datagram in order, a 120-datagram burst past the 32-datagram read cap included', async () => {
    const { rx, got, send } = await pair(10);
    // Count the socket's restarts: a burst must be read through without resting (libuv stops at 32 per turn).
    const state = Object.getOwnPropertySymbols(rx).find((k) => k.description === 'state symbol')!;
    const handle = (rx as unknown as Record<symbol, { handle: { recvStart(): number } }>)[state].handle;
    const recvStart = handle.recvStart;
    let restarts = 0;
    handle.recvStart = function (this: unknown) {
      restarts++;
      return recvStart.call(this);
    };
    // (Sent in one go from this thread, so all of it waits in the kernel's receive buffer: 120 fit, 300 would not.)
    await Promise.all(Array.from({ length: 120 }, (_, i) => send(i)));
    await until(() => got.length === 120);
    expect(got).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(restarts).toBe(0);
    // And again after the socket has rested.
    await sleep(30);
    await Promise.all(Array.from({ length: 40 }, (_, i) => send(1000 + i)));
    await until(() => got.length === 160);
    expect(got.slice(120)).toEqual(Array.from({ length: 40 }, (_, i) => 1000 + i));
  });

  it('reads a trickle (one datagram a millisecond) several at a time instead of one per event-loop turn', async () => {
    const { got, turns, send } = await pair(10);
    for (let i = 0; i < 120; i++) {
      await send(i);
      await sleep(1);
    }
    await until(() => got.length === 120);
    expect(got).toEqual(Array.from({ length: 120 }, (_, i) => i));
    // One datagram per timer turn without resting (~120 turns); with 10-ms rests a dozen or so.
    expect(new Set(turns).size).toBeLessThan(60);
  });

  it('keeps no timer on a quiet socket, and a socket closed while resting stays closed', async () => {
    const { rx, got, send } = await pair(50);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await send(1);
    await until(() => got.length === 1);
    await sleep(120); // the rest ended, reading is back on; nothing more came
    expect(timers()).toBeLessThanOrEqual(before);
    await send(2);
    await until(() => got.length === 2);
    expect(got).toEqual([1, 2]);
    // Now resting (50 ms): closing must not restart reading on the closed handle.
    rx.close();
    await once(rx, 'close');
    await sleep(80);
    sockets.splice(sockets.indexOf(rx), 1);
  });

  it('afterRead: called once what was queued has been read, also when the socket was resting', async () => {
    const { got, send, reader } = await pair(40);
    await send(1);
    await until(() => got.length === 1); // now resting for 40 ms
    await send(2); // waits in the kernel
    const seen: number[] = [];
    reader.afterRead(() => seen.push(got.length));
    await until(() => seen.length === 1);
    expect(seen).toEqual([2]);
    // Not resting (rested long enough and nothing came): right after this turn's poll phase.
    await sleep(60);
    reader.afterRead(() => seen.push(got.length));
    await until(() => seen.length === 2);
    expect(seen).toEqual([2, 2]);
  });

  it('widens the receive buffer, at once on a bound socket and at the implicit bind of an unbound one', async () => {
    const probe = dgram.createSocket('udp4');
    sockets.push(probe);
    probe.bind(0, '127.0.0.1');
    await once(probe, 'listening');
    const standard = probe.getRecvBufferSize();
    const { rx } = await pair(10);
    expect(rx.getRecvBufferSize()).toBeGreaterThan(standard);
    // The library creates its socket unbound; its first send binds it.
    const lazy = dgram.createSocket('udp4');
    sockets.push(lazy);
    expect(restBetweenReads(lazy)).not.toBeNull();
    lazy.send(Buffer.from([0]), (probe.address() as { port: number }).port, '127.0.0.1');
    await once(lazy, 'listening');
    expect(lazy.getRecvBufferSize()).toBeGreaterThan(standard);
  });

  it('gives up (null) on a socket whose handle it cannot find, so the caller reads one datagram at a time', () => {
    expect(restBetweenReads({} as Socket)).toBeNull();
  });
});
