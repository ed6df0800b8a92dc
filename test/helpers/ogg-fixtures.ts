// Ogg streams written by the tests themselves: legal pages (CRC and all) with any packets and page sizes, e.g. packets continued across pages.
import { opusPacketSamples } from '../../src/core/audio/opus.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial value 0). */
export function oggCrc(b: Uint8Array): number {
  let crc = 0;
  for (const v of b) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ v) & 0xff]) >>> 0;
  return crc;
}

export interface OggPacketIn {
  data: Uint8Array;
  /** Granule position after this packet (-1: none known; a page ending on it gets the last known). */
  granule: number;
  /** Close the page after this packet (Ogg/Opus wants OpusHead and OpusTags on pages of their own). */
  flush?: boolean;
}

function page(serial: number, seq: number, flags: number, granule: number, laces: number[], body: Uint8Array[]): Uint8Array {
  const bodyLength = body.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(27 + laces.length + bodyLength);
  const v = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53], 0);
  out[5] = flags;
  v.setUint32(6, granule < 0 ? 0xffffffff : granule % 2 ** 32, true);
  v.setUint32(10, granule < 0 ? 0xffffffff : Math.floor(granule / 2 ** 32), true);
  v.setUint32(14, serial, true);
  v.setUint32(18, seq, true);
  out[26] = laces.length;
  out.set(laces, 27);
  let at = 27 + laces.length;
  for (const p of body) {
    out.set(p, at);
    at += p.length;
  }
  v.setUint32(22, oggCrc(out), true);
  return out;
}

/**
 * Writes `packets` as one logical stream. A page is closed when its body would pass `maxBody` bytes or
 * its lacing table fills, so a packet bigger than what is left is split: lacing 255 at the end of one
 * page, the "continued" flag on the next — what long pages or big packets produce in the wild.
 */
export function writeOgg(packets: OggPacketIn[], opts: { serial?: number; maxBody?: number } = {}): Uint8Array {
  const serial = opts.serial ?? 0x5e5b07;
  const maxBody = opts.maxBody ?? 255 * 255;
  const pages: Uint8Array[] = [];
  let laces: number[] = [];
  let body: Uint8Array[] = [];
  let bodyBytes = 0;
  let granule = -1; // of the last packet completed on the current page
  let lastGranule = 0;
  let continued = false;
  let seq = 0;
  const flush = (eos: boolean, nextContinued: boolean) => {
    pages.push(page(serial, seq, (continued ? 1 : 0) | (seq === 0 ? 2 : 0) | (eos ? 4 : 0), granule, laces, body));
    seq++;
    laces = [];
    body = [];
    bodyBytes = 0;
    granule = -1;
    continued = nextContinued;
  };
  packets.forEach((p, i) => {
    let rest = p.data;
    // A packet is a run of 255-byte segments and a final one shorter than 255 (possibly empty).
    for (let first = true; ; first = false) {
      // (no subarray for the last segment: the hostile-input tests write millions of empty packets)
      const seg = rest.length < 255 ? rest : rest.subarray(0, 255);
      if (laces.length === 255 || (bodyBytes + seg.length > maxBody && laces.length > 0)) flush(false, !first);
      laces.push(seg.length);
      body.push(seg);
      bodyBytes += seg.length;
      if (seg.length < 255) break;
      rest = rest.subarray(seg.length);
    }
    if (p.granule >= 0) lastGranule = p.granule;
    granule = lastGranule;
    const last = i === packets.length - 1;
    if (p.flush || last) flush(last, false);
  });
  return concatBytes(pages);
}

/** The byte arrays one after another (number arrays are taken as bytes). */
export function concatBytes(parts: (Uint8Array | number[])[]): Uint8Array {
  parts = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Every packet of an Ogg file (joined across pages), read independently of the decoder under test. */
export function readOggPacketsSimple(b: Uint8Array): { packets: Uint8Array[]; lastGranule: number } {
  const packets: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let lastGranule = 0;
  for (let at = 0; at + 27 <= b.length; ) {
    const n = b[at + 26];
    const v = new DataView(b.buffer, b.byteOffset + at);
    lastGranule = v.getUint32(6, true) + v.getUint32(10, true) * 2 ** 32;
    let offset = at + 27 + n;
    for (let i = 0; i < n; i++) {
      const lace = b[at + 27 + i];
      pending.push(b.subarray(offset, offset + lace));
      offset += lace;
      if (lace < 255) {
        packets.push(concatBytes(pending));
        pending = [];
      }
    }
    at = offset;
  }
  return { packets, lastGranule };
}

/**
 * The same Ogg/Opus stream re-paged with bodies of at most `maxBody` bytes: packets split across
 * pages, granules kept. `tags` replaces the OpusTags packet (e.g. one carrying cover art).
 */
export function repageOpus(ogg: Uint8Array, maxBody: number, tags?: Uint8Array): Uint8Array {
  const { packets, lastGranule } = readOggPacketsSimple(ogg);
  let granule = 0;
  const out = packets.map((data, i) => {
    if (i >= 2) granule += opusPacketSamples(data);
    return { data: i === 1 && tags ? tags : data, granule: i === packets.length - 1 ? lastGranule : granule, flush: i < 2 };
  });
  return writeOgg(out, { maxBody });
}

/** Pages of an Ogg file: how many, and how many end inside a packet (lacing 255 last) or start with the "continued" flag. */
export function pageStats(b: Uint8Array): { pages: number; endingMidPacket: number; continuedFlag: number } {
  const s = { pages: 0, endingMidPacket: 0, continuedFlag: 0 };
  for (let at = 0; at + 27 <= b.length; ) {
    const n = b[at + 26];
    let body = 0;
    for (let i = 0; i < n; i++) body += b[at + 27 + i];
    s.pages++;
    if (n > 0 && b[at + 27 + n - 1] === 255) s.endingMidPacket++;
    if (b[at + 5] & 1) s.continuedFlag++;
    at += 27 + n + body;
  }
  return s;
}
