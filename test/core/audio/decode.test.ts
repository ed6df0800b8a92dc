import opus from '@discordjs/opus';
import { describe, expect, it } from 'vitest';
import * as audio from '../../../src/core/audio/index.js';
import { decodeAudio, s16leInterleavedToMono16k } from '../../../src/core/audio/decode.js';
import { audioErrorOf, burstySignal, envelopeCorrelation, makeWav, readRavdess, rms, tone } from '../../helpers/audio-fixtures.js';

function toS16le(channels: Float32Array[]): Buffer {
  const n = channels[0].length;
  const buf = Buffer.alloc(n * channels.length * 2);
  for (let i = 0; i < n; i++) {
    channels.forEach((c, k) => buf.writeInt16LE(Math.round(c[i] * 32767), (i * channels.length + k) * 2));
  }
  return buf;
}

describe('decodeAudio', () => {
  it('returns Pcm at 16 kHz, and applies the 300-s default limit', async () => {
    const p = await decodeAudio(makeWav({ bits: 16, rate: 16_000, samples: tone(440, 0.5, 16_000) }));
    expect(p.sampleRate).toBe(16_000);
    expect(p.samples).toBeInstanceOf(Float32Array);
    const long = makeWav({ bits: 8, rate: 8000, samples: new Float32Array(301 * 8000) });
    const e = await audioErrorOf(decodeAudio(long));
    expect(e.code).toBe('TOO_LONG');
    expect(e.details).toEqual({ maxDurationSec: 300, durationSec: 301 }); // the length is known from the header: the user is told it
  });

  it('is reachable through the audio room index', () => {
    expect(audio.decodeAudio).toBe(decodeAudio);
    expect(typeof audio.utterances).toBe('function');
    expect(typeof audio.locateFfmpeg).toBe('function');
    expect(audio.sniffFormat(new Uint8Array(0))).toBe('unknown');
  });
});

describe('s16leInterleavedToMono16k (live voice)', () => {
  it('turns 48 kHz stereo s16le into 16 kHz mono: length, level and content', () => {
    const left = burstySignal(1, 48_000);
    const right = left.map((v) => v * 0.5);
    const mono = s16leInterleavedToMono16k(toS16le([left, right]), 48_000, 2);
    expect(mono).toHaveLength(16_000);
    expect(20 * Math.log10(rms(mono) / (rms(left) * 0.75))).toBeCloseTo(0, 1);
    expect(envelopeCorrelation(mono, 16_000, left, 48_000)).toBeGreaterThan(0.99);
  });

  it('accepts a Buffer slice at an odd byte offset and ignores a trailing half frame', () => {
    const pcm = toS16le([tone(440, 0.1, 16_000)]);
    const shifted = Buffer.alloc(pcm.length + 2);
    pcm.copy(shifted, 1);
    const view = shifted.subarray(1, pcm.length + 2); // one extra byte at the end
    const mono = s16leInterleavedToMono16k(view, 16_000, 1);
    expect(mono).toHaveLength(1600);
    expect(mono[100]).toBeCloseTo(Math.round(tone(440, 0.1, 16_000)[100] * 32767) / 32768, 6);
  });

  it('decodes what @discordjs/opus produces from Discord-style 20-ms Opus frames', () => {
    const clip = readRavdess(5, 12);
    const at48k = audio.resample(clip.samples, 16_000, 48_000);
    const codec = new opus.OpusEncoder(48_000, 2);
    const chunks: Buffer[] = [];
    for (let i = 0; i + 960 <= at48k.length; i += 960) {
      const frame = at48k.subarray(i, i + 960);
      chunks.push(codec.decode(codec.encode(toS16le([frame, frame]))));
    }
    const mono = s16leInterleavedToMono16k(Buffer.concat(chunks), 48_000, 2);
    expect(envelopeCorrelation(mono, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
  });

  it('rejects a nonsense channel count', () => {
    expect(() => s16leInterleavedToMono16k(Buffer.alloc(4), 48_000, 0)).toThrow(RangeError);
  });
});
