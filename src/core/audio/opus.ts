// Ogg/Opus and WebM/Opus → mono 16 kHz samples without ffmpeg: the project's own bounded demuxers, then libopus, packet by packet.
import { AudioError } from '../errors.js';
import { SAMPLE_RATE } from '../pcm.js';
import { firstPacketOf, isEndOfStream, lastOggPage, oggPageAt, readOggPackets } from './ogg.js';
import { loadOpusAddon, type OpusAddon } from './opus-addon.js';
import type { MonoAudio } from './resample.js';
import { readWebmFrames } from './webm.js';

// libopus is loaded on the first Opus file, not at import: a CLI run on WAV files (and a bot that is
// never sent a voice message) skips the addon. A synchronous require keeps the decoders synchronous.
let addon: OpusAddon | null = null;
const opus = (): OpusAddon => (addon ??= loadOpusAddon());

const OPUS_RATE = 48_000;
/** The longest a packet may play (RFC 6716 §3.2.5), in 48 kHz samples; also the padding slack on the length budget. */
const MAX_PACKET_SAMPLES = 5760;
/** The biggest Opus packet: 48 frames of 1275 bytes plus framing; a continued Ogg packet beyond it is not audio. */
const MAX_PACKET_BYTES = 64 * 1024;
/** The shortest packet plays 2.5 ms: more packets than this per second of the limit cannot be real audio. */
const MAX_PACKETS_PER_SEC = 400;

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

export interface OpusDecodeOptions {
  maxDurationSec: number;
  /** Exact sample count after pre-skip, when the container knows it (Ogg end-of-stream granule). */
  totalSamples?: number;
}

/**
 * How long a packet plays, from its TOC byte (RFC 6716 §3.1), in 48 kHz samples; 0 for a packet
 * that is empty or malformed (a code-3 packet without its frame count, zero frames, over 120 ms).
 */
export function opusPacketSamples(p: Uint8Array): number {
  if (p.length < 1) return 0;
  const config = p[0] >> 3;
  let frame: number;
  if (config < 12) frame = [480, 960, 1920, 2880][config & 3]; // SILK: 10, 20, 40, 60 ms
  else if (config < 16) frame = config & 1 ? 960 : 480; // hybrid: 10, 20 ms
  else frame = [120, 240, 480, 960][config & 3]; // CELT: 2.5, 5, 10, 20 ms
  let count: number;
  const code = p[0] & 3;
  if (code === 0) count = 1;
  else if (code < 3) count = 2;
  else if (p.length < 2) return 0;
  else count = p[1] & 0x3f;
  const total = frame * count;
  return count === 0 || total > MAX_PACKET_SAMPLES ? 0 : total;
}

interface OpusSink {
  /** Takes one packet: judged by its TOC before decoding; throws TOO_LONG or CORRUPT_AUDIO as soon as a budget is exceeded. */
  push(packet: Uint8Array): void;
  /**
   * The decoded audio, with pre-skip and the end trim applied. `damaged`: the demuxer skipped
   * something; `ended`: the stream says where it ends (Ogg's end-of-stream page), so no packets
   * means a recording of nothing rather than a file cut after its headers.
   */
  finish(damaged: boolean, container: string, ended: boolean): MonoAudio;
}

/**
 * Decodes Opus packets to mono 16 kHz as they arrive, applying pre-skip and output gain. Nothing but
 * the output is held, and the output never grows past the duration limit: the packets' TOC durations
 * are counted before libopus sees them, empty and malformed packets are dropped without decoding
 * (libopus would conceal each as a lost packet), and a stream with more packets than the limit could
 * hold is refused. libopus decodes straight to 16 kHz (3× less output, no 48→16 kHz pass); Ogg
 * positions and pre-skip count 48 kHz samples, so they are scaled down.
 */
