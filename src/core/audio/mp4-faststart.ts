// M4A/MP4 with its index ('moov') after the media ('mdat') rewritten in memory, so ffmpeg can read it from a pipe.
//
// Most encoders write moov last. ffmpeg cannot seek back on stdin, so such a file fails with
// "partial file" once mdat outgrows its read buffer. Moving moov to the front (what qt-faststart
// does) needs no temp file: reorder the top-level boxes and shift the chunk offsets in stco/co64.

import { AudioError } from '../errors.js';

interface Box {
  type: string;
  start: number;
  size: number;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
// moov > trak > mdia > minf > stbl > stco is 5 deep in a real file; crafted input nests moov
// thousands deep to overflow the stack: that is CORRUPT_AUDIO. A level with more boxes than
// MAX_BOXES is left alone (ffmpeg judges it).
const MAX_DEPTH = 8;
const MAX_BOXES = 100_000;

function boxesIn(b: Uint8Array, view: DataView, from: number, to: number): Box[] | null {
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...b.subarray(at + 4, at + 8));
    if (size === 1) {
      if (at + 16 > to) return null;
      size = view.getUint32(at + 8) * 2 ** 32 + view.getUint32(at + 12);
    } else if (size === 0) {
      size = to - at; // "extends to the end of the file"
    }
    if (size < 8 || boxes.length >= MAX_BOXES) return null;
    boxes.push({ type, start: at, size: Math.min(size, to - at) });
    at += size;
  }
  return boxes;
}

/** Add `shift` to every chunk offset inside [lo, hi) found in the stco/co64 boxes under `moov`. */
function shiftOffsets(b: Uint8Array, view: DataView, box: Box, lo: number, hi: number, shift: number, depth = 0): boolean {
  const header = 8;
  if (CONTAINERS.has(box.type)) {
    if (depth >= MAX_DEPTH) throw new AudioError('CORRUPT_AUDIO', `The M4A/MP4 boxes nest deeper than ${MAX_DEPTH} levels.`);
    const children = boxesIn(b, view, box.start + header, box.start + box.size);
    if (!children) return false;
    return children.every((c) => shiftOffsets(b, view, c, lo, hi, shift, depth + 1));
  }
  if (box.type !== 'stco' && box.type !== 'co64') return true;
  if (box.size < 16) return false;
  const wide = box.type === 'co64';
  const count = view.getUint32(box.start + 12);
  const first = box.start + 16;
  if (first + count * (wide ? 8 : 4) > box.start + box.size) return false;
  for (let i = 0; i < count; i++) {
    const at = first + i * (wide ? 8 : 4);
    const offset = wide ? view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4) : view.getUint32(at);
    if (offset < lo || offset >= hi) continue;
    const moved = offset + shift;
    if (wide) {
      view.setUint32(at, Math.floor(moved / 2 ** 32));
      view.setUint32(at + 4, moved >>> 0);
    } else {
      if (moved > 0xffffffff) return false;
      view.setUint32(at, moved);
    }
  }
  return true;
}

/** The same file with moov before mdat; the input itself when already so, or when it cannot be fixed safely. Throws CORRUPT_AUDIO for boxes nested too deep. */
export function moovFirst(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = boxesIn(bytes, view, 0, bytes.length);
  if (!top) return bytes;
  const mdatIndex = top.findIndex((x) => x.type === 'mdat');
  const moovIndex = top.findIndex((x) => x.type === 'moov');
  if (mdatIndex < 0 || moovIndex < mdatIndex) return bytes;
  const mdat = top[mdatIndex];
  const moov = top[moovIndex];

  const out = new Uint8Array(bytes.length);
  const outView = new DataView(out.buffer);
  let at = 0;
  const copy = (box: Box) => {
    out.set(bytes.subarray(box.start, box.start + box.size), at);
    at += box.size;
  };
  top.slice(0, mdatIndex).forEach(copy);
  const moovAt = at;
  copy(moov);
  for (let i = mdatIndex; i < top.length; i++) if (i !== moovIndex) copy(top[i]);
  if (at !== bytes.length) return bytes; // trailing junk we did not account for: leave the file alone

  // Everything from mdat up to the old moov moved forward by moov's size.
  const movedMoov: Box = { type: 'moov', start: moovAt, size: moov.size };
  const ok = shiftOffsets(out, outView, movedMoov, mdat.start, moov.start, moov.size);
  return ok ? out : bytes;
}
