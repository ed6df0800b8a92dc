// Ogg/Opus and WebM/Opus → mono 48 kHz samples without ffmpeg (prism-media demuxers + libopus).
import type { Transform } from 'node:stream';
import prism from 'prism-media';
import opus from '@discordjs/opus';
import { AudioError } from '../errors.js';
import { SAMPLE_RATE } from '../pcm.js';
import type { MonoAudio } from './resample.js';

const OPUS_RATE = 48_000;
// Demuxing is synchronous over an in-memory buffer, so this only guards against a stream that
// never ends because of a bug or a pathological file.
const DEMUX_TIMEOUT_MS = 10_000;

/** What the OpusHead says about how to play the packets. */
export interface OpusHead {
  channels: number;
  preSkip: number; // 48 kHz samples to drop from the start (encoder delay)
  outputGainDb: number;
  mappingFamily: number;
}

export function parseOpusHead(head: Uint8Array): OpusHead | null {
  if (head.length < 19 || String.fromCharCode(...head.subarray(0, 8)) !== 'OpusHead') return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return {
    channels: head[9],
    preSkip: view.getUint16(10, true),
    outputGainDb: view.getInt16(16, true) / 256,
    mappingFamily: head[18],
  };
}

interface Demuxed {
  head: Buffer | null;
  packets: Buffer[];
  error: Error | null;
}

