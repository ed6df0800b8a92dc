// encodeWav16: the upload format — read back by wavefile (independent) and by our own decoder, bit-exact on 16-bit speech.
import wavefile from 'wavefile';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../src/core/audio/index.js';
import { parseWavHeader } from '../../src/core/audio/wav.js';
import { encodeWav16 } from '../../src/transcribe/wav.js';
import { readRavdess } from '../helpers/audio-fixtures.js';

describe('encodeWav16', () => {
  it('writes 16 kHz mono 16-bit PCM that wavefile reads back', () => {
    const x = Float32Array.from({ length: 1600 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
    const wav = new wavefile.WaveFile(encodeWav16(x));
    expect(wav.fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 16000, bitsPerSample: 16, blockAlign: 2, byteRate: 32000 });
    const back = wav.getSamples(false, Float64Array) as unknown as Float64Array;
    expect(back).toHaveLength(x.length);
    for (let i = 0; i < x.length; i++) expect(Math.abs(back[i]! / 32768 - x[i]!)).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
  });

  it('round-trips real RAVDESS speech through our decoder bit-exactly', async () => {
    const clip = readRavdess(7, 3);
    const decoded = await decodeAudio(clip.bytes.slice(), { maxDurationSec: 60 });
    const wav = encodeWav16(decoded.samples);
    const again = await decodeAudio(wav.slice(), { maxDurationSec: 60 });
    expect(again.samples).toEqual(decoded.samples);
    // And the sample data is the original file's, byte for byte.
    const h = parseWavHeader(clip.bytes);
    expect(Buffer.from(wav.subarray(44))).toEqual(Buffer.from(clip.bytes.subarray(h.dataOffset, h.dataOffset + h.frames * 2)));
  });

  it('saturates overshoot and writes NaN as silence instead of wrapping around', () => {
    const wav = encodeWav16(Float32Array.from([2, -2, 1, -1, NaN, 0.5, -0.5, 0]));
    const view = new DataView(wav.buffer, 44);
    const got = Array.from({ length: 8 }, (_, i) => view.getInt16(i * 2, true));
    expect(got).toEqual([32767, -32768, 32767, -32768, 0, 16384, -16384, 0]);
  });

  it('declares sizes that match the bytes, also for an empty signal', () => {
    for (const n of [0, 1, 16000]) {
      const wav = encodeWav16(new Float32Array(n));
      expect(wav.byteLength).toBe(44 + 2 * n);
      const h = parseWavHeader(wav);
      expect(h).toMatchObject({ channels: 1, sampleRate: 16000, bitsPerSample: 16, frames: n, clamped: false, dataOffset: 44 });
      expect(new DataView(wav.buffer).getUint32(4, true)).toBe(wav.byteLength - 8);
    }
  });
});
