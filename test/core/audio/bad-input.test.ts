import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { detectSpeech } from '../../../src/core/audio/vad.js';
import {
  audioErrorOf,
  burstySignal,
  encodeWithFfmpeg,
  encodeWithOpusenc,
  FFMPEG,
  makeWav,
  NO_FFMPEG_MESSAGE,
  readRavdess,
  silence,
  whiteNoise,
  withDataSize,
} from '../../helpers/audio-fixtures.js';

const SR = 16_000;
const wav1s = () => makeWav({ bits: 16, rate: SR, samples: burstySignal(1, SR) });

/** A real 10-minute 16 kHz mono 16-bit WAV (19 MB of silence), built directly: wavefile would take seconds. */
function tenMinuteWav(): Uint8Array {
  const header = makeWav({ bits: 16, rate: SR, samples: new Float32Array(0) });
  const dataBytes = 600 * SR * 2;
  const out = new Uint8Array(header.length + dataBytes);
  out.set(withDataSize(header, dataBytes));
  return out;
}

function oggPagesEnd(b: Uint8Array, pages: number): number {
  let at = 0;
  for (let p = 0; p < pages; p++) {
    const segments = b[at + 26];
    let body = 0;
    for (let i = 0; i < segments; i++) body += b[at + 27 + i];
    at += 27 + segments + body;
  }
  return at;
}

