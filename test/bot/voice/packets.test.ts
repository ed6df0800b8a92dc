// Decoding moved from the main thread to a pool worker: packets collected as they arrive and decoded in one batch
// give the same PCM and counts as the assembler fed packet by packet on arrival (reorder, loss, DTX, DAVE, bad frames).
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBatch, PacketCollector, type PacketBatch } from '../../../src/bot/voice/packets.js';
import type { ReceivedPacket } from '../../../src/bot/voice/receive.js';
import { createDecoder, UtteranceAssembler } from '../../../src/bot/voice/utterance.js';
import { ravdessClips } from '../../emulator/voice-note.js';
import { opusFrames } from '../../voice/opus-speech.js';

let frames: Buffer[];

beforeAll(async () => {
  frames = await opusFrames(ravdessClips({ actor: 7, emotion: '05', intensity: '02' }).slice(0, 2));
});

function packets(start = 65_480, ts0 = 4_294_950_000): ReceivedPacket[] {
  // Near the top of both counters, so both wrap inside the utterance.
  return frames.map((payload, i) => ({ payload, sequence: (start + i) & 0xffff, timestamp: (ts0 + i * 960) >>> 0 }));
}

/** The main thread's old path: one assembler fed on arrival, its PCM taken at the end. */
function before(list: ReceivedPacket[]) {
  const a = new UtteranceAssembler(createDecoder());
  for (const p of list) a.push(p);
  return { samples: a.takeMono16k(), stats: { ...a.stats } };
}

/** As a batch crosses to a worker: structured-cloned (transferred), then decoded there with a fresh decoder. */
function viaWorker(batch: PacketBatch) {
  return decodeBatch(structuredClone(batch), createDecoder());
}

function after(list: ReceivedPacket[]) {
  const c = new PacketCollector();
  for (const p of list) c.push(p);
  return viaWorker(c.take(false));
}

const cases: [string, (l: ReceivedPacket[]) => ReceivedPacket[]][] = [
  ['in order', (l) => l],
  ['reordered', (l) => { for (let i = 10; i + 1 < l.length; i += 7) [l[i], l[i + 1]] = [l[i + 1]!, l[i]!]; return l; }],
  ['with losses', (l) => l.filter((_, i) => ![5, 30, 31, 90, 91, 92, 93, 94, 95, l.length - 3].includes(i))],
  ['with a late and a duplicate packet', (l) => [...l.slice(0, 20), ...l.slice(21, 30), l[20]!, l[25]!, ...l.slice(30)]],
  ['with a DTX pause', (l) => l.map((p, i) => (i >= 50 ? { ...p, timestamp: (p.timestamp! + 960 * 10) >>> 0 } : p))],
  ['with DAVE ciphertext, corrupt Opus and an empty payload', (l) => {
    l[10] = { ...l[10]!, payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x01]) };
    l[11] = { ...l[11]!, payload: Buffer.concat([Buffer.alloc(40, 7), Buffer.from([0x85, 0x01, 13, 0xfa, 0xfa])]) };
    l[12] = { ...l[12]!, payload: Buffer.alloc(0) };
    l[60] = { ...l[60]!, payload: Buffer.concat([Buffer.alloc(90, 3), Buffer.from([12, 0xfa, 0xfa])]) };
    return l;
  }],
  ['without RTP information', (l) => l.map((p) => ({ ...p, sequence: null, timestamp: null }))],
];

describe('decodeBatch (in a worker) against the assembler on arrival (main thread, before)', () => {
  it.each(cases)('%s: the same samples, bit for bit, and the same counts', (_, shape) => {
    const old = before(shape(packets()));
    const now = after(shape(packets()));
    expect(now.samples.length).toBe(old.samples.length);
    expect(Buffer.from(now.samples.buffer).equals(Buffer.from(old.samples.buffer))).toBe(true);
    expect(now.stats).toEqual(old.stats);
  });

  it('a DAVE frame is skipped, not concealed: its 20 ms come back as silence (from the next timestamp), never as decoded noise', () => {
    const l = packets();
    l[40] = { ...l[40]!, payload: Buffer.concat([Buffer.alloc(60, 9), Buffer.from([12, 0xfa, 0xfa])]) };
    const { samples, stats } = after(l);
    expect(stats).toMatchObject({ encryptedFrames: 1, lost: 0, decoded: frames.length - 1 });
    expect(samples.length).toBe(frames.length * 320);
    expect(samples.subarray(40 * 320, 41 * 320).every((x) => x === 0)).toBe(true);
  });
});

