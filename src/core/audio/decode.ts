// Bytes of any supported file → mono 16 kHz Pcm: sniff, dispatch to the right decoder, resample, sanitise.
import { AudioError, isSerError } from '../errors.js';
import { pcm, SAMPLE_RATE, type Pcm } from '../pcm.js';
import { DEFAULT_FFMPEG_TIMEOUT_MS } from './deadline.js';
import { decodeWithFfmpeg, ffmpegMissing } from './ffmpeg.js';
import { moovFirst } from './mp4-faststart.js';
import { decodeOggOpus, decodeWebmOpus } from './opus.js';
import { OpusUnavailableError } from './opus-addon.js';
import { resample, type MonoAudio } from './resample.js';
import { FORMAT_NAMES, sniffFormat, type AudioFormat } from './sniff.js';
import { isIntegerPcm, isPlainPcm, isRealSampleRate, parseWavHeader, readWavSamples } from './wav.js';

export interface DecodeOptions {
  /** Path to ffmpeg (see `locateFfmpeg`); null or absent means formats that need it fail with FFMPEG_MISSING. */
  ffmpegPath?: string | null;
  /** Longer audio is rejected with TOO_LONG. Default 300. */
  maxDurationSec?: number;
  /** ffmpeg is killed after this long (FFMPEG_FAILED). Default 20000. */
  ffmpegTimeoutMs?: number;
}

const DEFAULT_MAX_SEC = 300;
// The ffmpeg demuxer matching each sniffed container: forcing it means ffmpeg never probes the bytes
// as something else (a playlist, a concat script).
const FFMPEG_DEMUXER: Record<Exclude<AudioFormat, 'unknown'>, string> = {
  wav: 'wav',
  ogg: 'ogg',
  webm: 'matroska',
  mp3: 'mp3',
  flac: 'flac',
  mp4: 'mp4',
  aac: 'aac',
};

/** `durationSec` when the length is known (a header said it, or everything was decoded): the user is told it. */
function tooLong(maxDurationSec: number, durationSec?: number): AudioError {
  return new AudioError('TOO_LONG', `The audio is longer than ${maxDurationSec} s.`, durationSec === undefined ? { maxDurationSec } : { maxDurationSec, durationSec });
}

/** NaN/±Inf → 0 and clip to [-1, 1], in place. */
function sanitize(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > 1) x[i] = v === Infinity ? 0 : 1;
    else if (v < -1) x[i] = v === -Infinity ? 0 : -1;
    else if (v !== v) x[i] = 0;
  }
  return x;
}

/** A decoder's output; `inRange` when every sample is finite and within [−1, 1] by construction (integer PCM). */
interface Decoded extends MonoAudio {
  inRange?: boolean;
}

function decodeWav(bytes: Uint8Array, maxDurationSec: number): Decoded | null {
  const header = parseWavHeader(bytes);
  // Judged from the header, before a single sample is read.
  if (header.frames / header.sampleRate > maxDurationSec) throw tooLong(maxDurationSec, header.frames / header.sampleRate);
  if (!isPlainPcm(header)) return null;
  if (header.frames === 0) {
    if (header.clamped) throw new AudioError('CORRUPT_AUDIO', 'The WAV file is cut short before its first sample.');
    throw new AudioError('EMPTY_AUDIO', 'The WAV file contains no samples.');
  }
  const mono = readWavSamples(bytes, header);
  return isIntegerPcm(header) ? { samples: mono.samples, sampleRate: mono.sampleRate, inRange: true } : mono;
}

async function viaFfmpeg(bytes: Uint8Array, format: Exclude<AudioFormat, 'unknown'>, opts: Required<DecodeOptions>): Promise<MonoAudio> {
  const formatName = format === 'ogg' || format === 'webm' ? `${FORMAT_NAMES[format]} (not Opus)` : FORMAT_NAMES[format];
  if (!opts.ffmpegPath) throw ffmpegMissing(formatName);
  const samples = await decodeWithFfmpeg(format === 'mp4' ? moovFirst(bytes) : bytes, {
    ffmpegPath: opts.ffmpegPath,
    inputFormat: FFMPEG_DEMUXER[format],
    formatName,
    maxDurationSec: opts.maxDurationSec,
    timeoutMs: opts.ffmpegTimeoutMs,
  });
  return { samples, sampleRate: SAMPLE_RATE };
}

