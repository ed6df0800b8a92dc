// Test audio made on the fly: WAVs written by wavefile, files encoded by the real ffmpeg/opusenc, RAVDESS clips, and signal measures.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { AudioError } from '../../src/core/errors.js';

const { WaveFile } = wavefile;

// ---------------------------------------------------------------- tools

function onPath(tool: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Absolute path of the ffmpeg binary on PATH, or null (tests that need it skip with a message). */
export const FFMPEG: string | null = onPath('ffmpeg');
/** Absolute path of opusenc (opus-tools) on PATH, or null. */
export const OPUSENC: string | null = onPath('opusenc');
export const NO_FFMPEG_MESSAGE = 'ffmpeg is not installed: skipping the tests that need it (CI installs it, so they run there)';

// ---------------------------------------------------------------- signals

/** A sine tone, amplitude `amp` (peak). */
export function tone(freqHz: number, sec: number, rate: number, amp = 0.5): Float32Array {
  const x = new Float32Array(Math.round(sec * rate));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freqHz * i) / rate);
  return x;
}

/** Deterministic uniform white noise in [-amp, amp]. */
export function whiteNoise(sec: number, rate: number, amp: number, seed = 1): Float32Array {
  const x = new Float32Array(Math.round(sec * rate));
  let s = seed >>> 0 || 1;
  for (let i = 0; i < x.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = amp * (((s >>> 0) / 0xffffffff) * 2 - 1);
  }
  return x;
}

export function silence(sec: number, rate: number): Float32Array {
  return new Float32Array(Math.round(sec * rate));
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function scale(x: Float32Array, gainDb: number): Float32Array {
  const g = 10 ** (gainDb / 20);
  return x.map((v) => v * g);
}

// ---------------------------------------------------------------- measures

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

/** RMS per `frameSec` frame. */
export function rmsEnvelope(x: Float32Array, rate: number, frameSec = 0.02): Float64Array {
  const n = Math.max(1, Math.round(frameSec * rate));
  const env = new Float64Array(Math.floor(x.length / n));
  for (let f = 0; f < env.length; f++) env[f] = rms(x, f * n, (f + 1) * n);
  return env;
}

function pearson(a: Float64Array, b: Float64Array, lag: number): number {
  const from = Math.max(0, -lag);
  const to = Math.min(a.length, b.length - lag);
  const n = to - from;
  if (n < 2) return 0;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let i = from; i < to; i++) {
    const x = a[i];
    const y = b[i + lag];
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * Pearson correlation of the 20-ms RMS envelopes of two signals (each at its own rate), at the best
 * lag within ±maxLagSec: codecs add a little delay, and a decoder that drops or garbles content
 * still scores low.
 */
export function envelopeCorrelation(a: Float32Array, rateA: number, b: Float32Array, rateB: number, maxLagSec = 0.1): number {
  const ea = rmsEnvelope(a, rateA);
  const eb = rmsEnvelope(b, rateB);
  const maxLag = Math.round(maxLagSec / 0.02);
  let best = -1;
  for (let lag = -maxLag; lag <= maxLag; lag++) best = Math.max(best, pearson(ea, eb, lag));
  return best;
}

// ---------------------------------------------------------------- WAV writing

export type WavBits = 8 | 16 | 24 | 32 | '32f' | '64';

export interface MakeWavOptions {
  bits: WavBits;
  rate: number;
  /** One Float32Array per channel, values in [-1, 1] (a single array means mono). */
  samples: Float32Array | Float32Array[];
}

function toWavefileValues(x: Float32Array, bits: WavBits): Float64Array {
  const out = new Float64Array(x.length);
  if (bits === '32f' || bits === '64') {
    out.set(x);
    return out;
  }
  const max = 2 ** (bits - 1) - 1;
  for (let i = 0; i < x.length; i++) {
    const v = Math.round(Math.max(-1, Math.min(1, x[i])) * max);
    out[i] = bits === 8 ? v + 128 : v; // wavefile wants 8-bit as unsigned 0..255
  }
  return out;
}

/** A WAV written by wavefile (an encoder independent of our reader). More than 2 channels come out WAVE_FORMAT_EXTENSIBLE. */
export function makeWav(o: MakeWavOptions): Uint8Array {
  const channels = Array.isArray(o.samples) ? o.samples : [o.samples];
  const wav = new WaveFile();
  wav.fromScratch(channels.length, o.rate, String(o.bits), channels.map((c) => toWavefileValues(c, o.bits)));
  return wav.toBuffer();
}

interface Chunk {
  id: string;
  start: number; // of the header
  size: number;
}

function chunksOf(wav: Uint8Array): Chunk[] {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 12; at + 8 <= wav.length; ) {
    const size = view.getUint32(at + 4, true);
    chunks.push({ id: String.fromCharCode(...wav.subarray(at, at + 4)), start: at, size });
    at += 8 + size + (size & 1);
  }
  return chunks;
}

function chunkBytes(id: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length + (payload.length & 1));
  out.set(Buffer.from(id, 'latin1'));
  new DataView(out.buffer).setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}

