// subscribeUtterance on a real @discordjs/voice VoiceReceiver: packets (AES-GCM, as the voice server seals them) reach
// the handler with their RTP position without passing through the Readable stream; the utterance ends after the
// silence (Opus silence frames do not count), a packet that fails to decrypt ends it with an error.
import { createCipheriv, randomBytes } from 'node:crypto';
import { VoiceReceiver } from '@discordjs/voice';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscribeUtterance, type ReceivedPacket } from '../../../src/bot/voice/receive.js';

const key = randomBytes(32);
const SSRC = 77;
let nonce = 0;

function sealed(seq: number, ts: number, opus: Buffer, corrupt = false): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = 0x78;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(ts >>> 0, 4);
  header.writeUInt32BE(SSRC, 8);
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(nonce++);
  const c = createCipheriv('aes-256-gcm', key, Buffer.concat([counter, Buffer.alloc(8)]));
  c.setAAD(header);
  const body = Buffer.concat([c.update(opus), c.final(), c.getAuthTag()]);
  if (corrupt) body[0]! ^= 0xff;
  return Buffer.concat([header, body, counter]);
}

function receiver() {
  const conn = { state: { status: 'ready', networking: { state: { code: 4, dave: undefined } } } };
  const r = new VoiceReceiver(conn as never) as VoiceReceiver & { onUdpMessage(m: Buffer): void; connectionData: unknown };
  r.connectionData = { encryptionMode: 'aead_aes256_gcm_rtpsize', nonceBuffer: Buffer.alloc(12), secretKey: key };
  r.ssrcMap.update({ userId: 'u1', audioSSRC: SSRC });
  return r;
}

const SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
const tick = () => new Promise((r) => setImmediate(r));

