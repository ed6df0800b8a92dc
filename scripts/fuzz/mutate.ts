// Mutations for the fuzz harness: generic byte damage plus damage aimed at each container's size fields and structure.
import { randInt, rng } from '../../src/core/model/random.js';

export type Rng = () => number;

/** The project's seeded PRNG, one stream per case: a case is reproducible from (seed, index). */
export function rngFor(seed: number, index: number): Rng {
  return rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

const int = randInt;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

export type Format = 'wav' | 'ogg' | 'webm';

/** A region of the seed that a structured mutation works on: a chunk, page or element, with where its size field is. */
interface Unit {
  start: number;
  end: number;
  sizeAt: number;
  sizeLength: number;
}

function wavUnits(b: Uint8Array): Unit[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Unit[] = [{ start: 0, end: b.length, sizeAt: 4, sizeLength: 4 }];
  for (let at = 12; at + 8 <= b.length; ) {
    const size = v.getUint32(at + 4, true);
    out.push({ start: at, end: Math.min(b.length, at + 8 + size + (size & 1)), sizeAt: at + 4, sizeLength: 4 });
    at += 8 + size + (size & 1);
  }
  return out;
}

function oggUnits(b: Uint8Array): Unit[] {
  const out: Unit[] = [];
  for (let at = 0; at + 27 <= b.length; ) {
    const n = b[at + 26];
    let body = 0;
    for (let i = 0; i < n; i++) body += b[at + 27 + i];
    // The "size field" of a page is its lacing table.
    out.push({ start: at, end: Math.min(b.length, at + 27 + n + body), sizeAt: at + 26, sizeLength: 1 + n });
    at += 27 + n + body;
  }
  return out;
}

/** EBML elements found by descending into every element whose size fits its parent. */
function webmUnits(b: Uint8Array): Unit[] {
  const out: Unit[] = [];
  const walk = (from: number, to: number, depth: number) => {
    for (let at = from; at < to && out.length < 20_000; ) {
      const idLength = Math.clz32(b[at]) - 23;
      if (idLength < 1 || idLength > 4) return;
      const sizeAt = at + idLength;
      const sizeLength = Math.clz32(b[sizeAt]) - 23;
      if (sizeLength < 1 || sizeLength > 8 || sizeAt + sizeLength > to) return;
      let size = b[sizeAt] & (0xff >> sizeLength);
      for (let i = 1; i < sizeLength; i++) size = size * 256 + b[sizeAt + i];
      const dataAt = sizeAt + sizeLength;
      const end = Math.min(to, dataAt + size);
      out.push({ start: at, end, sizeAt, sizeLength });
      if (depth < 6 && size >= 2) walk(dataAt, end, depth + 1);
      at = end;
    }
  };
  walk(0, b.length, 0);
  return out;
}

export function unitsOf(format: Format, b: Uint8Array): Unit[] {
  return format === 'wav' ? wavUnits(b) : format === 'ogg' ? oggUnits(b) : webmUnits(b);
}

const INTERESTING: readonly number[][] = [
  [0x00],
  [0xff],
  [0x7f],
  [0x80],
  [0x01],
  [0x00, 0x00],
  [0xff, 0xff],
  [0x7f, 0xff],
  [0x80, 0x00],
  [0x00, 0x00, 0x00, 0x00],
  [0xff, 0xff, 0xff, 0xff],
  [0x7f, 0xff, 0xff, 0xff],
  [0x80, 0x00, 0x00, 0x00],
  [0xfe, 0xff, 0xff, 0xff],
  [0x00, 0x00, 0x00, 0x80],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
];
/** Size vints that broke or could break a reader: 8-byte "−9", unknown size, zero, huge, and needlessly wide. */
const VINTS: readonly number[][] = [
  [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf7],
  [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0xff],
  [0x80],
  [0x40, 0x00],
  [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x10, 0xff, 0xff, 0xfe],
  [0x08, 0x00, 0x00, 0x00, 0x01],
  [0x00],
];

type Mutation = (b: Uint8Array, rng: Rng, units: Unit[], format: Format) => Uint8Array;

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  // Unit positions come from the unmutated seed: clamp them to what an earlier mutation left.
  at = Math.min(at, b.length);
  remove = Math.max(0, Math.min(remove, b.length - at));
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

const MUTATIONS: Record<string, Mutation> = {
  bitFlip(b, rng) {
    const out = b.slice();
    for (let n = 1 + int(rng, 8); n > 0; n--) out[int(rng, out.length)] ^= 1 << int(rng, 8);
    return out;
  },
  interesting(b, rng, units) {
    const out = b.slice();
    const value = pick(rng, INTERESTING);
    // Half the time aim at the start of a structure (headers hold the fields that matter).
    const at = rng() < 0.5 && units.length ? pick(rng, units).start + int(rng, 48) : int(rng, out.length);
    for (let i = 0; i < value.length && at + i < out.length; i++) out[at + i] = value[i];
    return out;
  },
  truncate(b, rng) {
    return b.slice(0, int(rng, b.length));
  },
  sizeField(b, rng, units, format) {
    if (!units.length) return b;
    const out = b.slice();
    const u = pick(rng, units);
    if (format === 'webm') return splice(out, u.sizeAt, u.sizeLength, Uint8Array.from(pick(rng, VINTS)));
    const value = pick(rng, INTERESTING);
    const at = u.sizeAt; // WAV: the 32-bit chunk size; Ogg: the segment count, then the lacing table
    for (let i = 0; i < Math.min(value.length, u.sizeLength) && at + i < out.length; i++) out[at + i] = value[i];
    return out;
  },
  duplicateUnit(b, rng, units) {
    if (!units.length) return b;
    const u = pick(rng, units);
    const copies = rng() < 0.2 ? 2 + int(rng, 50) : 1;
    let out = b;
    const unit = b.slice(Math.min(u.start, b.length), Math.min(u.end, b.length));
    for (let i = 0; i < copies && out.length < 8 * 1024 * 1024; i++) out = splice(out, u.end, 0, unit);
    return out;
  },
  removeUnit(b, rng, units) {
    if (!units.length) return b;
    const u = pick(rng, units);
    return splice(b, u.start, u.end - u.start, new Uint8Array(0));
  },
  vintOrLacing(b, rng, units, format) {
    if (!units.length) return b;
    const out = b.slice();
    const u = pick(rng, units);
    if (format === 'webm') {
      // Rewrite the element's ID byte length marker or its size vint width.
      return rng() < 0.5 ? splice(out, u.sizeAt, u.sizeLength, Uint8Array.from(pick(rng, VINTS))) : splice(out, u.start, 1, Uint8Array.of(pick(rng, [0x00, 0x01, 0x08, 0x10, 0xec, 0xa3, 0x1f])));
    }
    if (format === 'ogg') {
      // Lacing: a value set to 255 (continue), to 0 (end/empty), random; or the segment count itself.
      const n = out[u.sizeAt] ?? 0;
      if (rng() < 0.25 || n === 0) out[u.sizeAt] = int(rng, 256);
      else for (let k = 1 + int(rng, 4); k > 0; k--) out[u.sizeAt + 1 + int(rng, n)] = pick(rng, [255, 0, int(rng, 256)]);
      if (rng() < 0.3) out[u.start + 5] ^= 1 << int(rng, 3); // header-type flags: continued, BOS, EOS
      return out;
    }
    // WAV: a chunk id renamed (a lost fmt or data chunk), or a format field.
    const at = u.start + (rng() < 0.5 ? 0 : 8 + int(rng, 16));
    if (at < out.length) out[at] = int(rng, 256);
    return out;
  },
  insertJunk(b, rng) {
    const junk = new Uint8Array(1 + int(rng, 64));
    for (let i = 0; i < junk.length; i++) junk[i] = int(rng, 256);
    return splice(b, int(rng, b.length), 0, junk);
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One fuzz case: 1–3 mutations of `seed`, named so a failure says what was done. */
export function mutate(seed: Uint8Array, format: Format, units: Unit[], rng: Rng): { bytes: Uint8Array; applied: string[] } {
  let bytes = seed;
  const applied: string[] = [];
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const name = pick(rng, MUTATION_NAMES);
    // Later mutations see positions of the original units: approximate, which is fine for damage.
    bytes = MUTATIONS[name](bytes, rng, units, format);
    applied.push(name);
    if (bytes.length === 0) break;
  }
  return { bytes, applied };
}