function withRiffSize(body: Uint8Array[]): Uint8Array {
  const total = body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of body) {
    out.set(b, at);
    at += b.length;
  }
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

/** Insert a chunk right before 'data' (where ffmpeg puts LIST) or at the end of the file. */
export function withChunk(wav: Uint8Array, id: string, payload: Uint8Array, where: 'beforeData' | 'end' = 'beforeData'): Uint8Array {
  const data = chunksOf(wav).find((c) => c.id === 'data');
  if (!data) throw new Error('no data chunk');
  const extra = chunkBytes(id, payload);
  if (where === 'end') return withRiffSize([wav, extra]);
  return withRiffSize([wav.subarray(0, data.start), extra, wav.subarray(data.start)]);
}

/** A LIST/INFO chunk payload with one ISFT (software) entry. */
export function listInfoPayload(text = 'ser-bot test fixture'): Uint8Array {
  const value = Buffer.from(text + '\0', 'latin1');
  return Buffer.concat([Buffer.from('INFO', 'latin1'), chunkBytes('ISFT', value)]);
}

/** Rewrite the fmt chunk as WAVE_FORMAT_EXTENSIBLE (0xFFFE) with the PCM or IEEE-float SubFormat GUID. */
export function toExtensible(wav: Uint8Array): Uint8Array {
  const chunks = chunksOf(wav);
  const fmt = chunks.find((c) => c.id === 'fmt ');
  if (!fmt) throw new Error('no fmt chunk');
  const src = new DataView(wav.buffer, wav.byteOffset + fmt.start + 8, 16);
  const code = src.getUint16(0, true);
  const channels = src.getUint16(2, true);
  const bits = src.getUint16(14, true);
  const ext = new Uint8Array(40);
  const v = new DataView(ext.buffer);
  ext.set(wav.subarray(fmt.start + 8, fmt.start + 24));
  v.setUint16(0, 0xfffe, true);
  v.setUint16(16, 22, true); // cbSize
  v.setUint16(18, bits, true); // valid bits
  v.setUint32(20, channels === 1 ? 0x4 : channels === 2 ? 0x3 : 0, true); // speaker mask
  // KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: {0000000X-0000-0010-8000-00aa00389b71}
  v.setUint16(24, code, true);
  ext.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 26);
  const end = fmt.start + 8 + fmt.size + (fmt.size & 1);
  return withRiffSize([wav.subarray(0, fmt.start), chunkBytes('fmt ', ext), wav.subarray(end)]);
}

/** Overwrite the size field of the data chunk (to fake a 4 GB or streaming header). */
export function withDataSize(wav: Uint8Array, size: number): Uint8Array {
  const copy = wav.slice();
  const data = chunksOf(copy).find((c) => c.id === 'data');
  if (!data) throw new Error('no data chunk');
  new DataView(copy.buffer).setUint32(data.start + 4, size >>> 0, true);
  return copy;
}

// ---------------------------------------------------------------- encoders

function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ser-bot-fixture-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Encode `input` (any file ffmpeg reads, usually a WAV) with the real ffmpeg:
 * `ffmpeg -i in <args> out.<ext>`. Goes through a temp file so muxers that need to seek (mp4)
 * write a normal file; the temp dir is removed before returning.
 */
