// A busy event loop must not split an utterance: packets that arrived in time but still wait in the socket when the
// silence timer fires (timers run before I/O) are read before the utterance is ended. Real loopback UDP, a real
// @discordjs/voice VoiceReceiver behind guardReceive, AES-GCM packets as the voice server seals them.
import { createCipheriv, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { VoiceReceiver } from '@discordjs/voice';
import { afterEach, describe, expect, it } from 'vitest';
import { guardReceive, subscribeUtterance, type ReceivedPacket } from '../../../src/bot/voice/receive.js';

const key = randomBytes(32);
const SSRC = 91;
let counter = 0;

function sealed(seq: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 0x78;
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE(seq * 960, 4);
  header.writeUInt32BE(SSRC, 8);
  const nonce = Buffer.alloc(4);
  nonce.writeUInt32BE(counter++);
  const c = createCipheriv('aes-256-gcm', key, Buffer.concat([nonce, Buffer.alloc(8)]));
  c.setAAD(header);
  return Buffer.concat([header, c.update(randomBytes(60)), c.final(), c.getAuthTag(), nonce]);
}

const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

const block = (ms: number): void => {
  for (const end = performance.now() + ms; performance.now() < end; );
};

describe('subscribeUtterance on a stalled event loop', () => {
  it('reads the packets waiting in the socket before ending the utterance on silence', async () => {
    const rx = dgram.createSocket('udp4');
    const tx = dgram.createSocket('udp4');
    sockets.push(rx, tx);
    rx.bind(0, '127.0.0.1');
    tx.bind(0, '127.0.0.1');
    await Promise.all([once(rx, 'listening'), once(tx, 'listening')]);
    const conn = {
      receiver: null as unknown as VoiceReceiver,
      on: () => undefined,
      state: { status: 'ready', networking: { state: { code: 4, dave: undefined, udp: { socket: rx, remote: { ip: '127.0.0.1', port: tx.address().port } } } } },
    };
    const r = new VoiceReceiver(conn as never) as VoiceReceiver & { onUdpMessage(m: Buffer): void; connectionData: unknown };
    conn.receiver = r;
    r.connectionData = { encryptionMode: 'aead_aes256_gcm_rtpsize', nonceBuffer: Buffer.alloc(12), secretKey: key };
    r.ssrcMap.update({ userId: 'u1', audioSSRC: SSRC });
    guardReceive(conn as never, { foreignDatagrams: 0, malformedDatagrams: 0 });
    rx.on('message', (m: Buffer) => r.onUdpMessage(m));
    const got: ReceivedPacket[] = [];
    let closedWith = -1;
    subscribeUtterance(r, 'u1', 100, { onPacket: (p) => got.push(p), onError: (e) => { throw e; }, onClose: () => (closedWith = got.length) });
    const send = (seq: number) => new Promise<void>((done) => tx.send(sealed(seq), rx.address().port, '127.0.0.1', () => done()));
    await send(1);
    for (const end = Date.now() + 5_000; got.length < 1 && Date.now() < end; ) await new Promise((x) => setTimeout(x, 5));
    expect(got).toHaveLength(1);
    // The next packet arrives at once, but the loop is busy for 3x the silence: when it is free again the silence
    // timer is due before the socket is read.
    await send(2);
    block(300);
    for (const end = Date.now() + 5_000; closedWith < 0 && Date.now() < end; ) await new Promise((x) => setTimeout(x, 5));
    expect(closedWith).toBe(2); // one utterance with both packets, not one with the first and a lost second
    expect(got.map((p) => p.sequence)).toEqual([1, 2]);
  });
});
