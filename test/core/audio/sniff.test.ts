import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../src/core/audio/sniff.js';
import { encodeWithFfmpeg, FFMPEG, makeWav, NO_FFMPEG_MESSAGE, tone, whiteNoise } from '../../helpers/audio-fixtures.js';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffFormat: magic bytes only', () => {
  it('recognises a WAV written by wavefile, and a bare RIFF/RF64 prefix as WAV (so truncation reports CORRUPT)', () => {
    expect(sniffFormat(makeWav({ bits: 16, rate: 16000, samples: tone(440, 0.1, 16000) }))).toBe('wav');
    expect(sniffFormat(bytes('RIFF'))).toBe('wav');
    expect(sniffFormat(bytes('RF64', [0xff, 0xff, 0xff, 0xff], 'WAVE'))).toBe('wav');
  });

  it('does not call other RIFF files (AVI, WebP) WAV', () => {
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toBe('unknown');
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('unknown');
  });

  it('recognises Ogg, EBML (WebM/Matroska), FLAC and ISO-BMFF from their signatures', () => {
    expect(sniffFormat(bytes('OggS', [0, 2]))).toBe('ogg');
    expect(sniffFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toBe('webm');
    expect(sniffFormat(bytes('fLaC', [0, 0, 0, 0x22]))).toBe('flac');
    expect(sniffFormat(bytes([0, 0, 0, 0x20], 'ftypM4A ', [0, 0, 0, 0]))).toBe('mp4');
    expect(sniffFormat(bytes([0, 0, 0, 0x1c], 'ftypheic', [0, 0, 0, 0]))).toBe('unknown'); // an iPhone photo
  });

  it('treats ID3 as MP3 unless what follows the tag is something else', () => {
    expect(sniffFormat(bytes('ID3', [4, 0, 0, 0, 0, 0, 0]))).toBe('mp3');
    expect(sniffFormat(bytes('ID3', [4, 0, 0, 0, 0, 0, 4], 'xxxx', 'fLaC'))).toBe('flac');
  });

  it('needs two consecutive MPEG/ADTS frame headers, so random bytes are not MP3', () => {
    // MPEG-1 layer III, 128 kbit/s, 44.1 kHz: frames of 417 bytes.
    const frame = [0xff, 0xfb, 0x90, 0x00, ...new Array(413).fill(0)];
    expect(sniffFormat(Uint8Array.from([...frame, ...frame]))).toBe('mp3');
    const broken = Uint8Array.from([...frame, 0x12, 0x34, ...frame]);
    expect(sniffFormat(broken)).toBe('unknown');
    // ADTS, 7-byte header + 9 bytes payload = 16-byte frames.
    const adts = [0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, ...new Array(9).fill(0)];
    expect(sniffFormat(Uint8Array.from([...adts, ...adts]))).toBe('aac');
  });

  it('calls text, zero bytes and noise unknown', () => {
    expect(sniffFormat(new Uint8Array(0))).toBe('unknown');
    expect(sniffFormat(bytes('hello, this is not audio\n'))).toBe('unknown');
    expect(sniffFormat(bytes('#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n'))).toBe('unknown');
    const noise = Uint8Array.from(whiteNoise(1, 4096, 1, 7), (v) => Math.floor((v + 1) * 127.5));
    expect(sniffFormat(noise)).toBe('unknown');
  });

  describe.skipIf(!FFMPEG)('files from the real ffmpeg encoders', () => {
    if (!FFMPEG) console.warn(NO_FFMPEG_MESSAGE);
    const wav = makeWav({ bits: 16, rate: 44100, samples: tone(440, 0.5, 44100) });
    it.each([
      ['mp3', ['-c:a', 'libmp3lame'], 'mp3'],
      ['mp3', ['-c:a', 'libmp3lame', '-id3v2_version', '0', '-write_xing', '0'], 'mp3'],
      ['flac', ['-c:a', 'flac'], 'flac'],
      ['mp4', ['-c:a', 'aac'], 'm4a'],
      ['aac', ['-c:a', 'aac', '-f', 'adts'], 'aac'],
      ['ogg', ['-c:a', 'libopus'], 'ogg'],
      ['webm', ['-c:a', 'libopus'], 'webm'],
      ['webm', ['-c:a', 'libopus'], 'mkv'],
    ])('%s from ffmpeg %j → .%s', (expected, args, ext) => {
      expect(sniffFormat(encodeWithFfmpeg(wav, args, ext))).toBe(expected);
    });
  });
});