export function encodeWithFfmpeg(input: Uint8Array, args: string[], ext: string): Uint8Array {
  if (!FFMPEG) throw new Error(NO_FFMPEG_MESSAGE);
  return inTempDir((dir) => {
    const src = join(dir, 'in.bin');
    const out = join(dir, `out.${ext}`);
    writeFileSync(src, input);
    execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', src, ...args, '-y', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  });
}

/** Encode a WAV to Ogg/Opus with opus-tools' opusenc (the encoder Discord-like clients resemble). */
export function encodeWithOpusenc(wav: Uint8Array, args: string[] = []): Uint8Array {
  if (!OPUSENC) throw new Error('opusenc (opus-tools) is not installed');
  return inTempDir((dir) => {
    const src = join(dir, 'in.wav');
    const out = join(dir, 'out.opus');
    writeFileSync(src, wav);
    execFileSync(OPUSENC, ['--quiet', ...args, src, out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  });
}

/** Generate audio with an ffmpeg lavfi source, e.g. `sine=f=440:d=600`, encoded by `args` into `ext`. */
export function ffmpegSource(lavfi: string, args: string[], ext: string): Uint8Array {
  if (!FFMPEG) throw new Error(NO_FFMPEG_MESSAGE);
  return inTempDir((dir) => {
    const out = join(dir, `out.${ext}`);
    execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', lavfi, ...args, '-y', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(out));
  });
}

// ---------------------------------------------------------------- RAVDESS

/** The shared RAVDESS copy (16 kHz mono 16-bit); RAVDESS_DIR overrides. Never copied into the repo. */
export const RAVDESS_DIR = process.env.RAVDESS_DIR ?? join(import.meta.dirname, '../../../shared/datasets/ravdess');

export function ravdessFiles(actor: number): string[] {
  return readdirSync(join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`))
    .filter((f) => f.endsWith('.wav'))
    .sort();
}

export interface RavdessClip {
  path: string;
  bytes: Uint8Array;
  /** Channel 0 as read by wavefile (independent of our decoder), in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
}

/** One RAVDESS clip; `file` defaults to the actor's first file, or pass an index into ravdessFiles(actor). */
export function readRavdess(actor: number, file: string | number = 0): RavdessClip {
  const name = typeof file === 'number' ? ravdessFiles(actor)[file] : file;
  const path = join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, name);
  const bytes = new Uint8Array(readFileSync(path));
  const wav = new WaveFile(bytes);
  const fmt = wav.fmt as { sampleRate: number; bitsPerSample: number; numChannels: number };
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const first = fmt.numChannels > 1 ? (raw as Float64Array[])[0] : (raw as Float64Array);
  const full = 2 ** (fmt.bitsPerSample - 1);
  return { path, bytes, samples: Float32Array.from(first, (v) => v / full), sampleRate: fmt.sampleRate };
}

/** The same WAV as RF64 (EBU Tech 3306): sizes 0xFFFFFFFF in RIFF and data, the real ones in a ds64 chunk. */
export function toRf64(wav: Uint8Array): Uint8Array {
  const data = chunksOf(wav).find((c) => c.id === 'data');
  if (!data) throw new Error('no data chunk');
  const ds64 = new Uint8Array(28);
  const v = new DataView(ds64.buffer);
  v.setUint32(0, wav.length + 36 - 8, true); // riff size (low), high = 0
  v.setUint32(8, data.size, true); // data size (low), high = 0
  v.setUint32(16, 0, true); // sample count: unused by readers that have the data size
  const body = withRiffSize([wav.subarray(0, 12), chunkBytes('ds64', ds64), wav.subarray(12)]);
  body.set(Buffer.from('RF64', 'latin1'), 0);
  const view = new DataView(body.buffer);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(data.start + 36 + 4, 0xffffffff, true);
  return body;
}

/** An amplitude-modulated tone with distinct loud and quiet stretches, so envelope correlation means something. */
export function burstySignal(sec: number, rate: number, freqHz = 440): Float32Array {
  const x = new Float32Array(Math.round(sec * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const env = 0.05 + 0.45 * Math.max(0, Math.sin(2 * Math.PI * 1.3 * t)) ** 2;
    x[i] = env * Math.sin(2 * Math.PI * freqHz * t);
  }
  return x;
}

// ---------------------------------------------------------------- errors

/** The AudioError `p` rejects with; fails (throws) if it resolves or rejects with anything else. */
export async function audioErrorOf(p: Promise<unknown>): Promise<AudioError> {
  const outcome = await p.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error('expected an AudioError, but the promise resolved');
  if (!(outcome.error instanceof AudioError)) throw new Error(`expected an AudioError, got ${String(outcome.error)}`);
  return outcome.error;
}