async function decodeNative(bytes: Uint8Array, opts: Required<DecodeOptions>): Promise<Decoded> {
  const format = sniffFormat(bytes);
  const max = opts.maxDurationSec;
  switch (format) {
    case 'unknown':
      throw new AudioError('UNSUPPORTED_FORMAT', 'This is not an audio format I can read.');
    case 'wav':
      return decodeWav(bytes, max) ?? viaFfmpeg(bytes, format, opts);
    case 'ogg':
      return decodeOggOpus(bytes, max) ?? viaFfmpeg(bytes, format, opts);
    case 'webm':
      return decodeWebmOpus(bytes, max) ?? viaFfmpeg(bytes, format, opts);
    default:
      return viaFfmpeg(bytes, format, opts);
  }
}

/**
 * Decode any supported audio file to mono 16 kHz PCM in [-1, 1].
 * WAV, Ogg/Opus and WebM/Opus decode in-process; MP3, FLAC, M4A/AAC, Ogg/Vorbis and compressed
 * WAV codecs need `ffmpegPath`. Throws AudioError: EMPTY_AUDIO, UNSUPPORTED_FORMAT, CORRUPT_AUDIO,
 * TOO_LONG, FFMPEG_MISSING, FFMPEG_FAILED. Only rates of 8–384 kHz are resampled.
 */
export async function decodeAudio(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<Pcm> {
  const o: Required<DecodeOptions> = {
    ffmpegPath: opts.ffmpegPath ?? null,
    maxDurationSec: opts.maxDurationSec ?? DEFAULT_MAX_SEC,
    ffmpegTimeoutMs: opts.ffmpegTimeoutMs ?? DEFAULT_FFMPEG_TIMEOUT_MS,
  };
  if (bytes.length === 0) throw new AudioError('EMPTY_AUDIO', 'The file is empty.');
  if (!(o.maxDurationSec > 0 && Number.isFinite(o.maxDurationSec))) throw new RangeError(`maxDurationSec must be a positive finite number (got ${o.maxDurationSec})`);
  let mono: Decoded;
  try {
    mono = await decodeNative(bytes, o);
  } catch (e) {
    // A parser that trips over bytes it did not expect (a RangeError from a DataView, a stack
    // overflow) is still a damaged file, never an internal error. A codec that cannot load is the
    // reverse: the machine's fault, reported as such rather than blamed on the user's file.
    if (isSerError(e) || e instanceof OpusUnavailableError) throw e;
    throw new AudioError('CORRUPT_AUDIO', 'The audio file is damaged or not what it claims to be.', { cause: (e as Error)?.message ?? String(e) });
  }
  if (mono.samples.length === 0) throw new AudioError('EMPTY_AUDIO', 'The file contains no audio samples.');
  // Only real rates reach the resampler, whatever decoder produced the audio: an absurd one would
  // make it design (and cache) a filter bank for nothing.
  if (!isRealSampleRate(mono.sampleRate)) throw new AudioError('CORRUPT_AUDIO', `The audio declares an implausible sample rate (${mono.sampleRate} Hz).`);
  if (mono.samples.length / mono.sampleRate > o.maxDurationSec) throw tooLong(o.maxDurationSec, mono.samples.length / mono.sampleRate);
  // Sanitise before resampling (one NaN would smear over every filter tap) and clip after it
  // (the filter can overshoot a full-scale square by a few percent). Integer PCM is clean already,
  // so it skips the first pass; 16-kHz input comes back from resample() as is, so it skips the
  // second. Sanitising clean samples changes none, so the output is the same.
  const x = mono.inRange ? mono.samples : sanitize(mono.samples);
  const y = resample(x, mono.sampleRate);
  return pcm(y === x ? x : sanitize(y));
}

/**
 * Live voice: interleaved signed 16-bit little-endian frames (what @discordjs/opus decodes to)
 * → mono 16 kHz samples.
 */
export function s16leInterleavedToMono16k(buf: Buffer | Uint8Array, sampleRate: number, channels: number): Float32Array {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channels must be a positive integer (got ${channels})`);
  if (!isRealSampleRate(sampleRate)) throw new RangeError(`sampleRate must be 8–384 kHz (got ${sampleRate})`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames = Math.floor(buf.byteLength / (2 * channels));
  const mono = new Float32Array(frames);
  const scale = 1 / (32768 * channels);
  for (let f = 0, at = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += 2) sum += view.getInt16(at, true);
    mono[f] = sum * scale;
  }
  return resample(mono, sampleRate);
}
