import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import {
  audioErrorOf,
  encodeWithFfmpeg,
  encodeWithOpusenc,
  envelopeCorrelation,
  FFMPEG,
  ffmpegSource,
  makeWav,
  NO_FFMPEG_MESSAGE,
  readRavdess,
  rms,
  type RavdessClip,
} from '../../helpers/audio-fixtures.js';

const db = (r: number) => 20 * Math.log10(r);

interface OggPacket {
  pageStart: number;
  offset: number;
  length: number;
}

/** Complete packets (not continued across pages) with where their bytes are. */
function oggPackets(b: Uint8Array): OggPacket[] {
  const out: OggPacket[] = [];
  for (let at = 0; at + 27 <= b.length; ) {
    const segments = b[at + 26];
    let offset = at + 27 + segments;
    let length = 0;
    for (let i = 0; i < segments; i++) {
      length += b[at + 27 + i];
      if (b[at + 27 + i] < 255) {
        out.push({ pageStart: at, offset, length });
        offset += length;
        length = 0;
      }
    }
    at = offset + length;
  }
  return out;
}

/** Lag (in samples) of `b` against `a` with the highest raw cross-correlation, within ±maxLag. */
function bestLag(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = Math.max(0, -lag); i < Math.min(a.length, b.length - lag); i++) s += a[i] * b[i + lag];
    if (s > bestScore) [best, bestScore] = [lag, s];
  }
  return best;
}

