// What users read when something fails: one actionable message per error code; anything else gets a logged id.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { FFMPEG_FREE_FORMATS } from '../core/audio/index.js';
import type { SerErrorCode } from '../core/errors.js';

/** Failures the bot itself detects, before or around the core. */
export type BotErrorCode =
  | 'NO_ATTACHMENT' // nothing to analyze on the message / in the option
  | 'NOT_AUDIO' // the attachment is declared as something other than audio
  | 'TOO_BIG' // declared or streamed size over the cap
  | 'DOWNLOAD_FAILED'
  | 'DOWNLOAD_TIMEOUT'
  | 'BUSY' // every analysis slot is taken and the queue is full
  | 'COOLDOWN' // this user asked again too soon
  | 'SHUTTING_DOWN';

export class BotError extends Error {
  constructor(
    readonly code: BotErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BotError';
  }
}

export interface UserLimits {
  maxAttachmentBytes: number;
  maxAudioSec: number;
  downloadTimeoutMs: number;
}

export interface UserFacing {
  code: string;
  title: string;
  description: string;
  /** Set for unexpected errors: logged with the error and shown to the user. */
  errorId?: string;
}

type Details = Record<string, unknown>;
type Message = (d: Details, l: UserLimits) => [title: string, description: string];

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const FORMATS = `Voice messages, ${FFMPEG_FREE_FORMATS} always work`;

/** "45 s", "3 min 10 s", "1 h 5 min": how long a recording is, in words a user reads at a glance. */
export function duration(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const min = Math.round((s % 3600) / 60);
  return min ? `${Math.floor(s / 3600)} h ${min} min` : `${Math.floor(s / 3600)} h`;
}

/**
 * The size against the cap. A download stopped at the cap (no content-length) only knows "more than
 * the cap"; and a size that rounds to the cap must not read "8.0 MB; the limit is 8.0 MB".
 */
function sizeVersusCap(d: Details, cap: number): string {
  const size = num(d.size);
  if (size === undefined || d.atLeast === true || mb(size) === mb(cap)) return `That file is larger than the ${mb(cap)} limit.`;
  return `That file is ${mb(size)}; the limit is ${mb(cap)}.`;
}

