// Opus frames of real RAVDESS speech, as a Discord client sends them: 48 kHz stereo, 20 ms per packet (encoded at test time).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import opus from '@discordjs/opus';

const FRAME_BYTES = 960 * 2 * 2; // 20 ms, stereo, s16le

/** The clips back to back, upsampled to 48 kHz stereo by sox and encoded frame by frame with libopus (64 kbps). */
export async function opusFrames(wavPaths: string[]): Promise<Buffer[]> {
  const { stdout } = await promisify(execFile)('sox', [...wavPaths, '-t', 'raw', '-r', '48000', '-c', '2', '-b', '16', '-e', 'signed-integer', '-L', '-'], {
    encoding: 'buffer',
    maxBuffer: 512 * 1024 * 1024,
  });
  const encoder = new opus.OpusEncoder(48_000, 2);
  encoder.setBitrate(64_000);
  const frames: Buffer[] = [];
  for (let at = 0; at + FRAME_BYTES <= stdout.length; at += FRAME_BYTES) frames.push(encoder.encode(stdout.subarray(at, at + FRAME_BYTES)));
  return frames;
}