function demux(demuxer: Transform, bytes: Uint8Array): Promise<Demuxed> {
  return new Promise((resolve) => {
    const packets: Buffer[] = [];
    let head: Buffer | null = null;
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      demuxer.removeAllListeners();
      demuxer.on('error', () => {}); // late errors after we settled must not crash the process
      demuxer.destroy();
      resolve({ head, packets, error });
    };
    const timer = setTimeout(() => finish(new Error('demuxer did not finish')), DEMUX_TIMEOUT_MS);
    demuxer.on('head', (h: Buffer) => {
      head ??= h;
    });
    demuxer.on('data', (p: Buffer) => packets.push(p));
    demuxer.on('error', (e: Error) => finish(e));
    demuxer.on('end', () => finish(null));
    // Ending right away is what makes a truncated file finish: the partial last page is dropped.
    demuxer.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

export interface OpusDecodeOptions {
  maxDurationSec: number;
  /** Exact sample count after pre-skip, when the container knows it (Ogg end-of-stream granule). */
  totalSamples?: number;
}

/**
 * Decode Opus packets to mono 16 kHz, applying pre-skip and output gain. libopus decodes straight
 * to 16 kHz with its own band-limiting, which is 3× less output and no separate 48→16 kHz
 * resampling pass (that pass was half the cost of a voice note). Ogg positions and pre-skip count
 * 48 kHz samples, so they are scaled down.
 */
function decodePackets(packets: Buffer[], head: OpusHead, opts: OpusDecodeOptions): MonoAudio {
  const decoder = new opus.OpusEncoder(SAMPLE_RATE, head.channels);
  const scale = OPUS_RATE / SAMPLE_RATE;
  const preSkip = Math.round(head.preSkip / scale);
  const limit = Math.ceil(opts.maxDurationSec * SAMPLE_RATE) + preSkip;
  let out = new Float32Array(Math.min(limit, packets.length * 320 + 320) + 1);
  let length = 0;
  let decodedPackets = 0;
  const gain = 10 ** (head.outputGainDb / 20) / 32768 / head.channels;
  for (const packet of packets) {
    let pcm: Buffer;
    try {
      pcm = decoder.decode(packet);
    } catch {
      continue; // one corrupt packet costs 20 ms of audio, not the whole message
    }
    decodedPackets++;
    const frames = pcm.length / (2 * head.channels);
    if (length + frames > limit) {
      throw new AudioError('TOO_LONG', `The audio is longer than ${opts.maxDurationSec} s.`, { maxDurationSec: opts.maxDurationSec });
    }
    if (length + frames > out.length) {
      const bigger = new Float32Array(Math.min(limit + 1, Math.max(out.length * 2, length + frames)));
      bigger.set(out.subarray(0, length));
      out = bigger;
    }
    for (let f = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < head.channels; c++) sum += pcm.readInt16LE((f * head.channels + c) * 2);
      out[length + f] = sum * gain;
    }
    length += frames;
  }
  if (packets.length > 0 && decodedPackets === 0) {
    throw new AudioError('CORRUPT_AUDIO', 'None of the Opus packets could be decoded.');
  }
  let end = length;
  if (opts.totalSamples !== undefined && opts.totalSamples >= 0) {
    end = Math.min(end, preSkip + Math.round(opts.totalSamples / scale)); // drop the padding of the last packet
  }
  const start = Math.min(preSkip, end);
  return { samples: out.slice(start, end), sampleRate: SAMPLE_RATE };
}

interface OggPage {
  headerType: number;
  granule: number;
  serial: number;
  firstPacketStart: number;
  firstPacketLength: number; // may exceed the bytes present when the page is cut short
}

function oggPageAt(b: Uint8Array, at: number): OggPage | null {
  if (at + 27 > b.length || String.fromCharCode(...b.subarray(at, at + 4)) !== 'OggS') return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const segments = b[at + 26];
  if (at + 27 + segments > b.length) return null;
  let firstPacketLength = 0;
  for (let i = 0; i < segments; i++) {
    firstPacketLength += b[at + 27 + i];
    if (b[at + 27 + i] < 255) break;
  }
  const lo = view.getUint32(at + 6, true);
  const hi = view.getInt32(at + 10, true);
  return {
    headerType: b[at + 5],
    granule: hi * 2 ** 32 + lo,
    serial: view.getUint32(at + 14, true),
    firstPacketStart: at + 27 + segments,
    firstPacketLength,
  };
}

/** The last page of the first logical stream, found by scanning back from the end. */
function lastOggPage(b: Uint8Array, serial: number): OggPage | null {
  const stop = Math.max(0, b.length - 256 * 1024);
  for (let at = b.length - 27; at >= stop; at--) {
    if (b[at] !== 0x4f || b[at + 1] !== 0x67) continue; // 'Og'
    const page = oggPageAt(b, at);
    if (page && page.serial === serial) return page;
  }
  return null;
}

/**
 * Ogg/Opus → 16 kHz mono, or null when the Ogg stream carries another codec (Vorbis, FLAC, Speex…)
 * or a channel layout libopus' plain decoder cannot take (multichannel): the caller hands those to ffmpeg.
 */
export async function decodeOggOpus(bytes: Uint8Array, maxDurationSec: number): Promise<MonoAudio | null> {
  const first = oggPageAt(bytes, 0);
  if (!first || first.firstPacketStart + 8 > bytes.length) throw new AudioError('CORRUPT_AUDIO', 'The Ogg file is cut short before its first packet.');
  const firstPacket = bytes.subarray(first.firstPacketStart, first.firstPacketStart + Math.min(first.firstPacketLength, 19));
  if (String.fromCharCode(...firstPacket.subarray(0, 8)) !== 'OpusHead') return null;
  const head = parseOpusHead(firstPacket);
  if (!head) throw new AudioError('CORRUPT_AUDIO', 'The OpusHead packet is cut short.');
  if (head.mappingFamily !== 0 || head.channels < 1 || head.channels > 2) return null;

  // The granule position of the end-of-stream page is the exact length (plus pre-skip): it lets a
  // 10-minute note be rejected before decoding and trims the last packet's padding.
  const last = lastOggPage(bytes, first.serial);
  let totalSamples: number | undefined;
  if (last && last.headerType & 4 && last.granule >= head.preSkip) {
    totalSamples = last.granule - head.preSkip;
    if (totalSamples > maxDurationSec * OPUS_RATE) {
      throw new AudioError('TOO_LONG', `The audio is longer than ${maxDurationSec} s.`, { maxDurationSec, durationSec: totalSamples / OPUS_RATE });
    }
  }
  const { packets, error } = await demux(new prism.opus.OggDemuxer(), bytes);
  if (packets.length === 0) {
    if (error) throw new AudioError('CORRUPT_AUDIO', 'The Ogg/Opus stream is damaged.', { cause: error.message });
    // An empty recording still ends its stream (EOS page); without one the file was cut after its headers.
    if (!(last && last.headerType & 4)) throw new AudioError('CORRUPT_AUDIO', 'The Ogg/Opus file is cut short after its headers.');
    throw new AudioError('EMPTY_AUDIO', 'The Ogg/Opus file contains no audio.');
  }
  // A demux error after some packets (garbage in the middle, a cut) keeps what came before it.
  return decodePackets(packets, head, { maxDurationSec, totalSamples });
}

/** WebM/Matroska with an Opus track → 16 kHz mono, or null for any other codec (caller tries ffmpeg). */
export async function decodeWebmOpus(bytes: Uint8Array, maxDurationSec: number): Promise<MonoAudio | null> {
  const { head: rawHead, packets, error } = await demux(new prism.opus.WebmDemuxer(), bytes);
  const head = rawHead ? parseOpusHead(rawHead) : null;
  if (!head) {
    // prism throws "Audio codec is not Opus!" from the codec-private check, and finds no head when
    // the track has none: either way this is not something we decode ourselves.
    if (packets.length === 0) return null;
    throw new AudioError('CORRUPT_AUDIO', 'The WebM Opus track has no valid OpusHead.');
  }
  if (head.mappingFamily !== 0 || head.channels < 1 || head.channels > 2) return null;
  if (packets.length === 0) {
    if (error) throw new AudioError('CORRUPT_AUDIO', 'The WebM/Opus stream is damaged.', { cause: error.message });
    throw new AudioError('EMPTY_AUDIO', 'The WebM file contains no audio.');
  }
  return decodePackets(packets, head, { maxDurationSec });
}
