// Training's in-process FLAC path must give exactly the samples the analysis gets from decodeAudio().
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { decodeFlacExactly, decodeForTraining, streamInfo } from '../../../scripts/train/flac.js';
import { FFMPEG, ffmpegSource } from '../../helpers/audio-fixtures.js';

const SHARED = join(import.meta.dirname, '../../../../shared/datasets');

/** The first two clips of every `step`-th speaker folder of a FLAC corpus. */
function flacs(corpus: string, step: number): string[] {
  const root = join(SHARED, corpus);
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .filter((_, k) => k % step === 0)
    .flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.flac')).sort().slice(0, 2).map((f) => join(root, d, f)));
}

describe.skipIf(!FFMPEG)('FLAC for training', () => {
  it('decodes CREMA-D and LibriSpeech clips to the very samples decodeAudio() gives, mostly without ffmpeg', async () => {
    const files = [...flacs('crema-d', 6), ...flacs('librispeech-mini', 6)];
    expect(files.length).toBeGreaterThan(15);
    let fast = 0;
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      const ref = (await decodeAudio(bytes, { ffmpegPath: FFMPEG })).samples;
      const exact = await decodeFlacExactly(bytes);
      if (exact) {
        fast++;
        expect(exact.samples).toEqual(ref);
      }
      expect((await decodeForTraining(bytes, FFMPEG)).samples).toEqual(ref);
    }
    expect(fast / files.length).toBeGreaterThan(0.9);
  }, 120_000);

  it('falls back to decodeAudio() when the samples do not match the file’s MD5, or the file is not 16 kHz mono FLAC', async () => {
    const good = new Uint8Array(readFileSync(flacs('crema-d', 10)[0]));
    expect(streamInfo(good)).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    const badMd5 = good.slice();
    badMd5[8 + 18] ^= 0xff; // first byte of STREAMINFO's MD5
    expect(await decodeFlacExactly(badMd5)).toBeNull();
    expect((await decodeForTraining(badMd5, FFMPEG)).samples).toEqual((await decodeAudio(good, { ffmpegPath: FFMPEG })).samples);

    const at44k = ffmpegSource('sine=f=300:d=1:sample_rate=44100', ['-c:a', 'flac'], 'flac');
    expect(streamInfo(at44k)?.sampleRate).toBe(44100);
    expect(await decodeFlacExactly(at44k)).toBeNull();
    expect((await decodeForTraining(at44k, FFMPEG)).samples).toEqual((await decodeAudio(at44k, { ffmpegPath: FFMPEG })).samples);

    const wav = new Uint8Array(readFileSync(join(SHARED, 'ravdess/Actor_01/03-01-01-01-01-01-01.wav')));
    expect(streamInfo(wav)).toBeNull();
    expect(await decodeFlacExactly(wav)).toBeNull();
  }, 60_000);

  it('decodes several files at once correctly (one decoder, one file at a time)', async () => {
    const files = flacs('librispeech-mini', 7).slice(0, 6).map((f) => new Uint8Array(readFileSync(f)));
    const together = await Promise.all(files.map((b) => decodeForTraining(b, FFMPEG)));
    for (const [k, b] of files.entries()) expect(together[k].samples).toEqual((await decodeAudio(b, { ffmpegPath: FFMPEG })).samples);
  }, 60_000);
});
