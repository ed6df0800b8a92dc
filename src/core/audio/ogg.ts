// A small bounded Ogg page reader: the packets of one logical stream, delivered one at a time as they are found.
//
// Replaces prism-media's OggDemuxer, which dropped everything after a packet continued onto the
// next page and built an object per packet before anyone could count them. This one walks the
// bytes once (linear time, every size checked against the bytes present), hands each packet to a
// callback that can stop the walk, and copies only packets that span pages (up to a size cap).

/** Bytes before the lacing table: "OggS", version, header type, granule (8), serial, sequence, CRC, segment count. */
const PAGE_HEADER = 27;
const FLAG_CONTINUED = 1;
const FLAG_END_OF_STREAM = 4;

export interface OggPage {
  at: number;
  headerType: number;
  /** Granule position; -1 ("no packet ends on this page") comes out as -1. */
  granule: number;
  serial: number;
  /** Offset of the first payload byte (after the lacing table). */
  bodyAt: number;
  segments: number;
  /** Payload bytes the lacing table declares (may run past the end of a cut file). */
  bodyLength: number;
}

/** The page header at `at`, or null when there is none or it is cut short. */
export function oggPageAt(b: Uint8Array, at: number): OggPage | null {
  if (at + PAGE_HEADER > b.length || b[at] !== 0x4f || b[at + 1] !== 0x67 || b[at + 2] !== 0x67 || b[at + 3] !== 0x53) return null;
  const segments = b[at + 26];
  if (at + PAGE_HEADER + segments > b.length) return null;
  let bodyLength = 0;
  for (let i = 0; i < segments; i++) bodyLength += b[at + PAGE_HEADER + i];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lo = view.getUint32(at + 6, true);
  const hi = view.getInt32(at + 10, true);
  return {
    at,
    headerType: b[at + 5],
    granule: hi * 2 ** 32 + lo,
    serial: view.getUint32(at + 14, true),
    bodyAt: at + PAGE_HEADER + segments,
    segments,
    bodyLength,
  };
}

export const isEndOfStream = (p: OggPage): boolean => (p.headerType & FLAG_END_OF_STREAM) !== 0;

/** The first packet on a page when it is complete on that page (OpusHead is, by the spec). */
export function firstPacketOf(b: Uint8Array, p: OggPage): Uint8Array | null {
  let length = 0;
  for (let i = 0; i < p.segments; i++) {
    const lace = b[p.at + PAGE_HEADER + i];
    length += lace;
    if (lace < 255) return p.bodyAt + length <= b.length ? b.subarray(p.bodyAt, p.bodyAt + length) : null;
  }
  return null;
}

/** The last page of logical stream `serial`, found by scanning back at most `window` bytes from the end. */
export function lastOggPage(b: Uint8Array, serial: number, window = 256 * 1024): OggPage | null {
  const stop = Math.max(0, b.length - window);
  for (let at = b.length - PAGE_HEADER; at >= stop; at--) {
    if (b[at] !== 0x4f || b[at + 1] !== 0x67) continue; // 'Og'
    const page = oggPageAt(b, at);
    if (page && page.serial === serial) return page;
  }
  return null;
}

export interface OggWalk {
  /** Bytes skipped to find the next page, pages cut short, packets dropped for a broken continuation. */
  damaged: boolean;
  /** Packets of the stream seen (including empty ones), whether or not the callback kept them. */
  packets: number;
}

export interface OggReadOptions {
  serial: number;
  /**
   * A packet that spans pages and grows past this is dropped, never buffered further (it still
   * takes its index: an OpusTags packet carrying cover art is skipped, not mistaken for audio).
   */
  maxPacketBytes: number;
}

/**
 * Calls `onPacket` with each complete packet of logical stream `serial` and its index, in order; returning false
 * stops the walk. A packet on one page is a view into `b` (no copy); one continued across pages
 * (lacing 255 at the page end) is joined. Garbage between pages is skipped to the next "OggS";
 * a packet whose continuation is missing, and a page cut off by the end of the file, are dropped.
 */
export function readOggPackets(b: Uint8Array, opts: OggReadOptions, onPacket: (packet: Uint8Array, index: number) => boolean): OggWalk {
  const walk: OggWalk = { damaged: false, packets: 0 };
  let parts: Uint8Array[] = []; // the pieces of a packet continued onto the next page
  let partBytes = 0;
  let oversize = false; // the pending packet outgrew maxPacketBytes: its pieces are counted, not kept
  let pending = false;
  let at = 0;
  const emit = (packet: Uint8Array): boolean => onPacket(packet, walk.packets++);
  while (at < b.length) {
    const page = oggPageAt(b, at);
    if (!page) {
      const next = indexOfCapture(b, at + 1);
      if (next < 0) {
        if (b.length - at >= 4) walk.damaged = true; // a cut page header, or trailing junk
        break;
      }
      walk.damaged = true;
      at = next;
      continue;
    }
    const bodyEnd = page.bodyAt + page.bodyLength;
    if (bodyEnd > b.length) {
      walk.damaged = true; // a page cut by the end of the file: its packets are incomplete
      break;
    }
    at = bodyEnd;
    if (page.serial !== opts.serial) continue;
    const continued = (page.headerType & FLAG_CONTINUED) !== 0;
    // A continuation with nothing pending (a page was lost) has no start: skip its first packet.
    let skipFirst = continued && !pending;
    if (pending && !continued) {
      walk.damaged = true; // the rest of the pending packet never came
      parts = [];
      partBytes = 0;
      pending = oversize = false;
    }
    let start = page.bodyAt;
    let length = 0;
    for (let i = 0; i < page.segments; i++) {
      const lace = b[page.at + PAGE_HEADER + i];
      length += lace;
      if (lace === 255) continue;
      const piece = b.subarray(start, start + length);
      start += length;
      length = 0;
      if (skipFirst) {
        skipFirst = false;
        walk.damaged = true;
        continue;
      }
      let packet = piece;
      if (pending) {
        const whole = oversize ? null : join(parts, partBytes, piece);
        parts = [];
        partBytes = 0;
        pending = false;
        if (!whole || whole.length > opts.maxPacketBytes) {
          oversize = false;
          walk.packets++;
          continue;
        }
        packet = whole;
      }
      if (!emit(packet)) return walk;
    }
    if (length > 0) {
      // Lacing 255 at the end of the page: the last packet goes on to the next page.
      if (skipFirst) continue; // still inside the orphaned continuation
      pending = true;
      const piece = b.subarray(start, start + length);
      if (!oversize && partBytes + piece.length <= opts.maxPacketBytes) parts.push(piece);
      else oversize = true;
      partBytes += piece.length;
    }
  }
  if (pending) walk.damaged = true; // the file ended inside a packet
  return walk;
}

function join(parts: Uint8Array[], bytes: number, last: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes + last.length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(last, at);
  return out;
}

function indexOfCapture(b: Uint8Array, from: number): number {
  for (let at = b.indexOf(0x4f, from); at >= 0 && at + 4 <= b.length; at = b.indexOf(0x4f, at + 1)) {
    if (b[at + 1] === 0x67 && b[at + 2] === 0x67 && b[at + 3] === 0x53) return at;
  }
  return -1;
}