describe('decodeAudio: Ogg/Opus and WebM/Opus without ffmpeg', () => {
  let clip: RavdessClip;
  let note: Uint8Array; // what Discord clients upload: mono 48 kHz ~32 kb/s Opus in Ogg
  beforeAll(() => {
    clip = readRavdess(1, 20);
    note = encodeWithOpusenc(clip.bytes, ['--bitrate', '32']);
  });

  it('decodes an opusenc voice note: exact length, same content, pre-skip applied', async () => {
    const p = await decodeAudio(note, { ffmpegPath: null });
    // The end-of-stream granule position trims the last packet's padding: length matches the source.
    expect(Math.abs(p.samples.length - clip.samples.length)).toBeLessThanOrEqual(2);
    expect(envelopeCorrelation(p.samples, 16_000, clip.samples, clip.sampleRate)).toBeGreaterThan(0.95);
    // Without the 312-sample (6.5 ms) pre-skip trim the decoded audio would lag by ~104 samples at 16 kHz.
    expect(Math.abs(bestLag(clip.samples, p.samples, 200))).toBeLessThanOrEqual(2);
    expect(Math.abs(db(rms(p.samples) / rms(clip.samples)))).toBeLessThan(1);
  });

  it('decodes stereo Ogg/Opus by averaging the channels', async () => {
    const silent = new Float32Array(clip.samples.length);
    const stereo = makeWav({ bits: 16, rate: 16_000, samples: [clip.samples, silent] });
    const p = await decodeAudio(encodeWithOpusenc(stereo), { ffmpegPath: null });
    expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
    expect(Math.abs(db(rms(p.samples) / (rms(clip.samples) / 2)))).toBeLessThan(1.5);
  });

  it('applies the OpusHead output gain', async () => {
    const boosted = note.slice();
    const head = oggPackets(boosted)[0];
    new DataView(boosted.buffer).setInt16(head.offset + 16, 6 * 256, true); // +6 dB in Q7.8
    const plain = await decodeAudio(note);
    const loud = await decodeAudio(boosted);
    expect(db(rms(loud.samples) / rms(plain.samples))).toBeCloseTo(6, 0);
  });

  it('skips packets libopus rejects and keeps the rest', async () => {
    const damaged = note.slice();
    const audio = oggPackets(damaged).slice(2); // after OpusHead and OpusTags
    // TOC 0xFF (code 3) with a frame count of 63: 1.26 s in one packet, which libopus rejects.
    for (const k of [10, 40, 70]) damaged.fill(0xff, audio[k].offset, audio[k].offset + audio[k].length);
    const p = await decodeAudio(damaged);
    // Three 20-ms packets (320 samples each at 16 kHz) are gone. The end-of-stream trim no longer
    // applies then, so up to one packet of encoder padding (≤ 320 samples) stays at the end.
    expect(p.samples.length).toBeGreaterThanOrEqual(clip.samples.length - 3 * 320);
    expect(p.samples.length).toBeLessThanOrEqual(clip.samples.length - 2 * 320);
    expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.8);
  });

  it('says CORRUPT_AUDIO when no packet decodes', async () => {
    const damaged = note.slice();
    for (const pk of oggPackets(damaged).slice(2)) damaged.fill(0xff, pk.offset, pk.offset + pk.length);
    expect((await audioErrorOf(decodeAudio(damaged))).code).toBe('CORRUPT_AUDIO');
  });

  it('decodes a truncated note up to the cut, and a cut inside the first page is CORRUPT_AUDIO', async () => {
    const half = await decodeAudio(note.subarray(0, Math.floor(note.length / 2)));
    // The partial last page is dropped, so somewhat less than half the duration comes back.
    expect(half.samples.length).toBeGreaterThan(clip.samples.length * 0.15);
    expect(half.samples.length).toBeLessThan(clip.samples.length * 0.6);
    const start = clip.samples.subarray(0, half.samples.length);
    expect(envelopeCorrelation(half.samples, 16_000, start, 16_000)).toBeGreaterThan(0.95);
    expect((await audioErrorOf(decodeAudio(note.subarray(0, 30)))).code).toBe('CORRUPT_AUDIO');
  });

  it('decodes every packet of a note whose last granule claims less audio, and trims to the claim', async () => {
    // The decoder's buffer is sized from that granule: here 1 s for a note of ~3.5 s, so it must grow, not drop.
    const full = await decodeAudio(note, { ffmpegPath: null });
    const lying = note.slice();
    const lastPage = oggPackets(lying).at(-1)!.pageStart;
    const preSkip = lying[oggPackets(lying)[0]!.offset + 10]! | (lying[oggPackets(lying)[0]!.offset + 11]! << 8);
    new DataView(lying.buffer).setBigUint64(lastPage + 6, BigInt(preSkip + 48_000), true);
    const short = await decodeAudio(lying, { ffmpegPath: null });
    expect(short.samples.length).toBe(16_000);
    expect(full.samples.length).toBeGreaterThan(3 * 16_000);
    expect(short.samples).toEqual(full.samples.subarray(0, 16_000));
  });

  it('rejects a note longer than maxDurationSec from the last granule position', async () => {
    expect((await audioErrorOf(decodeAudio(note, { maxDurationSec: 1 }))).code).toBe('TOO_LONG');
  });

  describe.skipIf(!FFMPEG)('encoded by ffmpeg (decoded without it)', () => {
    if (!FFMPEG) console.warn(NO_FFMPEG_MESSAGE);

    it('Ogg/Opus from ffmpeg -c:a libopus', async () => {
      const ogg = encodeWithFfmpeg(clip.bytes, ['-c:a', 'libopus', '-b:a', '32k'], 'ogg');
      const p = await decodeAudio(ogg, { ffmpegPath: null });
      expect(Math.abs(p.samples.length - clip.samples.length)).toBeLessThanOrEqual(2);
      expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
    });

    it('WebM/Opus (what browsers record) and Matroska/Opus', async () => {
      for (const ext of ['webm', 'mka']) {
        const webm = encodeWithFfmpeg(clip.bytes, ['-c:a', 'libopus', '-b:a', '32k'], ext);
        const p = await decodeAudio(webm, { ffmpegPath: null });
        // WebM has no end granule; the last packet's padding (≤ 20 ms) may remain or a final block be lost.
        expect(Math.abs(p.samples.length - clip.samples.length)).toBeLessThanOrEqual(400);
        expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
        expect(Math.abs(bestLag(clip.samples, p.samples, 200))).toBeLessThanOrEqual(2);
      }
    });

    it('a WebM with video and no audio track is an empty recording, with or without ffmpeg (not "needs ffmpeg")', async () => {
      const video = ffmpegSource('testsrc=size=64x48:rate=10', ['-t', '1', '-c:v', 'libvpx', '-b:v', '50k'], 'webm');
      expect((await audioErrorOf(decodeAudio(video, { ffmpegPath: null }))).code).toBe('EMPTY_AUDIO');
      expect((await audioErrorOf(decodeAudio(video, { ffmpegPath: FFMPEG }))).code).toBe('EMPTY_AUDIO');
    });

    it('a 10-minute Ogg/Opus is TOO_LONG before any packet is decoded', async () => {
      const long = ffmpegSource('anullsrc=r=48000:cl=mono', ['-t', '600', '-c:a', 'libopus', '-b:a', '6k', '-compression_level', '0', '-frame_duration', '60'], 'ogg');
      const t0 = performance.now();
      expect((await audioErrorOf(decodeAudio(long))).code).toBe('TOO_LONG');
      // Not a speed assertion; printed so a regression to "decode everything first" is visible.
      console.info(`10-min Ogg/Opus rejected in ${(performance.now() - t0).toFixed(1)} ms`);
    });

    it('Ogg/Vorbis and WebM/Vorbis need ffmpeg: FFMPEG_MISSING without it, decoded with it', async () => {
      for (const ext of ['ogg', 'webm']) {
        const vorbis = encodeWithFfmpeg(clip.bytes, ['-c:a', 'libvorbis'], ext);
        const err = await audioErrorOf(decodeAudio(vorbis, { ffmpegPath: null }));
        expect(err.code).toBe('FFMPEG_MISSING');
        expect(err.message).toMatch(/WAV, Ogg\/Opus and WebM\/Opus/);
        const p = await decodeAudio(vorbis, { ffmpegPath: FFMPEG });
        expect(Math.abs(p.samples.length - clip.samples.length)).toBeLessThanOrEqual(400);
        expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
      }
    });
  });
});