describe('bad input: every case is a typed AudioError, quickly, with no temp files', () => {
  // os.tmpdir() follows TMPDIR: pointing it at an empty private folder shows whether decoding
  // writes anything there, without other processes' temp files (other test runs) interfering.
  let privateTmp: string;
  let savedTmp: string | undefined;
  beforeAll(() => {
    privateTmp = mkdtempSync(join(tmpdir(), 'ser-bot-tmpcheck-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    expect(tmpdir()).toBe(privateTmp);
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    const left = readdirSync(privateTmp);
    rmSync(privateTmp, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('zero bytes → EMPTY_AUDIO', async () => {
    expect((await audioErrorOf(decodeAudio(new Uint8Array(0)))).code).toBe('EMPTY_AUDIO');
  });

  it('random bytes, a text file and an HTML page → UNSUPPORTED_FORMAT (the ".wav" name the user gave is never seen)', async () => {
    const random = Uint8Array.from(whiteNoise(1, 64 * 1024, 1, 42), (v) => Math.floor((v + 1) * 127.5));
    for (const bytes of [random, Buffer.from('just some notes, saved as voice.wav\n'), Buffer.from('<!doctype html><html><body>404</body></html>')]) {
      expect((await audioErrorOf(decodeAudio(bytes, { ffmpegPath: FFMPEG }))).code).toBe('UNSUPPORTED_FORMAT');
    }
  });

  it('a WAV cut inside its header → CORRUPT_AUDIO', async () => {
    const wav = wav1s();
    for (const n of [4, 11, 20, 36, 43]) {
      expect((await audioErrorOf(decodeAudio(wav.subarray(0, n)))).code).toBe('CORRUPT_AUDIO');
    }
  });

  it('a WAV cut inside its data decodes what is there; cut right after the header → CORRUPT_AUDIO', async () => {
    const wav = wav1s();
    const half = await decodeAudio(wav.subarray(0, 44 + SR)); // half of the 2-byte samples
    expect(half.samples).toHaveLength(SR / 2);
    expect((await audioErrorOf(decodeAudio(wav.subarray(0, 44)))).code).toBe('CORRUPT_AUDIO');
    expect((await audioErrorOf(decodeAudio(wav.subarray(0, 45)))).code).toBe('CORRUPT_AUDIO'); // half a sample
  });

  it('a WAV header claiming 4 GB of data over 1 s of samples is clamped to the bytes present, without a big allocation', async () => {
    const liar = withDataSize(wav1s(), 0xfffffff0);
    const before = process.memoryUsage().arrayBuffers;
    const p = await decodeAudio(liar);
    expect(p.samples).toHaveLength(SR);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('a valid WAV with no samples → EMPTY_AUDIO; broken fmt fields → CORRUPT_AUDIO', async () => {
    expect((await audioErrorOf(decodeAudio(makeWav({ bits: 16, rate: SR, samples: new Float32Array(0) })))).code).toBe('EMPTY_AUDIO');
    const wav = wav1s();
    for (const [offset, value] of [
      [22, 0], // channels
      [24, 0], // sample rate
      [34, 0], // bits per sample
    ]) {
      const bad = wav.slice();
      new DataView(bad.buffer).setUint16(offset, value, true);
      if (offset === 24) new DataView(bad.buffer).setUint32(offset, value, true);
      expect((await audioErrorOf(decodeAudio(bad))).code).toBe('CORRUPT_AUDIO');
    }
    const noFmt = wav.slice();
    noFmt.set(Buffer.from('junk'), 12);
    expect((await audioErrorOf(decodeAudio(noFmt))).code).toBe('CORRUPT_AUDIO');
  });

  it('thousands of tiny chunks before the data: read up to a bound, CORRUPT_AUDIO past it, never a hang', async () => {
    const withEmptyChunks = (count: number) => {
      const wav = wav1s();
      const filler = new Uint8Array(count * 8);
      for (let i = 0; i < count; i++) filler.set(Buffer.from(i % 2 ? 'LIST' : 'junk', 'latin1'), i * 8); // size 0
      return Buffer.concat([wav.subarray(0, 36), filler, wav.subarray(36)]); // after RIFF header + fmt chunk
    };
    expect((await decodeAudio(withEmptyChunks(3000))).samples).toHaveLength(SR);
    expect((await audioErrorOf(decodeAudio(withEmptyChunks(5000)))).code).toBe('CORRUPT_AUDIO');
  });

  it('a 10-minute WAV → TOO_LONG from the header, before any sample is read', async () => {
    const long = tenMinuteWav();
    const t0 = performance.now();
    expect((await audioErrorOf(decodeAudio(long))).code).toBe('TOO_LONG');
    console.info(`10-min WAV (${(long.length / 1e6).toFixed(1)} MB) rejected in ${(performance.now() - t0).toFixed(2)} ms`);
  });

  describe('Ogg/Opus', () => {
    let note: Uint8Array;
    beforeAll(() => {
      note = encodeWithOpusenc(readRavdess(2, 10).bytes);
    });

    it('cut inside the first page → CORRUPT_AUDIO; cut mid-file → the first part', async () => {
      expect((await audioErrorOf(decodeAudio(note.subarray(0, 20)))).code).toBe('CORRUPT_AUDIO');
      expect((await audioErrorOf(decodeAudio(note.subarray(0, 4)))).code).toBe('CORRUPT_AUDIO');
      const part = await decodeAudio(note.subarray(0, Math.floor(note.length * 0.7)));
      expect(part.samples.length).toBeGreaterThan(0);
    });

    it('cut right after the header pages (OpusHead, OpusTags) → CORRUPT_AUDIO; a recording of nothing → EMPTY_AUDIO', async () => {
      // No end-of-stream page: the file was cut, and the user is told it is broken, not empty.
      expect((await audioErrorOf(decodeAudio(note.subarray(0, oggPagesEnd(note, 2))))).code).toBe('CORRUPT_AUDIO');
      const nothing = encodeWithOpusenc(makeWav({ bits: 16, rate: 48_000, samples: new Float32Array(0) }));
      expect((await audioErrorOf(decodeAudio(nothing))).code).toBe('EMPTY_AUDIO');
    });

    it('garbage after the header pages → CORRUPT_AUDIO', async () => {
      const bad = note.slice();
      bad.fill(0x55, oggPagesEnd(note, 2));
      expect((await audioErrorOf(decodeAudio(bad))).code).toBe('CORRUPT_AUDIO');
    });
  });

  it('pure silence decodes fine, and the VAD finds no speech in it', async () => {
    const p = await decodeAudio(makeWav({ bits: 16, rate: 48_000, samples: silence(3, 48_000) }));
    expect(p.samples).toHaveLength(3 * SR);
    expect(detectSpeech(p)).toEqual([]);
  });

  describe.skipIf(!FFMPEG)('formats that go through ffmpeg', () => {
    if (!FFMPEG) console.warn(NO_FFMPEG_MESSAGE);
    const ffmpegPath = FFMPEG!;
    const source = () => readRavdess(2, 10).bytes;

    it.each([
      ['mp3', ['-c:a', 'libmp3lame']],
      ['flac', ['-c:a', 'flac']],
      ['m4a', ['-c:a', 'aac']],
    ])('truncated .%s: partial audio or CORRUPT_AUDIO, never a hang', async (ext, args) => {
      const file = encodeWithFfmpeg(source(), args, ext);
      for (const fraction of [0.05, 0.5]) {
        const cut = file.subarray(0, Math.floor(file.length * fraction));
        const outcome = await decodeAudio(cut, { ffmpegPath }).then(
          (p) => (p.samples.length > 0 ? 'partial' : 'empty'),
          (e: unknown) => (e as { code?: string }).code ?? 'other',
        );
        expect(['partial', 'CORRUPT_AUDIO', 'EMPTY_AUDIO']).toContain(outcome);
      }
    });

    it('an ID3 tag followed by junk → CORRUPT_AUDIO or EMPTY_AUDIO from ffmpeg', async () => {
      const id3 = Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.alloc(4096, 0x41)]);
      expect(['CORRUPT_AUDIO', 'EMPTY_AUDIO']).toContain((await audioErrorOf(decodeAudio(id3, { ffmpegPath }))).code);
    });

    it('an MP4 video container without an audio track → EMPTY_AUDIO', async () => {
      const video = encodeWithFfmpeg(makeWav({ bits: 16, rate: SR, samples: silence(0.1, SR) }), ['-f', 'lavfi', '-i', 'color=c=black:s=16x16:d=1', '-map', '1:v', '-c:v', 'mpeg4'], 'mp4');
      expect((await audioErrorOf(decodeAudio(video, { ffmpegPath }))).code).toBe('EMPTY_AUDIO');
    });
  });
});
