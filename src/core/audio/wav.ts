// WAV (RIFF/RIFX/RF64/BW64) → mono samples at the file's rate, with the header checked before any sample is read.
import { featureKernels, int16ToFloatKernel } from '../dsp/fft.js';
import { AudioError } from '../errors.js';
import type { MonoAudio } from './resample.js';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const MAX_CHUNKS = 4096; // a real file has a handful; this bounds the walk on crafted input
/** Rates real recordings use: 8 kHz telephony to 384 kHz studio. Anything else is a damaged or hostile header. */
export const MIN_SAMPLE_RATE = 8_000;
export const MAX_SAMPLE_RATE = 384_000;

export function isRealSampleRate(rate: number): boolean {
  return Number.isInteger(rate) && rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
}

export interface WavHeader {
  /** 1 = integer PCM, 3 = IEEE float, anything else = a codec only ffmpeg knows (ADPCM, A-law…). */
  formatCode: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes per frame (all channels), derived from the sample width rather than trusted from the header. */
  frameBytes: number;
  bigEndian: boolean;
  dataOffset: number;
  /** Whole frames actually present: the declared size clamped to the bytes we have. */
  frames: number;
  /** True when the header declared more data than the file holds (truncated, or a streaming writer's 0xFFFFFFFF). */
  clamped: boolean;
}

function corrupt(message: string): AudioError {
  return new AudioError('CORRUPT_AUDIO', message);
}

/**
 * Walk the RIFF chunks ourselves: it is linear, allocation-free and never believes a size field
 * beyond the bytes present. Policy for a data chunk that claims more than the file holds: clamp to
 * what is there (streaming writers such as `ffmpeg -f wav pipe:` write 0xFFFFFFFF), so a truncated
 * file decodes its first part; a header that itself is cut short is CORRUPT_AUDIO.
 */
export function parseWavHeader(bytes: Uint8Array): WavHeader {
  if (bytes.length < 12) throw corrupt('The WAV header is cut short.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const id = String.fromCharCode(...bytes.subarray(0, 4));
  const bigEndian = id === 'RIFX';
  const u16 = (at: number) => view.getUint16(at, !bigEndian);
  const u32 = (at: number) => view.getUint32(at, !bigEndian);
  let fmtAt = -1;
  let fmtSize = 0;
  let dataAt = -1;
  let declared = 0;
  let ds64DataSize = -1;
  let pos = 12;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= bytes.length; n++) {
    const chunk = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    const size = u32(pos + 4);
    if (chunk === 'ds64' && pos + 8 + 16 <= bytes.length) {
      ds64DataSize = u32(pos + 16) + u32(pos + 20) * 2 ** 32;
    } else if (chunk === 'fmt ') {
      fmtAt = pos + 8;
      fmtSize = size;
    } else if (chunk === 'data') {
      dataAt = pos + 8;
      declared = size === 0xffffffff && ds64DataSize >= 0 ? ds64DataSize : size;
      break; // samples run to the end of this chunk; nothing after it is needed
    }
    pos += 8 + size + (size & 1);
  }
  if (fmtAt < 0 || fmtSize < 16 || fmtAt + 16 > bytes.length) throw corrupt('The WAV header has no usable "fmt " chunk.');
  if (dataAt < 0) throw corrupt('The WAV file has no "data" chunk (cut short?).');

  let formatCode = u16(fmtAt);
  const channels = u16(fmtAt + 2);
  const sampleRate = u32(fmtAt + 4);
  const bitsPerSample = u16(fmtAt + 14);
  if (formatCode === FORMAT_EXTENSIBLE) {
    // The real format is the first two bytes of the SubFormat GUID at offset 24 of the fmt chunk.
    if (fmtSize < 40 || fmtAt + 26 > bytes.length) throw corrupt('The WAVE_FORMAT_EXTENSIBLE header is cut short.');
    formatCode = u16(fmtAt + 24);
  }
  if (channels < 1) throw corrupt('The WAV header declares zero channels.');
  if (!isRealSampleRate(sampleRate)) throw corrupt(`The WAV header declares an implausible sample rate (${sampleRate} Hz).`);
  if (bitsPerSample < 1 || bitsPerSample > 64) throw corrupt(`The WAV header declares ${bitsPerSample}-bit samples.`);
  const frameBytes = channels * Math.ceil(bitsPerSample / 8);
  const available = Math.max(0, bytes.length - dataAt);
  const dataBytes = Math.min(declared, available);
  return {
    formatCode,
    channels,
    sampleRate,
    bitsPerSample,
    frameBytes,
    bigEndian,
    dataOffset: dataAt,
    frames: Math.floor(dataBytes / frameBytes),
    clamped: declared > available,
  };
}

