// AesGcmRtp against node:crypto's aes-256-gcm (what @discordjs/voice decrypts with): the same plaintext for every
// packet shape the voice server sends, and a refusal, with node's message, of any packet altered anywhere.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesGcmRtp } from '../../../src/bot/voice/aes-gcm.js';

/** An RTP packet sealed as aead_aes256_gcm_rtpsize: header (with the 4-byte extension header when `ext`), ciphertext, tag, nonce. */
function seal(key: Buffer, counter: number, body: Buffer, ext: boolean): Buffer {
  const header = Buffer.alloc(ext ? 16 : 12);
  header[0] = ext ? 0x90 : 0x80;
  header[1] = 0x78;
  header.writeUInt16BE(counter & 0xffff, 2);
  header.writeUInt32BE((counter * 960) >>> 0, 4);
  header.writeUInt32BE(4242, 8);
  if (ext) header.set([0xbe, 0xde, 0x00, 0x01], 12);
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(counter >>> 0, 0);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(header);
  return Buffer.concat([header, c.update(body), c.final(), c.getAuthTag(), nonce.subarray(0, 4)]);
}

/** What the library does (VoiceReceiver.decrypt, aead_aes256_gcm_rtpsize). */
function nodeOpen(key: Buffer, packet: Buffer): Buffer {
  const headerBytes = (packet[0]! >> 4) & 1 ? 16 : 12;
  const nonce = Buffer.alloc(12);
  packet.copy(nonce, 0, packet.length - 4);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(packet.subarray(0, headerBytes));
  d.setAuthTag(packet.subarray(packet.length - 20, packet.length - 4));
  return Buffer.concat([d.update(packet.subarray(headerBytes, packet.length - 20)), d.final()]);
}

const headerOf = (p: Buffer) => ((p[0]! >> 4) & 1 ? 16 : 12);

describe('AesGcmRtp', () => {
  it('gives node:crypto’s plaintext for every length from 0 to 300 bytes, with and without the extension header', () => {
    const key = randomBytes(32);
    const opener = new AesGcmRtp(key);
    let checked = 0;
    for (let size = 0; size <= 300; size++) {
      for (const ext of [false, true]) {
        const counter = size * 7919 + (ext ? 1 : 0) + 0xfffff000; // nonces near the 32-bit wrap too
        const packet = seal(key, counter, randomBytes(size), ext);
        const want = nodeOpen(key, packet);
        expect(opener.open(packet, headerOf(packet)).equals(want)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(602);
  });

  it('refuses a packet with any one bit flipped (header, ciphertext, tag or nonce), with node’s message', () => {
    const key = randomBytes(32);
    const opener = new AesGcmRtp(key);
    const packet = seal(key, 12345, randomBytes(90), true);
    for (let byte = 0; byte < packet.length; byte++) {
      const bad = Buffer.from(packet);
      bad[byte]! ^= 1 << byte % 8;
      // The X bit decides the header length: flipping it still has to fail (at the tag), not misparse.
      expect(() => opener.open(bad, headerOf(bad)), `byte ${byte}`).toThrow('Unsupported state or unable to authenticate data');
      expect(() => nodeOpen(key, bad)).toThrow();
    }
    expect(opener.open(packet, headerOf(packet)).length).toBe(90); // the untouched packet still opens
  });

  it('refuses packets shorter than header + tag + nonce and packets sealed with another key', () => {
    const key = randomBytes(32);
    const opener = new AesGcmRtp(key);
    expect(() => opener.open(Buffer.alloc(31), 12)).toThrow('Unsupported state or unable to authenticate data');
    expect(() => opener.open(seal(randomBytes(32), 1, randomBytes(50), false), 12)).toThrow('Unsupported state or unable to authenticate data');
  });

  it('knows its key, so a connection that gets a new one gets a new opener', () => {
    const key = randomBytes(32);
    const copy = Buffer.from(key);
    const opener = new AesGcmRtp(key);
    expect(opener.holds(copy)).toBe(true);
    const other = Buffer.from(key);
    other[31]! ^= 1;
    expect(opener.holds(other)).toBe(false);
    expect(opener.holds(key.subarray(0, 16))).toBe(false);
    key.fill(0); // the opener keeps its own copy of the key
    expect(opener.holds(copy)).toBe(true);
    const packet = seal(copy, 9, randomBytes(40), false);
    expect(opener.open(packet, 12).equals(nodeOpen(copy, packet))).toBe(true);
    expect(() => new AesGcmRtp(randomBytes(16))).toThrow(RangeError);
  });
});