function opusSink(head: OpusHead, opts: OpusDecodeOptions): OpusSink {
  const decoder = new (opus().OpusEncoder)(SAMPLE_RATE, head.channels);
  const scale = OPUS_RATE / SAMPLE_RATE;
  const preSkip = Math.round(head.preSkip / scale);
  const tooLong = () => new AudioError('TOO_LONG', `The audio is longer than ${opts.maxDurationSec} s.`, { maxDurationSec: opts.maxDurationSec });
  // The last packet's padding may run past the true end: allow one packet more than the limit here;
  // decodeAudio judges the trimmed length exactly.
  const budget48k = opts.maxDurationSec * OPUS_RATE + head.preSkip + MAX_PACKET_SAMPLES;
  const maxPackets = Math.ceil(opts.maxDurationSec * MAX_PACKETS_PER_SEC) + 64;
  const limit = Math.ceil(budget48k / scale);
  const gain = 10 ** (head.outputGainDb / 20) / 32768 / head.channels;
  // The Ogg end-of-stream granule says how long the audio is: a short note gets a buffer its size, not 10 s of it
  // (a 5-s voice note's 640 KB were garbage after each decode, kept until the worker's next full GC). Never more
  // than the 10 s taken without a length, so a granule that lies costs nothing extra; the buffer still grows if it does.
  const expected = opts.totalSamples === undefined ? Infinity : Math.ceil((head.preSkip + opts.totalSamples + MAX_PACKET_SAMPLES) / scale);
  let out = new Float32Array(Math.min(limit, 10 * SAMPLE_RATE, expected));
  let length = 0;
  let packets = 0;
  let audible = 0; // packets with a valid TOC
  let decoded = 0;
  let played48k = 0;
  return {
    push(packet) {
      if (++packets > maxPackets) {
        throw new AudioError('CORRUPT_AUDIO', `The Opus stream holds more packets than ${opts.maxDurationSec} s of audio can.`, { packets });
      }
      const dur = opusPacketSamples(packet);
      if (dur === 0) return;
      audible++;
      played48k += dur;
      if (played48k > budget48k) throw tooLong();
      let pcm: Buffer;
      try {
        pcm = decoder.decode(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength));
      } catch {
        return; // one corrupt packet costs 20 ms of audio, not the whole message
      }
      decoded++;
      const frames = pcm.length / (2 * head.channels);
      if (length + frames > limit) throw tooLong();
      if (length + frames > out.length) {
        const bigger = new Float32Array(Math.min(limit, Math.max(out.length * 2, length + frames)));
        bigger.set(out.subarray(0, length));
        out = bigger;
      }
      for (let f = 0; f < frames; f++) {
        let sum = 0;
        for (let c = 0; c < head.channels; c++) sum += pcm.readInt16LE((f * head.channels + c) * 2);
        out[length + f] = sum * gain;
      }
      length += frames;
    },
    finish(damaged, container, ended) {
      if (decoded === 0) {
        if (audible > 0) throw new AudioError('CORRUPT_AUDIO', 'None of the Opus packets could be decoded.');
        if (damaged || packets > 0) throw new AudioError('CORRUPT_AUDIO', `The ${container}/Opus stream is damaged.`);
        if (!ended) throw new AudioError('CORRUPT_AUDIO', `The ${container}/Opus file is cut short after its headers.`);
        throw new AudioError('EMPTY_AUDIO', `The ${container} file contains no audio.`);
      }
      let end = length;
      if (opts.totalSamples !== undefined && opts.totalSamples >= 0) {
        end = Math.min(end, preSkip + Math.round(opts.totalSamples / scale)); // drop the padding of the last packet
      }
      const start = Math.min(preSkip, end);
      return { samples: out.slice(start, end), sampleRate: SAMPLE_RATE };
    },
  };
}

const playable = (head: OpusHead): boolean => head.mappingFamily === 0 && head.channels >= 1 && head.channels <= 2;

