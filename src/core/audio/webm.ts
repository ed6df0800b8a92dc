// A small bounded EBML (WebM/Matroska) reader: the tracks, then the frames of one track, delivered as they are found.
//
// Replaces prism-media's WebmDemuxer, whose 32-bit vint arithmetic turned an 8-byte size into a
// negative number and re-read the same element forever. Here sizes are computed in float64 (exact
// up to 2^53, and anything larger is past the end of any file we hold), every size is checked
// against its parent, only the five master elements on the path to the audio are entered (so the
// depth is bounded by construction), unknown-size Segment and Cluster (what browsers' MediaRecorder
// writes) end where their parent does or at the next top-level element, and every step moves
// forward by at least two bytes or closes an element: the walk is linear in the file size.

const ID_SEGMENT = 0x18538067;
const ID_TRACKS = 0x1654ae6b;
const ID_TRACK_ENTRY = 0xae;
const ID_TRACK_NUMBER = 0xd7;
const ID_CODEC_ID = 0x86;
const ID_CODEC_PRIVATE = 0x63a2;
const ID_CLUSTER = 0x1f43b675;
const ID_BLOCK_GROUP = 0xa0;
const ID_BLOCK = 0xa1;
const ID_SIMPLE_BLOCK = 0xa3;

/** Which master may be entered under which parent (0: the top level). Everything else is skipped by its size. */
const ENTER: ReadonlyMap<number, number> = new Map([
  [ID_SEGMENT, 0],
  [ID_TRACKS, ID_SEGMENT],
  [ID_CLUSTER, ID_SEGMENT],
  [ID_TRACK_ENTRY, ID_TRACKS],
  [ID_BLOCK_GROUP, ID_CLUSTER],
]);
/** Children of Segment: seeing one inside an unknown-size Cluster ends that Cluster. */
const SEGMENT_CHILDREN = new Set([0x114d9b74, 0x1549a966, ID_TRACKS, ID_CLUSTER, 0x1c53bb6b, 0x1941a469, 0x1043a770, 0x1254c367]);
const MAX_DEPTH = 4; // Segment > Cluster > BlockGroup (> Block); ENTER cannot go deeper, this says so
const MAX_LACED_FRAMES = 256; // the lace count is one byte

export interface WebmTrack {
  number: number;
  codecId: string;
  codecPrivate: Uint8Array | null;
}

export interface WebmWalk {
  /** Some size or structure was wrong (or the file was cut): the walk stopped early or skipped a block. */
  damaged: boolean;
  /** The Tracks element was read to its end. */
  tracksRead: boolean;
  /** Blocks of the chosen track seen (frames may be more, with lacing). */
  blocks: number;
}

export interface WebmHandlers {
  /** Called once, when Tracks has been read; returns the track number to deliver, or null to stop. */
  onTracks(tracks: WebmTrack[]): number | null;
  /** Each frame of the chosen track, in file order; returning false stops the walk. */
  onFrame(frame: Uint8Array): boolean;
}

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An element ID (1–4 bytes, marker bit kept, as Matroska writes IDs), or null. */
function readId(b: Uint8Array, at: number): Vint | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || at + length > b.length) return null;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + b[at + i];
  return { value, length, unknown: false };
}

/** A size vint (1–8 bytes, marker removed); all value bits set means "unknown size". */
export function readVint(b: Uint8Array, at: number): Vint | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > b.length) return null;
  const mask = 0xff >> length;
  let value = first & mask;
  let allOnes = value === mask;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]; // float64, never `<<`: an 8-byte size must not wrap to a negative number
    allOnes &&= b[at + i] === 0xff;
  }
  return { value, length, unknown: allOnes };
}

function readUint(b: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[at + i];
  return v;
}

interface Open {
  id: number;
  end: number;
  unknown: boolean;
}

/**
 * Walks a WebM/Matroska file: reads the track list, asks `onTracks` which one to follow, then
 * hands each of its frames to `onFrame`. Stops at the first size that does not fit (keeping what
 * came before), when a handler says so, or at the end of the bytes.
 */
