// Finding and running ffmpeg for the formats we do not decode in-process: bytes in on stdin, 16 kHz mono f32le out on stdout.
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { SAMPLE_RATE } from '../pcm.js';
import { AudioError } from '../errors.js';

/** What works without ffmpeg, for the FFMPEG_MISSING message. */
export const FFMPEG_FREE_FORMATS = 'WAV, Ogg/Opus and WebM/Opus';

export function ffmpegMissing(formatName: string): AudioError {
  return new AudioError(
    'FFMPEG_MISSING',
    `Decoding ${formatName} needs ffmpeg, which is not available. ${FFMPEG_FREE_FORMATS} work without it.`,
    { format: formatName },
  );
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface LocateOptions {
  /** Defaults to the running platform; decides the `.exe` suffix and the PATH separator. */
  platform?: NodeJS.Platform;
  /** Loads the optional `ffmpeg-static` package; injectable so tests can simulate it. */
  loadStatic?: () => Promise<unknown>;
}

// A non-literal specifier keeps TypeScript from requiring the optional package to be installed.
const FFMPEG_STATIC = 'ffmpeg-static';

/**
 * ffmpeg's path, or null. Tries `env.FFMPEG_PATH`, then the optional `ffmpeg-static` package,
 * then `ffmpeg` on `env.PATH`. A candidate counts only if it is an executable file, so a stale
 * FFMPEG_PATH falls through to the next source instead of failing at the first decode.
 */
export async function locateFfmpeg(env: Record<string, string | undefined>, opts: LocateOptions = {}): Promise<string | null> {
  const platform = opts.platform ?? process.platform;
  const configured = env.FFMPEG_PATH?.trim();
  if (configured && (await isExecutableFile(configured))) return configured;

  try {
    const mod = (await (opts.loadStatic ?? (() => import(FFMPEG_STATIC)))()) as { default?: unknown } | string | null;
    const staticPath = typeof mod === 'string' ? mod : mod?.default;
    if (typeof staticPath === 'string' && (await isExecutableFile(staticPath))) return staticPath;
  } catch {
    // optional dependency not installed: carry on with PATH
  }

  const exe = platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const delimiter = platform === 'win32' ? ';' : ':';
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export interface FfmpegDecodeOptions {
  ffmpegPath: string;
  /** ffmpeg demuxer to force (`mp3`, `mp4`, …); undefined lets ffmpeg probe. */
  inputFormat?: string;
  /** For messages, e.g. "MP3". */
  formatName?: string;
  maxDurationSec: number;
  timeoutMs: number;
}

const BYTES_PER_SECOND = SAMPLE_RATE * 4; // f32le mono
const STDERR_KEEP = 2000;
// Messages that mean "the input is broken", as opposed to ffmpeg itself failing.
const CORRUPT_PATTERNS = [
  /Invalid data found when processing input/i,
  /moov atom not found/i,
  /partial file/i,
  /could not find codec parameters/i,
  /Error while decoding/i,
  /Failed to read frame size/i,
  /End of file/i, // cut inside the header: ffmpeg cannot even open the stream
  /invalid (frame|header|sync)/i,
  /File ended prematurely/i,
  /Decoder \(codec none\) not found/i,
  /(Decoder|codec) .*not found/i,
  /Invalid (NAL|packet|block|EBML)/i,
  /(truncat|damaged|corrupt)/i,
  /Header missing/i,
  /no (audio )?frames? (were )?decoded/i,
];
const NO_AUDIO_PATTERNS = [/does not contain any stream/i, /matches no streams/i];

/** ffmpeg's arguments: read only stdin, no other protocol, audio only, mono 16 kHz float out. */
export function ffmpegArgs(opts: Pick<FfmpegDecodeOptions, 'inputFormat' | 'maxDurationSec'>): string[] {
  return [
    // -nostdin only turns off the interactive keyboard commands; input still comes from pipe:0.
    '-nostdin',
    '-hide_banner',
    '-loglevel', 'error',
    // Only the pipe protocol: a playlist, concat script or mov reference smuggled in the bytes
    // cannot open files or URLs.
    '-protocol_whitelist', 'pipe',
    ...(opts.inputFormat ? ['-f', opts.inputFormat] : []),
    '-i', 'pipe:0',
    '-vn', '-sn', '-dn',
    '-ac', '1',
    '-ar', String(SAMPLE_RATE),
    // Lets ffmpeg stop by itself a second past the limit; the byte cap below is the backstop.
    '-t', String(opts.maxDurationSec + 1),
    '-f', 'f32le',
    'pipe:1',
  ];
}

/**
 * Decode with ffmpeg. Timeout → FFMPEG_FAILED; more output than maxDurationSec → TOO_LONG (ffmpeg is
 * killed); spawn failure → FFMPEG_MISSING; ffmpeg rejecting the bytes → CORRUPT_AUDIO.
 * The child gets an empty environment, so the bot's secrets never reach it. node:child_process (with net and
 * dgram, ~15 built-in modules) is loaded by the first file that needs ffmpeg: a CLI run of WAV files never does.
 */
export async function decodeWithFfmpeg(bytes: Uint8Array, opts: FfmpegDecodeOptions): Promise<Float32Array> {
  const cap = Math.ceil(opts.maxDurationSec * BYTES_PER_SECOND) + BYTES_PER_SECOND / 2;
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(opts.ffmpegPath, ffmpegArgs(opts), { shell: false, stdio: ['pipe', 'pipe', 'pipe'], env: {}, windowsHide: true });
    const chunks: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let settled = false;
    const settle = (error: AudioError | null, value?: Float32Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(
      () => settle(new AudioError('FFMPEG_FAILED', `ffmpeg took longer than ${opts.timeoutMs} ms and was stopped.`, { timeoutMs: opts.timeoutMs })),
      opts.timeoutMs,
    );

    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'EACCES') settle(ffmpegMissing(opts.formatName ?? 'this format'));
      else settle(new AudioError('FFMPEG_FAILED', `ffmpeg could not be run (${e.code ?? e.message}).`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      outBytes += chunk.length;
      if (outBytes > cap) {
        settle(new AudioError('TOO_LONG', `The audio is longer than ${opts.maxDurationSec} s.`, { maxDurationSec: opts.maxDurationSec }));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      const details = { exitCode: code, signal, stderr: stderr.trim() };
      const corrupt = CORRUPT_PATTERNS.some((p) => p.test(stderr));
      if (code !== 0) {
        if (NO_AUDIO_PATTERNS.some((p) => p.test(stderr))) settle(new AudioError('EMPTY_AUDIO', 'The file contains no audio track.', details));
        else if (corrupt) settle(new AudioError('CORRUPT_AUDIO', 'The audio file is damaged or not what it claims to be.', details));
        else settle(new AudioError('FFMPEG_FAILED', `ffmpeg failed (exit ${code ?? signal}).`, details));
        return;
      }
      // ffmpeg treats a read error mid-stream as the end of input and still exits 0: with nothing
      // decoded that is a damaged file, not an empty one. With something decoded, keep it (a cut file).
      if (outBytes === 0 && corrupt) {
        settle(new AudioError('CORRUPT_AUDIO', 'The audio file is damaged or not what it claims to be.', details));
        return;
      }
      // Copy into a fresh, aligned buffer: stdout chunks need not be 4-byte aligned.
      const samples = new Float32Array(Math.floor(outBytes / 4));
      const view = new Uint8Array(samples.buffer);
      let at = 0;
      for (const c of chunks) {
        const n = Math.min(c.length, view.length - at);
        view.set(c.subarray(0, n), at);
        at += n;
      }
      settle(null, samples);
    });

    // ffmpeg may exit before reading all input (bad header, -t reached): that EPIPE is expected.
    child.stdin.on('error', () => {});
    child.stdin.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