/** Whether our own reader handles this header; other codecs (ADPCM, A-law, 64-bit int…) go to ffmpeg. */
export function isPlainPcm(h: WavHeader): boolean {
  const width = Math.ceil(h.bitsPerSample / 8);
  if (h.formatCode === FORMAT_PCM) return width >= 1 && width <= 4;
  if (h.formatCode === FORMAT_FLOAT) return h.bitsPerSample === 32 || h.bitsPerSample === 64;
  return false;
}

type Reader = (view: DataView, at: number) => number;

function sampleReader(h: WavHeader): Reader {
  const le = !h.bigEndian;
  if (h.formatCode === FORMAT_FLOAT) {
    return h.bitsPerSample === 64 ? (v, at) => v.getFloat64(at, le) : (v, at) => v.getFloat32(at, le);
  }
  // Integer samples are left-justified in their container, so the container width sets the scale
  // (a 20-bit sample in 3 bytes is read as 24-bit).
  switch (Math.ceil(h.bitsPerSample / 8)) {
    case 1:
      return (v, at) => (v.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 2:
      return (v, at) => v.getInt16(at, le) / 32768;
    case 3:
      return le
        ? (v, at) => ((v.getInt8(at + 2) << 16) | (v.getUint8(at + 1) << 8) | v.getUint8(at)) / 8388608
        : (v, at) => ((v.getInt8(at) << 16) | (v.getUint8(at + 1) << 8) | v.getUint8(at + 2)) / 8388608;
    default:
      return (v, at) => v.getInt32(at, le) / 2147483648;
  }
}

/** Integer PCM decodes to finite samples in [−1, 1) by construction: no sanitising pass is needed. */
export function isIntegerPcm(h: WavHeader): boolean {
  return h.formatCode === FORMAT_PCM;
}

/**
 * Decode the samples of a parsed plain-PCM/float WAV, averaging channels into one.
 * Non-finite float samples are left for the caller's sanitising pass.
 */
export function readWavSamples(bytes: Uint8Array, h: WavHeader): MonoAudio {
  const out = new Float32Array(h.frames);
  const width = h.frameBytes / h.channels;
  // 16-bit little-endian is nearly every WAV a user sends: its own loop, without a reader call per sample.
  if (h.formatCode === FORMAT_PCM && width === 2 && !h.bigEndian) readInt16Le(bytes, h.dataOffset, h.channels, out);
  else readAny(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), h, width, out);
  return { samples: out, sampleRate: h.sampleRate };
}

/** Samples one int16ToFloat call converts: 32 KB in, 64 KB out, in the feature kernels' memory. */
const INT16_CHUNK = 16384;
const INT16_IN_AT = featureKernels.region(2 * INT16_CHUNK);
const INT16_OUT_AT = featureKernels.region(4 * INT16_CHUNK);

/**
 * Same values as DataView.getInt16(at, true) / 32768, read from the bytes. Mono (nearly every WAV a user sends)
 * goes through WebAssembly (fft.wat's "int16ToFloat", eight samples per SIMD step, whatever the bytes' alignment),
 * a chunk at a time; the products are exact, so they are the JavaScript loop's values (wav.test keeps it).
 * Ends in a bare return (see temporal.ts).
 */
function readInt16Le(b: Uint8Array, at: number, channels: number, out: Float32Array): void {
  if (channels === 1) {
    const buffer = featureKernels.buffer;
    for (let i0 = 0; i0 < out.length; i0 += INT16_CHUNK) {
      const n = Math.min(INT16_CHUNK, out.length - i0);
      new Uint8Array(buffer, INT16_IN_AT, 2 * n).set(b.subarray(at + 2 * i0, at + 2 * (i0 + n)));
      int16ToFloatKernel(INT16_IN_AT, n, INT16_OUT_AT);
      out.set(new Float32Array(buffer, INT16_OUT_AT, n), i0);
    }
    return;
  }
  const scale = 1 / channels;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += 2) sum += (((b[at + 1] << 24) >> 16) | b[at]) / 32768;
    out[i] = sum * scale;
  }
}

function readAny(view: DataView, h: WavHeader, width: number, out: Float32Array): void {
  const read = sampleReader(h);
  const scale = 1 / h.channels;
  let at = h.dataOffset;
  if (h.channels === 1) {
    for (let i = 0; i < h.frames; i++, at += width) out[i] = read(view, at);
    return;
  }
  for (let i = 0; i < h.frames; i++) {
    let sum = 0;
    for (let c = 0; c < h.channels; c++, at += width) sum += read(view, at);
    out[i] = sum * scale;
  }
}