export function readWebmFrames(b: Uint8Array, handlers: WebmHandlers): WebmWalk {
  const walk: WebmWalk = { damaged: false, tracksRead: false, blocks: 0 };
  const stack: Open[] = [];
  const tracks: WebmTrack[] = [];
  let entry: WebmTrack | null = null;
  let chosen: number | null = null;
  let stopped = false;

  const close = (): void => {
    const open = stack.pop()!;
    if (open.id === ID_TRACK_ENTRY && entry) {
      tracks.push(entry);
      entry = null;
    } else if (open.id === ID_TRACKS && !walk.tracksRead) {
      walk.tracksRead = true;
      chosen = handlers.onTracks(tracks);
      if (chosen === null) stopped = true;
    }
  };

  let at = 0;
  while (!stopped) {
    while (stack.length && at >= stack[stack.length - 1].end) close();
    if (stopped || at >= b.length) break;
    const id = readId(b, at);
    const size = id && readVint(b, at + id.length);
    if (!id || !size) {
      walk.damaged = true;
      break;
    }
    const top = stack[stack.length - 1];
    if (top?.unknown && top.id === ID_CLUSTER && SEGMENT_CHILDREN.has(id.value)) {
      close(); // an unknown-size Cluster ends where the next top-level element starts
      continue;
    }
    const dataAt = at + id.length + size.length;
    const parentEnd = top ? top.end : b.length;
    if (ENTER.get(id.value) === (top?.id ?? 0) && stack.length < MAX_DEPTH) {
      let end = size.unknown ? parentEnd : dataAt + size.value;
      if (end > parentEnd) {
        walk.damaged = true; // cut short, or a size that lies: read what is there
        end = parentEnd;
      }
      if (id.value === ID_TRACK_ENTRY) entry = { number: -1, codecId: '', codecPrivate: null };
      stack.push({ id: id.value, end, unknown: size.unknown });
      at = dataAt;
      continue;
    }
    const end = dataAt + size.value;
    if (size.unknown || end > parentEnd) {
      walk.damaged = true; // a leaf we cannot skip, or one running past its parent: stop here
      break;
    }
    const data = b.subarray(dataAt, end);
    if (top?.id === ID_TRACK_ENTRY && entry) {
      if (id.value === ID_TRACK_NUMBER && size.value >= 1 && size.value <= 8) entry.number = readUint(b, dataAt, size.value);
      else if (id.value === ID_CODEC_ID) entry.codecId = String.fromCharCode(...data.subarray(0, 32)).replace(/\0+$/, '');
      else if (id.value === ID_CODEC_PRIVATE) entry.codecPrivate = data;
    } else if (chosen !== null && (id.value === ID_SIMPLE_BLOCK || (id.value === ID_BLOCK && top?.id === ID_BLOCK_GROUP))) {
      if (!blockFrames(data, chosen, walk, handlers.onFrame)) stopped = true;
    }
    at = end;
  }
  while (stack.length && !stopped) close(); // a cut file still reports its tracks
  return walk;
}

/** Splits one (Simple)Block of `track` into its frames; false when onFrame asked to stop. */
function blockFrames(block: Uint8Array, track: number, walk: WebmWalk, onFrame: (f: Uint8Array) => boolean): boolean {
  const number = readVint(block, 0);
  if (!number || number.value !== track) return true;
  walk.blocks++;
  let at = number.length + 3; // timecode (2) and flags (1)
  if (at > block.length) {
    walk.damaged = true;
    return true;
  }
  const lacing = (block[at - 1] >> 1) & 3;
  if (lacing === 0) return onFrame(block.subarray(at));
  if (at >= block.length) {
    walk.damaged = true;
    return true;
  }
  const count = Math.min(block[at++] + 1, MAX_LACED_FRAMES);
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph: each size but the last as a run of 255s plus a final byte.
    for (let f = 0; f < count - 1; f++) {
      let s = 0;
      for (let v = 255; v === 255 && at < block.length; ) s += v = block[at++];
      sizes.push(s);
    }
  } else if (lacing === 3) {
    // EBML: the first size, then signed differences.
    let prev = 0;
    for (let f = 0; f < count - 1; f++) {
      const v = readVint(block, at);
      if (!v) {
        walk.damaged = true;
        return true;
      }
      at += v.length;
      prev = f === 0 ? v.value : prev + v.value - (2 ** (7 * v.length - 1) - 1);
      sizes.push(prev);
    }
  } else {
    const each = (block.length - at) / count;
    if (!Number.isInteger(each)) {
      walk.damaged = true;
      return true;
    }
    for (let f = 0; f < count - 1; f++) sizes.push(each);
  }
  const used = sizes.reduce((a, s) => a + s, 0);
  if (sizes.some((s) => s < 0) || at + used > block.length) {
    walk.damaged = true;
    return true;
  }
  sizes.push(block.length - at - used);
  for (const s of sizes) {
    if (!onFrame(block.subarray(at, at + s))) return false;
    at += s;
  }
  return true;
}
