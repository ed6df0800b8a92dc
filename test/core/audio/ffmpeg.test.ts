import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { decodeWithFfmpeg, ffmpegArgs, locateFfmpeg } from '../../../src/core/audio/ffmpeg.js';
import { moovFirst } from '../../../src/core/audio/mp4-faststart.js';
import { AudioError } from '../../../src/core/errors.js';
import {
  audioErrorOf,
  burstySignal,
  encodeWithFfmpeg,
  envelopeCorrelation,
  FFMPEG,
  ffmpegSource,
  makeWav,
  NO_FFMPEG_MESSAGE,
  readRavdess,
  whiteNoise,
  type RavdessClip,
} from '../../helpers/audio-fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-bot-ffmpeg-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const DEFAULTS = { maxDurationSec: 300, timeoutMs: 20_000 };

describe('locateFfmpeg', () => {
  const noStatic = { loadStatic: () => Promise.reject(new Error('not installed')) };

  it('prefers env.FFMPEG_PATH when it is an executable file', async () => {
    const fake = script('my-ffmpeg', 'exit 0');
    expect(await locateFfmpeg({ FFMPEG_PATH: fake, PATH: '' }, noStatic)).toBe(fake);
  });

  it('falls through a stale FFMPEG_PATH to PATH', async () => {
    const bin = join(dir, 'bin-a');
    mkdirSync(bin, { recursive: true });
    const onPath = script('bin-a/ffmpeg', 'exit 0');
    expect(await locateFfmpeg({ FFMPEG_PATH: join(dir, 'missing'), PATH: `/nonexistent:${bin}` }, noStatic)).toBe(onPath);
  });

  it('uses ffmpeg-static when it points at a real file, and ignores it when it is null or absent', async () => {
    const fake = script('static-ffmpeg', 'exit 0');
    expect(await locateFfmpeg({ PATH: '' }, { loadStatic: async () => ({ default: fake }) })).toBe(fake);
    expect(await locateFfmpeg({ PATH: '' }, { loadStatic: async () => ({ default: null }) })).toBeNull();
    expect(await locateFfmpeg({ PATH: '' }, { loadStatic: async () => ({ default: join(dir, 'gone') }) })).toBeNull();
    // The real optional package is not installed here: the dynamic import fails quietly.
    expect(await locateFfmpeg({ PATH: '' })).toBeNull();
  });

  it('skips PATH entries that are not executable files', async () => {
    const plain = join(dir, 'bin-b');
    const folder = join(dir, 'bin-c');
    mkdirSync(plain, { recursive: true });
    mkdirSync(join(folder, 'ffmpeg'), { recursive: true });
    writeFileSync(join(plain, 'ffmpeg'), 'not executable');
    expect(await locateFfmpeg({ PATH: `${plain}:${folder}` }, noStatic)).toBeNull();
    expect(await locateFfmpeg({}, noStatic)).toBeNull();
  });

  it('looks for ffmpeg.exe with ; separators on Windows', async () => {
    const bin = join(dir, 'bin-w');
    mkdirSync(bin, { recursive: true });
    const exe = script('bin-w/ffmpeg.exe', 'exit 0');
    expect(await locateFfmpeg({ PATH: `C:\\nowhere;${bin}` }, { ...noStatic, platform: 'win32' })).toBe(exe);
  });

  it.skipIf(!FFMPEG)('finds the installed ffmpeg on the real PATH', async () => {
    expect(await locateFfmpeg({ PATH: process.env.PATH }, noStatic)).toBe(FFMPEG);
  });
});