/**
 * Ogg/Opus → 16 kHz mono, or null when the Ogg stream carries another codec (Vorbis, FLAC, Speex…)
 * or a channel layout libopus' plain decoder cannot take (multichannel): the caller hands those to ffmpeg.
 */
export function decodeOggOpus(bytes: Uint8Array, maxDurationSec: number): MonoAudio | null {
  const first = oggPageAt(bytes, 0);
  const firstPacket = first && firstPacketOf(bytes, first);
  if (!first || !firstPacket || firstPacket.length < 8) throw new AudioError('CORRUPT_AUDIO', 'The Ogg file is cut short before its first packet.');
  if (String.fromCharCode(...firstPacket.subarray(0, 8)) !== 'OpusHead') return null;
  const head = parseOpusHead(firstPacket);
  if (!head) throw new AudioError('CORRUPT_AUDIO', 'The OpusHead packet is cut short.');
  if (!playable(head)) return null;

  // The granule position of the end-of-stream page is the exact length (plus pre-skip): it lets a
  // 10-minute note be rejected before decoding and trims the last packet's padding.
  const last = lastOggPage(bytes, first.serial);
  let totalSamples: number | undefined;
  if (last && isEndOfStream(last) && last.granule >= head.preSkip) {
    totalSamples = last.granule - head.preSkip;
    if (totalSamples > maxDurationSec * OPUS_RATE) {
      throw new AudioError('TOO_LONG', `The audio is longer than ${maxDurationSec} s.`, { maxDurationSec, durationSec: totalSamples / OPUS_RATE });
    }
  }
  const sink = opusSink(head, { maxDurationSec, totalSamples });
  const walk = readOggPackets(bytes, { serial: first.serial, maxPacketBytes: MAX_PACKET_BYTES }, (packet, index) => {
    if (index >= 2) sink.push(packet); // packets 0 and 1 are OpusHead and OpusTags
    return true;
  });
  // Damage after some packets (garbage in the middle, a cut) keeps what came before it.
  return sink.finish(walk.damaged, 'Ogg', last !== null && isEndOfStream(last));
}

/** WebM/Matroska with an Opus track → 16 kHz mono, or null for any other codec (caller tries ffmpeg). */
export function decodeWebmOpus(bytes: Uint8Array, maxDurationSec: number): MonoAudio | null {
  let sink: OpusSink | null = null;
  let other = false; // a well-formed track list without a track we decode
  let noAudio = false; // …and without any audio track at all (Matroska audio codec ids start A_, video V_)
  let badHead = false;
  const walk = readWebmFrames(bytes, {
    onTracks(tracks) {
      const track = tracks.find((t) => t.codecId === 'A_OPUS');
      if (!track) {
        other = tracks.length > 0;
        noAudio = other && !tracks.some((t) => t.codecId.startsWith('A_'));
        return null;
      }
      const head = track.codecPrivate && parseOpusHead(track.codecPrivate);
      if (!head) {
        badHead = true;
        return null;
      }
      if (!playable(head)) {
        other = true;
        return null;
      }
      sink = opusSink(head, { maxDurationSec });
      return track.number;
    },
    onFrame(frame) {
      sink!.push(frame);
      return true;
    },
  });
  if (badHead) throw new AudioError('CORRUPT_AUDIO', 'The WebM Opus track has no valid OpusHead.');
  // A screen recording without sound: nothing for ffmpeg to find either, and no reason to say it needs ffmpeg.
  if (noAudio) throw new AudioError('EMPTY_AUDIO', 'The WebM file has no audio track (video only).');
  if (other) return null;
  // No track list at all: a damaged file is ours to report; an intact one without tracks goes to ffmpeg.
  if (!sink) {
    if (walk.damaged || !walk.tracksRead) throw new AudioError('CORRUPT_AUDIO', 'The WebM file is damaged: no readable track list.');
    return null;
  }
  return (sink as OpusSink).finish(walk.damaged, 'WebM', true);
}
