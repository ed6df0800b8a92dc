// Model files as older code wrote them, made from a current one (for the reading and conversion tests).
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';

/** v8's sections in file order, with their bytes per element (model-file.ts). */
const V8_SECTIONS: [string, 8 | 4 | 2][] = [
  ['projectionMean', 8], ['projectionLoadings', 8], ['mean', 8], ['scale', 8], ['weights', 8], ['bias', 8], ['cuts', 8],
  ['roots', 4], ['trainedClips', 4], ['left', 4], ['right', 4], ['leafRows', 4], ['mlpW1', 4], ['mlpB1', 4], ['mlpW2', 4], ['mlpB2', 4],
  ['feature', 2], ['cut', 2], ['left16', 2], ['right16', 2],
];

/** A v8 file with narrow children as v7 stored it: the children as int32 split indices or ~row, no uint16 sections and no training clips' keys (`edit`: changed first). */
export function asV7(v8: Buffer, edit?: (left: Int32Array) => void): Buffer {
  const header = JSON.parse(v8.toString('utf8', 12, 12 + v8.readUInt32LE(8)));
  const pad8 = (n: number) => (n + 7) & ~7;
  let at = pad8(12 + v8.readUInt32LE(8));
  const bytes: Record<string, Buffer> = {};
  for (const [name, size] of V8_SECTIONS) {
    bytes[name] = v8.subarray(at, at + header.sections[name] * size);
    at += pad8(header.sections[name] * size);
  }
  const wide = (name: string) => {
    const narrow = new Uint16Array(Uint8Array.from(bytes[`${name}16`]).buffer);
    return Buffer.from(Int32Array.from(narrow, (v, k) => (v & 0x8000 ? ~(v & 0x7fff) : k + v)).buffer);
  };
  expect(header.sections.left16).toBeGreaterThan(0);
  bytes.left = wide('left');
  bytes.right = wide('right');
  edit?.(new Int32Array(bytes.left.buffer, bytes.left.byteOffset, bytes.left.length / 4));
  const sections = V8_SECTIONS.filter(([name]) => !name.endsWith('16') && name !== 'trainedClips');
  const body = Buffer.concat(sections.flatMap(([name]) => [bytes[name], Buffer.alloc(pad8(bytes[name].length) - bytes[name].length)]));
  const counts = Object.fromEntries(sections.map(([name, size]) => [name, bytes[name].length / size]));
  const json = Buffer.from(JSON.stringify({ ...header, formatVersion: 7, sections: counts, crc32: crc32(body) }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from('SERBOTM\x07', 'latin1'), len, json, Buffer.alloc(pad8(12 + json.length) - 12 - json.length, 0x20), body]);
}


/** The same file with its JSON header changed by `edit` (the checksum covers the sections only). */
export function withHeader(file: Buffer, edit: (header: Record<string, unknown>) => Record<string, unknown>): Buffer {
  const length = file.readUInt32LE(8);
  const pad8 = (n: number) => (n + 7) & ~7;
  const json = Buffer.from(JSON.stringify(edit(JSON.parse(file.toString('utf8', 12, 12 + length)))));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([file.subarray(0, 8), len, json, Buffer.alloc(pad8(12 + json.length) - 12 - json.length, 0x20), file.subarray(pad8(12 + length))]);
}