const MESSAGES: Record<BotErrorCode | SerErrorCode | 'POOL_BUSY' | 'POOL_CLOSED' | 'TIMEOUT' | 'STORE_UNAVAILABLE', Message> = {
  NO_ATTACHMENT: () => ['No audio to analyze', 'That message has no voice message or audio file. Use **Analyze emotion** on a voice message, or `/analyze` with an audio file.'],
  // In code quotes a file name shows as typed; a backtick in it would end them early.
  NOT_AUDIO: (d) => ['That is not audio', `\`${String(d.name ?? 'The file').replace(/`/g, "'")}\` does not look like an audio file. ${FORMATS}; mp3, m4a and flac work when the bot has ffmpeg.`],
  TOO_BIG: (d, l) => ['File too big', `${sizeVersusCap(d, l.maxAttachmentBytes)} Send a shorter clip.`],
  DOWNLOAD_FAILED: (d) =>
    d.status === 404 || d.status === 403
      ? ['Download failed', 'That attachment is no longer on Discord (was its message deleted?).']
      : typeof d.reason === 'string'
        ? ['Download failed', 'Discord gave me an attachment address I do not download from, so I left it alone. If it keeps happening, tell the bot’s owner: their log says why.']
        : ['Download failed', 'I could not download the attachment from Discord. Please try again in a moment.'],
  DOWNLOAD_TIMEOUT: (_d, l) => ['Download timed out', `Downloading the attachment took longer than ${Math.round(l.downloadTimeoutMs / 1000)} s. Please try again.`],
  BUSY: (d) => ['Busy right now', `I'm analyzing a lot of audio at the moment — try again in ${num(d.retryAfterSec) ?? 10} s.`],
  POOL_BUSY: () => ['Busy right now', "I'm analyzing a lot of audio at the moment — try again in a minute."],
  COOLDOWN: (d) => ['Slow down a little', `You can analyze again in ${num(d.retryAfterSec) ?? 1} s.`],
  SHUTTING_DOWN: () => ['Restarting', 'The bot is restarting; try again in a minute.'],
  POOL_CLOSED: () => ['Restarting', 'The bot is restarting; try again in a minute.'],
  // A pool job past its deadline (its worker was replaced): almost always a file built to stall a decoder.
  TIMEOUT: () => ['Took too long', 'Analyzing that file took far longer than audio of its length should, so I stopped. If it is a normal recording, export it again (for example as Ogg/Opus or WAV) and retry.'],
  STORE_UNAVAILABLE: () => ['Storage unavailable', 'I can’t reach my database right now, so nothing was saved or changed. Please try again in a minute.'],
  UNSUPPORTED_FORMAT: () => ['Unsupported format', `I can't read that file as audio. ${FORMATS}.`],
  CORRUPT_AUDIO: () => ['Broken audio file', 'That audio file seems damaged or cut off, so it could not be decoded. Try recording or exporting it again.'],
  EMPTY_AUDIO: () => ['Empty recording', 'That file contains no audio.'],
  TOO_LONG: (d, l) => {
    const limit = num(d.limitSec) ?? num(d.maxDurationSec) ?? l.maxAudioSec;
    const length = num(d.durationSec);
    return ['Recording too long', `${length !== undefined ? `This recording is ${duration(length)}; the limit is ${limit} s.` : `This recording is longer than the limit of ${limit} s.`} Send a shorter clip.`];
  },
  TOO_SHORT: (d) => ['Too little speech', `I found only ${num(d.speechSec)?.toFixed(1) ?? 'very little'} s of speech; I need at least ${num(d.minSpeechSec) ?? 1} s to judge. Record a little more.`],
  NO_SPEECH: () => ['No speech found', 'I could not hear any speech — the recording seems to be silence or noise.'],
  FFMPEG_MISSING: () => ['Format not supported here', `That format needs ffmpeg, which this bot does not have. ${FORMATS}.`],
  FFMPEG_FAILED: () => ['Could not convert the file', `Converting that file failed (it may be damaged). ${FORMATS}.`],
  // Model problems are the operator's to fix: the user gets an id, the log gets the details.
  MODEL_NOT_FOUND: () => ['', ''],
  MODEL_INVALID: () => ['', ''],
  MODEL_SPEC_MISMATCH: () => ['', ''],
};
const INTERNAL = new Set(['MODEL_NOT_FOUND', 'MODEL_INVALID', 'MODEL_SPEC_MISMATCH']);

/**
 * Failures of the bot's side, not of the user's file: the user is told to try again, so the try does not cost them
 * their cooldown (attachment-analysis.ts). A file that is not audio, too long or silent does.
 */
export const NOT_THE_USERS_FAULT: ReadonlySet<string> = new Set(['DOWNLOAD_FAILED', 'DOWNLOAD_TIMEOUT', 'BUSY', 'POOL_BUSY', 'POOL_CLOSED', 'SHUTTING_DOWN', 'INTERNAL']);

/**
 * What the operator needs to know about a failed download (why a URL was refused, the status, the host), never the
 * URL itself (it is signed) nor the file's name.
 */
export function downloadLogFields(e: unknown): Record<string, unknown> {
  const d = (e as { code?: unknown; details?: Record<string, unknown> } | null)?.details;
  if ((e as { code?: unknown } | null)?.code !== 'DOWNLOAD_FAILED' || !d) return {};
  return Object.fromEntries(Object.entries({ reason: d.reason, status: d.status, host: d.host }).filter(([, v]) => v !== undefined));
}

/** Maps any error to what the user should read. Unexpected errors are logged (with `context`) under a new id. */
export function describeError(e: unknown, limits: UserLimits, log: Logger, context: Record<string, unknown> = {}): UserFacing {
  const err = e as { code?: unknown; details?: unknown; retryAfterSec?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = MESSAGES[code as keyof typeof MESSAGES];
  if (message && !INTERNAL.has(code)) {
    const details: Details = { ...(err.details && typeof err.details === 'object' ? (err.details as Details) : {}) };
    if (err.retryAfterSec !== undefined) details.retryAfterSec = err.retryAfterSec;
    const [title, description] = message(details, limits);
    return { code, title, description };
  }
  const errorId = randomBytes(4).toString('hex');
  log.error({ err: e, errorId, ...context }, 'unexpected error');
  return {
    code: code || 'INTERNAL',
    title: 'Something went wrong',
    description: `Something went wrong on my side. If it keeps happening, give the bot's owner this error id: \`${errorId}\`.`,
    errorId,
  };
}