describe('subscribeUtterance', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('hands each packet over with its RTP position, not through the stream, and ends 800 ms after the last sound', async () => {
    const r = receiver();
    const got: ReceivedPacket[] = [];
    let closed = 0;
    const stream = subscribeUtterance(r, 'u1', 800, { onPacket: (p) => got.push(p), onError: () => undefined, onClose: () => closed++ })!;
    let pushed = 0;
    stream.on('data', () => pushed++);
    const frame = randomBytes(120);
    for (let i = 0; i < 10; i++) {
      r.onUdpMessage(sealed(65_530 + i, 4_294_967_000 + i * 960, frame));
      vi.advanceTimersByTime(20);
    }
    expect(got).toHaveLength(10);
    expect(got[0]).toMatchObject({ sequence: 65_530, timestamp: 4_294_967_000 });
    expect(got[9]).toMatchObject({ sequence: 3, timestamp: (4_294_967_000 + 9 * 960) >>> 0 });
    expect(got[4]!.payload.equals(frame)).toBe(true);
    // Silence frames arrive (and are handed over) but do not keep the utterance open.
    for (let i = 10; i < 15; i++) {
      r.onUdpMessage(sealed(65_530 + i, i * 960, SILENCE));
      vi.advanceTimersByTime(20);
    }
    expect(got).toHaveLength(15);
    vi.advanceTimersByTime(800 - 5 * 20 - 20 - 1);
    await tick();
    expect(closed).toBe(0);
    vi.advanceTimersByTime(25);
    await tick();
    expect(closed).toBe(1);
    expect(pushed).toBe(0); // nothing went through the Readable stream
    expect(r.subscriptions.has('u1')).toBe(false);
  });

  it('a subscription that gets no packet ends after the silence; one that fails to decrypt ends with an error', async () => {
    const r = receiver();
    let closed = 0;
    subscribeUtterance(r, 'u1', 800, { onPacket: () => undefined, onError: () => undefined, onClose: () => closed++ });
    vi.advanceTimersByTime(801);
    await tick();
    expect(closed).toBe(1);
    const errors: Error[] = [];
    const got: ReceivedPacket[] = [];
    subscribeUtterance(r, 'u1', 800, { onPacket: (p) => got.push(p), onError: (e) => errors.push(e), onClose: () => closed++ });
    r.onUdpMessage(sealed(1, 960, randomBytes(80)));
    r.onUdpMessage(sealed(2, 1920, randomBytes(80), true));
    await tick();
    await tick();
    expect(got).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('Unsupported state or unable to authenticate data'); // node's words
    expect(closed).toBe(2);
  });

  it("decrypts AES-GCM packets exactly as the library's own decrypt does, and throws where it throws", () => {
    const r = receiver();
    subscribeUtterance(r, 'u1', 800, { onPacket: () => undefined, onError: () => undefined, onClose: () => undefined });
    type Decrypt = (b: Buffer, mode: string, nonce: Buffer, key: Uint8Array) => Buffer;
    const library = (VoiceReceiver.prototype as unknown as { decrypt: Decrypt }).decrypt;
    const ours = (r as unknown as { decrypt: Decrypt }).decrypt.bind(r);
    expect(ours).not.toBe(library); // replaced on this receiver
    const mode = 'aead_aes256_gcm_rtpsize';
    // Header extension (X bit: 4 bytes in clear, its body encrypted with the payload) and padding (P bit), all four ways.
    const seal = (i: number, plain: Buffer, x: boolean, pad: boolean): Buffer => {
      const header = Buffer.alloc(x ? 16 : 12);
      header[0] = 0x80 | (x ? 0x10 : 0) | (pad ? 0x20 : 0);
      header[1] = 0x78;
      header.writeUInt16BE(i, 2);
      header.writeUInt32BE(i * 960, 4);
      header.writeUInt32BE(SSRC, 8);
      if (x) header.set([0xbe, 0xde, 0, 1], 12);
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(nonce++);
      const c = createCipheriv('aes-256-gcm', key, Buffer.concat([counter, Buffer.alloc(8)]));
      c.setAAD(header);
      return Buffer.concat([header, c.update(plain), c.final(), c.getAuthTag(), counter]);
    };
    for (let i = 0; i < 200; i++) {
      const x = i % 2 === 1;
      const pad = i % 4 >= 2;
      const plain = Buffer.concat([x ? randomBytes(4) : Buffer.alloc(0), randomBytes(1 + ((i * 37) % 300)), pad ? Buffer.from([0, 0, 3]) : Buffer.alloc(0)]);
      const packet = seal(i, plain, x, pad);
      const expected = library.call(r, packet, mode, Buffer.alloc(12), key);
      expect(ours(packet, mode, Buffer.alloc(12), key).equals(expected)).toBe(true);
      expect(expected.equals(plain)).toBe(true);
      // A flipped bit anywhere (header, ciphertext, tag) fails authentication in both.
      const bad = Buffer.from(packet);
      bad[(i * 7) % (bad.length - 4)]! ^= 1 << i % 8;
      expect(() => library.call(r, bad, mode, Buffer.alloc(12), key)).toThrow();
      expect(() => ours(bad, mode, Buffer.alloc(12), key)).toThrow();
    }
    // Too short to hold a 16-byte tag: an error (the library would hand node:crypto a truncated tag).
    for (const n of [12, 16, 20, 27, 31]) expect(() => ours(seal(1, Buffer.alloc(0), false, false).subarray(0, n), mode, Buffer.alloc(12), key)).toThrow();
  });

  it('the speaking map still says start once and end 100 ms after the last packet (its timer refreshed, not re-created)', () => {
    const r = receiver();
    const events: string[] = [];
    r.speaking.on('start', () => events.push(`start ${Date.now()}`));
    r.speaking.on('end', () => events.push(`end ${Date.now()}`));
    subscribeUtterance(r, 'u1', 800, { onPacket: () => undefined, onError: () => undefined, onClose: () => undefined });
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      r.onUdpMessage(sealed(100 + i, i * 960, randomBytes(60)));
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(100 - 20 - 1);
    expect(events).toEqual([`start ${t0}`]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual([`start ${t0}`, `end ${t0 + 19 * 20 + 100}`]);
    r.onUdpMessage(sealed(120, 20 * 960, randomBytes(60)));
    expect(events).toHaveLength(3); // speaking again: a new start
  });
});