describe('ffmpeg arguments', () => {
  it('read only stdin through the pipe protocol and write 16 kHz mono f32le to stdout', () => {
    const args = ffmpegArgs({ inputFormat: 'mp3', maxDurationSec: 300 });
    const after = (flag: string) => args[args.indexOf(flag) + 1];
    expect(after('-protocol_whitelist')).toBe('pipe');
    expect(args.indexOf('-protocol_whitelist')).toBeLessThan(args.indexOf('-i'));
    expect(after('-i')).toBe('pipe:0');
    expect(after('-f')).toBe('mp3'); // the sniffed demuxer is forced: no probing as a playlist
    expect(args.slice(-9)).toEqual(['-ac', '1', '-ar', '16000', '-t', '301', '-f', 'f32le', 'pipe:1']);
    expect(args).toEqual(expect.arrayContaining(['-vn', '-sn', '-dn', '-nostdin', '-hide_banner']));
  });
});

describe('ffmpeg process handling (fake ffmpeg scripts)', () => {
  it('kills ffmpeg when it exceeds the time limit → FFMPEG_FAILED', async () => {
    const pidFile = join(dir, 'slow.pid');
    const slow = script('slow-ffmpeg', `echo $$ > ${pidFile}\nexec /bin/sleep 30`);
    const t0 = performance.now();
    const e = await audioErrorOf(decodeWithFfmpeg(new Uint8Array(10), { ...DEFAULTS, ffmpegPath: slow, timeoutMs: 300 }));
    expect(e.code).toBe('FFMPEG_FAILED');
    expect(performance.now() - t0).toBeLessThan(10_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  it('kills ffmpeg when its output passes maxDurationSec → TOO_LONG', async () => {
    // Writes zeros forever: 16 kHz × 4 bytes × 2 s is passed almost at once.
    const endless = script('endless-ffmpeg', 'exec /bin/cat /dev/zero');
    const e = await audioErrorOf(decodeWithFfmpeg(new Uint8Array(10), { ...DEFAULTS, ffmpegPath: endless, maxDurationSec: 2 }));
    expect(e.code).toBe('TOO_LONG');
  });

  it('survives ffmpeg exiting without reading stdin (EPIPE) and reports its failure', async () => {
    const quitter = script('quitter-ffmpeg', 'echo "pipe:0: Invalid data found when processing input" >&2\nexit 1');
    const big = new Uint8Array(8 * 1024 * 1024);
    const e = await audioErrorOf(decodeWithFfmpeg(big, { ...DEFAULTS, ffmpegPath: quitter }));
    expect(e.code).toBe('CORRUPT_AUDIO');
  });

  it('maps other non-zero exits to FFMPEG_FAILED, "no stream" to EMPTY_AUDIO, and a missing binary to FFMPEG_MISSING', async () => {
    const crash = script('crash-ffmpeg', 'echo "Segmentation fault" >&2\nexit 139');
    expect((await audioErrorOf(decodeWithFfmpeg(new Uint8Array(4), { ...DEFAULTS, ffmpegPath: crash }))).code).toBe('FFMPEG_FAILED');
    const empty = script('empty-ffmpeg', 'echo "Output file #0 does not contain any stream" >&2\nexit 1');
    expect((await audioErrorOf(decodeWithFfmpeg(new Uint8Array(4), { ...DEFAULTS, ffmpegPath: empty }))).code).toBe('EMPTY_AUDIO');
    const e = await audioErrorOf(decodeWithFfmpeg(new Uint8Array(4), { ...DEFAULTS, ffmpegPath: join(dir, 'no-such-ffmpeg'), formatName: 'MP3' }));
    expect(e.code).toBe('FFMPEG_MISSING');
    expect(e.message).toMatch(/MP3.*WAV, Ogg\/Opus and WebM\/Opus/);
  });

  it.each([
    ['[mp3 @ 0x55] File ended prematurely'],
    ['[aist#0:0/none @ 0x5] Decoder (codec none) not found for input stream #0:0'],
    ['[in#0 @ 0x5] Error opening input: Invalid data found when processing input'],
    ['[flac @ 0x5] Header missing'],
  ])('ffmpeg saying %j about the input is CORRUPT_AUDIO, not FFMPEG_FAILED', async (line) => {
    const damaged = script('damaged-ffmpeg', `echo '${line}' >&2\nexit 1`);
    expect((await audioErrorOf(decodeWithFfmpeg(new Uint8Array(4), { ...DEFAULTS, ffmpegPath: damaged }))).code).toBe('CORRUPT_AUDIO');
  });

  it('gives ffmpeg an empty environment, so secrets such as the bot token never reach it', async () => {
    const envFile = join(dir, 'env.txt');
    const spy = script('env-ffmpeg', `/usr/bin/env > ${envFile}\nexit 0`);
    process.env.SER_BOT_TEST_SECRET = 'do-not-leak';
    try {
      await decodeWithFfmpeg(new Uint8Array(4), { ...DEFAULTS, ffmpegPath: spy }).catch(() => null);
    } finally {
      delete process.env.SER_BOT_TEST_SECRET;
    }
    expect(readFileSync(envFile, 'utf8')).not.toContain('do-not-leak');
  });
});

describe.skipIf(!FFMPEG)('decodeAudio through the real ffmpeg', () => {
  if (!FFMPEG) console.warn(NO_FFMPEG_MESSAGE);
  const ffmpegPath = FFMPEG!;
  let clip: RavdessClip;
  beforeAll(() => {
    clip = readRavdess(3, 30);
  });

  it.each([
    ['MP3', ['-c:a', 'libmp3lame', '-b:a', '64k'], 'mp3', 0.02],
    ['FLAC', ['-c:a', 'flac'], 'flac', 0],
    // AAC at 16 kHz has 64-ms frames: the last one's padding may stay; ADTS also keeps the priming frame.
    ['M4A/AAC (moov at the end, as ffmpeg writes it)', ['-c:a', 'aac', '-b:a', '64k'], 'm4a', 0.065],
    ['M4A/AAC (faststart)', ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'], 'm4a', 0.065],
    ['raw AAC (ADTS)', ['-c:a', 'aac', '-b:a', '64k'], 'aac', 0.13],
    ['MP3 at 44.1 kHz stereo', ['-c:a', 'libmp3lame', '-ar', '44100', '-ac', '2'], 'mp3', 0.02],
  ])('%s: same duration and content as the source', async (_name, args, ext, slackSec) => {
    const file = encodeWithFfmpeg(clip.bytes, args, ext);
    const p = await decodeAudio(file, { ffmpegPath });
    expect(Math.abs(p.samples.length - clip.samples.length) / 16_000).toBeLessThanOrEqual(slackSec + 0.001);
    expect(envelopeCorrelation(p.samples, 16_000, clip.samples, 16_000)).toBeGreaterThan(0.95);
  });

  it.each([
    ['mp3', ['-c:a', 'libmp3lame']],
    ['flac', ['-c:a', 'flac']],
    ['m4a', ['-c:a', 'aac']],
    ['aac', ['-c:a', 'aac']],
  ])('.%s without ffmpeg → FFMPEG_MISSING naming what works without it', async (ext, args) => {
    const e = await audioErrorOf(decodeAudio(encodeWithFfmpeg(clip.bytes, args, ext), { ffmpegPath: null }));
    expect(e.code).toBe('FFMPEG_MISSING');
    expect(e.message).toContain('WAV, Ogg/Opus and WebM/Opus work without it');
  });

  it('a long M4A with moov at the end fails on a pipe as is, and decodes once moov is moved first', async () => {
    const m4a = ffmpegSource('sine=f=440:r=16000', ['-t', '40', '-c:a', 'aac', '-b:a', '96k'], 'm4a');
    const asIs = await audioErrorOf(decodeWithFfmpeg(m4a, { ...DEFAULTS, ffmpegPath, inputFormat: 'mp4' }));
    expect(asIs.code).toBe('CORRUPT_AUDIO');
    const fixed = moovFirst(m4a);
    expect(fixed).not.toBe(m4a);
    const order = (b: Uint8Array) => ['moov', 'mdat'].map((t) => Buffer.from(b).indexOf(t));
    expect(order(fixed)[0]).toBeLessThan(order(fixed)[1]);
    const p = await decodeAudio(m4a, { ffmpegPath });
    expect(Math.abs(p.samples.length / 16_000 - 40)).toBeLessThan(0.05);
  });

  it('a 10-minute MP3 is TOO_LONG (ffmpeg stopped at the output cap)', async () => {
    const long = ffmpegSource('sine=f=300:r=16000', ['-t', '600', '-c:a', 'libmp3lame', '-b:a', '8k'], 'mp3');
    const t0 = performance.now();
    expect((await audioErrorOf(decodeAudio(long, { ffmpegPath }))).code).toBe('TOO_LONG');
    console.info(`10-min MP3 rejected in ${(performance.now() - t0).toFixed(0)} ms`);
  });

  it('a real ffmpeg that overruns its time limit is killed → FFMPEG_FAILED', async () => {
    const flac = encodeWithFfmpeg(makeWav({ bits: 16, rate: 48_000, samples: whiteNoise(60, 48_000, 0.5) }), ['-c:a', 'flac'], 'flac');
    const e = await audioErrorOf(decodeAudio(flac, { ffmpegPath, ffmpegTimeoutMs: 5 }));
    expect(e.code).toBe('FFMPEG_FAILED');
  });

  it('garbage after a valid signature is CORRUPT_AUDIO, not a crash (ffmpeg quits before reading it all)', async () => {
    const junk = Uint8Array.from(whiteNoise(1, 1024 * 1024, 1, 3), (v) => Math.floor((v + 1) * 127.5));
    junk.set(Buffer.from('fLaC'), 0);
    const e = await audioErrorOf(decodeAudio(junk, { ffmpegPath }));
    expect(['CORRUPT_AUDIO', 'FFMPEG_FAILED']).toContain(e.code);
  });

  describe('crafted inputs cannot make ffmpeg read local files', () => {
    let marker: string;
    beforeAll(() => {
      // A real, decodable audio file on disk: if ffmpeg ever opened it, decoding would succeed.
      marker = join(dir, 'marker.wav');
      writeFileSync(marker, makeWav({ bits: 16, rate: 16_000, samples: burstySignal(2, 16_000) }));
      writeFileSync(join(dir, 'marker.mp3'), encodeWithFfmpeg(readFileSync(marker), ['-c:a', 'libmp3lame'], 'mp3'));
    });

    const playlists = () => [
      `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile://${join(dir, 'marker.mp3')}\n#EXT-X-ENDLIST\n`,
      `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${join(dir, 'marker.mp3')}\n#EXT-X-ENDLIST\n`,
      `#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n`,
      `ffconcat version 1.0\nfile 'file:${marker}'\n`,
      `ffconcat version 1.0\nfile '${marker}'\n`,
    ];

    it('decodeAudio refuses them from their bytes before ffmpeg is involved (UNSUPPORTED_FORMAT)', async () => {
      for (const text of playlists()) {
        expect((await audioErrorOf(decodeAudio(Buffer.from(text), { ffmpegPath }))).code).toBe('UNSUPPORTED_FORMAT');
      }
    });

    it.each([undefined, 'hls', 'concat'])('even handed straight to ffmpeg (demuxer %s), nothing is read from disk', async (inputFormat) => {
      for (const text of playlists()) {
        const result = await decodeWithFfmpeg(Buffer.from(text), { ...DEFAULTS, ffmpegPath, inputFormat }).then(
          (samples) => samples.length,
          (e: unknown) => (e instanceof AudioError ? e.code : 'other'),
        );
        // Either an error, or (a demuxer that accepts an empty playlist) no samples: never the marker's 2 s.
        expect(result === 0 || typeof result === 'string').toBe(true);
      }
    });
  });
});
