// Float PCM → 16-bit mono WAV bytes: the upload format every Whisper-style service reads without conversion.
import { SAMPLE_RATE } from '../core/pcm.js';

const HEADER_BYTES = 44;

/**
 * A canonical 44-byte-header RIFF/WAVE file, PCM 16-bit little-endian, one channel. Samples are
 * clamped to the 16-bit range (NaN becomes silence) so an overshoot never wraps into a loud click.
 * The result owns its whole ArrayBuffer, so it can be transferred between threads.
 */
export function encodeWav16(samples: Float32Array, sampleRate: number = SAMPLE_RATE): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(HEADER_BYTES + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0, at = HEADER_BYTES; i < samples.length; i++, at += 2) {
    // The same 1/32768 scale the decoder reads with, so 16-bit input comes back bit-exact; +1.0 saturates.
    // NaN fails both comparisons and encodes as 0.
    const q = Math.round(samples[i]! * 32768);
    v.setInt16(at, q >= 32767 ? 32767 : q <= -32768 ? -32768 : q || 0, true);
  }
  return out;
}