describe('PacketCollector', () => {
  it('says how long the piece is without decoding it (never less than the decoded length)', () => {
    const c = new PacketCollector();
    const l = packets().filter((_, i) => i !== 30);
    for (const p of l) c.push(p);
    const decoded = viaWorker(c.take(false)).samples.length / 16_000;
    const c2 = new PacketCollector();
    for (const p of l) c2.push(p);
    expect(c2.seconds).toBeCloseTo(frames.length * 0.02, 5); // the lost packet's 20 ms are filled
    expect(c2.seconds).toBeGreaterThanOrEqual(decoded - 1e-9);
    // Packets that repeat one timestamp (or carry none) still count 20 ms each: the 15-s cap cannot be dodged.
    const c3 = new PacketCollector();
    for (const p of l.slice(0, 100)) c3.push({ ...p, timestamp: 1234 });
    expect(c3.seconds).toBeCloseTo(2, 5);
  });

  it('keeps nothing after discard(), and counts DAVE ciphertext and audible packets', () => {
    const c = new PacketCollector();
    expect(c.push({ payload: Buffer.concat([Buffer.alloc(40), Buffer.from([12, 0xfa, 0xfa])]), sequence: 1, timestamp: 0 })).toBe(true);
    expect(c.push({ payload: frames[0]!, sequence: 2, timestamp: 960 })).toBe(false);
    expect(c.push({ payload: Buffer.alloc(0), sequence: 3, timestamp: 1920 })).toBe(false);
    expect([c.packets, c.encrypted, c.audible]).toEqual([3, 1, 1]);
    c.discard();
    expect([c.packets, c.bytes, c.seconds, c.encrypted, c.audible]).toEqual([0, 0, 0, 0, 0]);
    const b = c.take(false);
    expect([b.ends.length, b.bytes.length, ...b.carry, b.preroll]).toEqual([0, 0, -1, -1, 0]);
  });

  it('a cut inside a long utterance: the next piece carries on where the assembler would (late packets dropped, decoder primed)', () => {
    const l = packets();
    const cutAt = 120;
    // Packet 118 arrives after the cut: one assembler had given it up (lost) and drops it when it comes.
    const first = l.slice(0, cutAt).filter((_, i) => i !== 118);
    const second = [l[118]!, ...l.slice(cutAt)];
    // Before: one assembler and one decoder across the cut.
    const a = new UtteranceAssembler(createDecoder());
    for (const p of first) a.push(p);
    const oldA = a.takeMono16k();
    for (const p of second) a.push(p);
    const oldB = a.takeMono16k();
    // Now: two batches, each decoded by its own fresh decoder in a worker.
    const c = new PacketCollector();
    for (const p of first) c.push(p);
    const pieceA = c.take(true);
    for (const p of second) c.push(p);
    const pieceB = c.take(true);
    expect(pieceB.preroll).toBe(3);
    const newA = viaWorker(pieceA);
    const newB = viaWorker(pieceB);
    expect(Buffer.from(newA.samples.buffer).equals(Buffer.from(oldA.buffer))).toBe(true);
    expect(newB.samples.length).toBe(oldB.length);
    expect(newB.stats).toMatchObject({ dropped: 1, lost: 0, decoded: frames.length - cutAt });
    // The primed decoder enters the second piece close to where one decoder was (not bit-exact: CELT's
    // energy prediction reaches further back than three frames). Without priming the first frame differs more.
    const snr = (x: Float32Array, ref: Float32Array, n: number) => {
      let s = 0, e = 0;
      for (let i = 0; i < n; i++) [s, e] = [s + ref[i]! ** 2, e + (x[i]! - ref[i]!) ** 2];
      return 10 * Math.log10(s / Math.max(e, 1e-20));
    };
    const cold = viaWorker({ ...structuredClone(pieceB), preroll: 0, bytes: pieceB.bytes.slice(pieceB.ends[2]!), ends: pieceB.ends.slice(3).map((e) => e - pieceB.ends[2]!), seq: pieceB.seq.slice(3), ts: pieceB.ts.slice(3) });
    const primedSnr = snr(newB.samples, oldB, oldB.length);
    expect(primedSnr).toBeGreaterThan(30);
    expect(primedSnr).toBeGreaterThan(snr(cold.samples, oldB, oldB.length));
    // The primer lives only as long as the utterance: after it ends, the next piece starts cold.
    for (const p of first.slice(0, 50)) c.push(p);
    c.take(true);
    c.endUtterance();
    for (const p of second.slice(0, 50)) c.push(p);
    expect(c.take(false).preroll).toBe(0);
  });
});
