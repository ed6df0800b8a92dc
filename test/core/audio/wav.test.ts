import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import {
  audioErrorOf,
  burstySignal,
  encodeWithFfmpeg,
  envelopeCorrelation,
  FFMPEG,
  listInfoPayload,
  makeWav,
  NO_FFMPEG_MESSAGE,
  readRavdess,
  rms,
  toExtensible,
  toRf64,
  withChunk,
  withDataSize,
  type WavBits,
} from '../../helpers/audio-fixtures.js';

const SEC = 1.5;
const db = (r: number) => 20 * Math.log10(r);

describe('decodeAudio: WAV written by wavefile', () => {
  const bitsList: WavBits[] = [8, 16, 24, 32, '32f', '64'];
  const rates = [8000, 22_050, 44_100, 48_000];
  const cases = bitsList.flatMap((bits) => rates.flatMap((rate) => [1, 2].map((channels) => ({ bits, rate, channels }))));

  it.each(cases)('$bits-bit, $rate Hz, $channels ch → 16 kHz mono with the right length and content', async ({ bits, rate, channels }) => {
    const src = burstySignal(SEC, rate);
    // Right channel at half level: the average must be 0.75 × the source.
    const samples = channels === 1 ? src : [src, src.map((v) => v * 0.5)];
    const p = await decodeAudio(makeWav({ bits, rate, samples }));
    expect(p.sampleRate).toBe(16_000);
    expect(Math.abs(p.samples.length - SEC * 16_000)).toBeLessThanOrEqual(1);
    expect(envelopeCorrelation(p.samples, 16_000, src, rate)).toBeGreaterThan(0.99);
    const expectedGain = channels === 1 ? 1 : 0.75;
    expect(Math.abs(db(rms(p.samples) / (rms(src) * expectedGain)))).toBeLessThan(bits === 8 ? 0.3 : 0.1);
  });

  it('reads 16 kHz RAVDESS sample-exactly (same values as wavefile reads)', async () => {
    const clip = readRavdess(1, 0);
    const p = await decodeAudio(clip.bytes);
    expect(p.samples).toHaveLength(clip.samples.length);
    let maxErr = 0;
    for (let i = 0; i < clip.samples.length; i++) maxErr = Math.max(maxErr, Math.abs(p.samples[i] - clip.samples[i]));
    expect(maxErr).toBe(0);
  });

  it.each([
    [8, 1 / 127],
    [16, 1 / 32767],
    [24, 1 / 8388607],
    [32, 1 / 2147483647],
  ] as const)('%i-bit integers scale to within one step of the source at 16 kHz', async (bits, step) => {
    const src = burstySignal(0.5, 16_000);
    const p = await decodeAudio(makeWav({ bits, rate: 16_000, samples: src }));
    let maxErr = 0;
    for (let i = 0; i < src.length; i++) maxErr = Math.max(maxErr, Math.abs(p.samples[i] - src[i]));
    expect(maxErr).toBeLessThanOrEqual(step * 1.01 + 1e-7);
  });

  it('ignores extra chunks: LIST before data, LIST and fact after it, odd-sized padding', async () => {
    const src = burstySignal(1, 16_000);
    let wav = makeWav({ bits: 16, rate: 16_000, samples: src });
    wav = withChunk(wav, 'LIST', listInfoPayload());
    wav = withChunk(wav, 'fact', Uint8Array.of(0x80, 0x3e, 0, 0));
    wav = withChunk(wav, 'junk', Uint8Array.of(1, 2, 3)); // odd size: one pad byte follows
    wav = withChunk(wav, 'LIST', listInfoPayload('after the data'), 'end');
    const p = await decodeAudio(wav);
    expect(p.samples).toHaveLength(16_000);
    expect(Math.abs(p.samples[1234] - src[1234])).toBeLessThan(1 / 32767);
  });

  it.each([16, '32f'] as const)('reads WAVE_FORMAT_EXTENSIBLE (%s) mono and stereo', async (bits) => {
    const src = burstySignal(1, 44_100);
    for (const samples of [src, [src, src]]) {
      const p = await decodeAudio(toExtensible(makeWav({ bits, rate: 44_100, samples })));
      expect(p.samples).toHaveLength(16_000);
      expect(envelopeCorrelation(p.samples, 16_000, src, 44_100)).toBeGreaterThan(0.99);
    }
  });

  it('averages 4 channels (wavefile writes those as WAVE_FORMAT_EXTENSIBLE)', async () => {
    const src = burstySignal(1, 48_000);
    const silent = new Float32Array(src.length);
    const p = await decodeAudio(makeWav({ bits: 24, rate: 48_000, samples: [src, silent, src, silent] }));
    expect(Math.abs(db(rms(p.samples) / (rms(src) * 0.5)))).toBeLessThan(0.1);
  });

  it('reads every 16-bit value exactly as sample/32768: mono, aligned or not, and averaged stereo (the fast 16-bit paths)', async () => {
    // All 65,536 codes at 16 kHz: no resampling, so the decoded samples are the read values themselves.
    const codes = new Int16Array(65_536).map((_, i) => i - 32_768);
    const wav = (channels: number, frames = codes.length): Uint8Array => {
      const bytes = new Uint8Array(44 + frames * 2 * channels);
      const v = new DataView(bytes.buffer);
      bytes.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
      v.setUint32(4, bytes.length - 8, true);
      bytes.set([...'WAVEfmt '].map((c) => c.charCodeAt(0)), 8);
      v.setUint32(16, 16, true);
      v.setUint16(20, 1, true);
      v.setUint16(22, channels, true);
      v.setUint32(24, 16_000, true);
      v.setUint32(28, 16_000 * 2 * channels, true);
      v.setUint16(32, 2 * channels, true);
      v.setUint16(34, 16, true);
      bytes.set([...'data'].map((c) => c.charCodeAt(0)), 36);
      v.setUint32(40, frames * 2 * channels, true);
      for (let i = 0; i < frames; i++) {
        v.setInt16(44 + i * 2 * channels, codes[i], true);
        if (channels === 2) v.setInt16(46 + i * 4, codes[frames - 1 - i], true);
      }
      return bytes;
    };
    const mono = (await decodeAudio(wav(1))).samples;
    expect(mono).toEqual(Float32Array.from(codes, (c) => c / 32_768));
    expect([mono[0], mono[65_535]]).toEqual([-1, 32_767 / 32_768]);
    // The same file at an odd byte offset in its buffer (samples not 2-byte aligned): read byte by byte.
    const bytes = wav(1);
    const odd = new Uint8Array(bytes.length + 1).subarray(1);
    odd.set(bytes);
    expect((await decodeAudio(odd)).samples).toEqual(mono);
    // Lengths off the WebAssembly kernel's 8-sample step and 16,384-sample chunk: the last samples one at a time.
    for (const frames of [16_389, 65_533]) expect((await decodeAudio(wav(1, frames))).samples).toEqual(mono.subarray(0, frames));
    const stereo = (await decodeAudio(wav(2))).samples;
    expect(stereo).toEqual(Float32Array.from(codes, (c, i) => (c / 32_768 + codes[65_535 - i] / 32_768) * 0.5));
  });

  it('reads RF64 (ds64 sizes) and a streaming header whose sizes are 0xFFFFFFFF', async () => {
    const wav = makeWav({ bits: 16, rate: 16_000, samples: burstySignal(1, 16_000) });
    expect((await decodeAudio(toRf64(wav))).samples).toHaveLength(16_000);
    expect((await decodeAudio(withDataSize(wav, 0xffffffff))).samples).toHaveLength(16_000);
  });

  it('replaces NaN and ±Infinity by 0 and clips out-of-range floats to [-1, 1]', async () => {
    const src = new Float32Array(1600).fill(0.5);
    src[10] = NaN;
    src[20] = Infinity;
    src[30] = -Infinity;
    src[40] = 3;
    src[50] = -2;
    const p = await decodeAudio(makeWav({ bits: '32f', rate: 16_000, samples: src }));
    expect([p.samples[10], p.samples[20], p.samples[30], p.samples[40], p.samples[50], p.samples[60]]).toEqual([0, 0, 0, 1, -1, 0.5]);
    // And a NaN at 48 kHz must not smear over the resampling filter.
    const hot = burstySignal(1, 48_000);
    hot[24_000] = NaN;
    const q = await decodeAudio(makeWav({ bits: '32f', rate: 48_000, samples: hot }));
    expect(q.samples.every(Number.isFinite)).toBe(true);
  });

  it('rejects a WAV longer than maxDurationSec from its header', async () => {
    const wav = makeWav({ bits: 16, rate: 8000, samples: new Float32Array(8000 * 3) });
    expect((await audioErrorOf(decodeAudio(wav, { maxDurationSec: 2 }))).code).toBe('TOO_LONG');
    await expect(decodeAudio(wav, { maxDurationSec: 3 })).resolves.toBeTruthy();
  });

  describe('compressed codecs inside WAV go to ffmpeg', () => {
    const pcm16 = makeWav({ bits: 16, rate: 8000, samples: burstySignal(1, 8000) });

    it('without ffmpeg: FFMPEG_MISSING', async () => {
      // wavefile writes G.711 µ-law (format 7) itself, so this runs even where ffmpeg is absent.
      const wavefile = (await import('wavefile')).default;
      const w = new wavefile.WaveFile(pcm16);
      w.toMuLaw();
      expect((await audioErrorOf(decodeAudio(w.toBuffer(), { ffmpegPath: null }))).code).toBe('FFMPEG_MISSING');
    });

    it.skipIf(!FFMPEG)('with ffmpeg: A-law and IMA ADPCM decode', async () => {
      if (!FFMPEG) return console.warn(NO_FFMPEG_MESSAGE);
      const src = burstySignal(1, 8000);
      for (const codec of ['pcm_alaw', 'adpcm_ima_wav']) {
        const wav = encodeWithFfmpeg(pcm16, ['-c:a', codec], 'wav');
        const p = await decodeAudio(wav, { ffmpegPath: FFMPEG });
        expect(Math.abs(p.samples.length - 16_000)).toBeLessThan(1100); // ADPCM pads its last block
        expect(envelopeCorrelation(p.samples, 16_000, src, 8000)).toBeGreaterThan(0.95);
      }
    });
  });
});
