import { EventEmitter } from 'node:events';
import { createSocket } from 'node:dgram';
import type { VoiceConnection } from '@discordjs/voice';
import { describe, expect, it } from 'vitest';
import { guardReceive } from '../../../src/bot/voice/receive.js';

/** Just the parts of a VoiceConnection the guard touches: its receiver, its state (networking → udp), stateChange. */
function fakeConnection(onUdpMessage: (msg: Buffer) => void) {
  const conn = new EventEmitter() as EventEmitter & { receiver: { onUdpMessage(msg: Buffer): void }; state: unknown };
  conn.receiver = { onUdpMessage };
  conn.state = { status: 'signalling' };
  return conn;
}

describe('guardReceive', () => {
  it('the receiver never sees what is shorter than an RTP header, and nothing it throws escapes', () => {
    const seen: number[] = [];
    const conn = fakeConnection((msg) => {
      seen.push(msg.length);
      if (msg.length === 13) throw new RangeError('offset out of range');
    });
    const counts = { foreignDatagrams: 0, malformedDatagrams: 0 };
    const thrown: unknown[] = [];
    guardReceive(conn as unknown as VoiceConnection, counts, (e) => thrown.push(e));
    for (let len = 0; len <= 16; len++) expect(() => conn.receiver.onUdpMessage(Buffer.alloc(len))).not.toThrow();
    expect(seen).toEqual([12, 13, 14, 15, 16]);
    expect(counts).toEqual({ foreignDatagrams: 0, malformedDatagrams: 13 });
    expect(thrown).toHaveLength(1);
  });

  it("a socket that appears later drops datagrams not from the voice server's address and port", async () => {
    const conn = fakeConnection(() => undefined);
    const counts = { foreignDatagrams: 0, malformedDatagrams: 0 };
    guardReceive(conn as unknown as VoiceConnection, counts);
    const socket = createSocket('udp4');
    const got: string[] = [];
    socket.on('message', (_m, from) => got.push(`${from.address}:${from.port}`));
    const next = { status: 'connecting', networking: { state: { udp: { socket, remote: { ip: '127.0.0.1', port: 50000 } } } } };
    conn.emit('stateChange', conn.state, next);
    socket.emit('message', Buffer.alloc(20), { address: '127.0.0.1', port: 50001, family: 'IPv4', size: 20 });
    socket.emit('message', Buffer.alloc(20), { address: '10.0.0.9', port: 50000, family: 'IPv4', size: 20 });
    socket.emit('message', Buffer.alloc(20), { address: '127.0.0.1', port: 50000, family: 'IPv4', size: 20 });
    expect(got).toEqual(['127.0.0.1:50000']);
    expect(counts.foreignDatagrams).toBe(2);
    socket.close();
  });
});
