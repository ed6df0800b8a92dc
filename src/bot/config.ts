// The bot's settings: read once from the environment (and .env), validated, handed down as a plain object.
import { availableParallelism } from 'node:os';
import dotenv from 'dotenv';
import { SettingError as ConfigError, text, type Env } from '../settings.js';
import { readTranscribeSettings, type TranscribeSettings } from '../transcribe/settings.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, type StoreLocation } from './store/open.js';
import { DEFAULT_MODEL_PATH } from '../core/model/default-path.js';
import { decimal } from '../core/decimal.js';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BotConfig {
  token: string;
  clientId: string;
  /** Commands are registered in this guild only (instant updates while developing); null = global. */
  guildId: string | null;
  /** REST base URL, e.g. a nirn-proxy or the test emulator; null = Discord itself. */
  apiUrl: string | null;
  maxAttachmentBytes: number;
  maxAudioSec: number;
  /** Minimum seconds of speech for a verdict; null = the core's default. */
  minSpeechSec: number | null;
  cooldownSec: number;
  /** Analyses (download + decode + analyze) running at once, bot-wide. */
  maxConcurrent: number;
  /** Analyses waiting for a slot; beyond it users are told the bot is busy. */
  maxQueued: number;
  workers: number;
  downloadTimeoutMs: number;
  modelPath: string;
  ffmpegPath: string | null;
  logLevel: LogLevel;
  logFormat: LogFormat;
  shutdownTimeoutMs: number;
  /** /listen: session lengths, utterance cutting, and where opt-outs are kept. */
  listen: ListenConfig;
  /** Speech-to-text next to the emotion; null = off (TRANSCRIBE_URL unset). */
  transcribe: TranscribeSettings | null;
  /** Where opt-outs and server settings live (DATABASE_URL): SQLite in data/ by default. */
  database: StoreLocation;
  /** METRICS_PORT/METRICS_HOST: /healthz and /metrics; null = off. */
  metrics: { host: string; port: number } | null;
  /** SHARDS + SHARD_COUNT: the gateway shards this process runs; null = discord.js decides (one process, or under the ShardingManager). */
  shards: { ids: number[]; count: number } | null;
}

export interface ListenConfig {
  /** Session length when /listen is given none, and the longest anyone may ask for (minutes). */
  defaultMinutes: number;
  maxMinutes: number;
  /** Silence that ends an utterance (ms). */
  silenceMs: number;
  /** Shorter utterances are not analyzed (seconds). */
  minUtteranceSec: number;
  /** The JSON opt-out list of versions before the store: imported into it once, then renamed `.imported`. */
  optOutPath: string;
}

export { ConfigError };

const SNOWFLAKE = /^\d{17,20}$/;
// Bot tokens are three base64url parts joined by dots; checking the shape catches pasted client secrets.
const TOKEN_SHAPE = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/;


// Echo a bad value only when it is short: someone may have pasted the token into the wrong setting.
function shown(raw: string): string {
  return raw.length <= 16 ? ` (got "${raw}")` : '';
}

function number(env: Env, name: string, fallback: number, min: number, max: number, integer = false, unsetMeans = String(fallback)): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const n = decimal(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new ConfigError(name, `${name} must be ${kind} from ${min} to ${max}${shown(raw)}; fix it in .env or unset it to use ${unsetMeans}.`);
  }
  return n;
}

function snowflake(env: Env, name: string, required: boolean, hint: string): string | null {
  const v = text(env, name);
  if (v === undefined) {
    if (required) throw new ConfigError(name, `${name} is missing; set it in .env (see .env.example) to ${hint}.`);
    return null;
  }
  if (!SNOWFLAKE.test(v)) throw new ConfigError(name, `${name} must be a Discord id (17-20 digits); set it to ${hint}.`);
  return v;
}

/** Validates settings from `env`; throws ConfigError for the first bad one. Never includes the token in a message. */
export function loadConfig(env: Env): BotConfig {
  const token = text(env, 'DISCORD_TOKEN');
  if (token === undefined) {
    throw new ConfigError('DISCORD_TOKEN', 'DISCORD_TOKEN is missing; set it in .env (see .env.example) to the token from Developer Portal → your application → Bot → Reset Token.');
  }
  if (!TOKEN_SHAPE.test(token)) {
    throw new ConfigError('DISCORD_TOKEN', 'DISCORD_TOKEN does not look like a bot token (three dot-separated parts); copy it again from Developer Portal → Bot → Reset Token (not the client secret).');
  }
  const clientId = snowflake(env, 'DISCORD_CLIENT_ID', true, 'the Application ID from Developer Portal → your application → General Information')!;
  const guildId = snowflake(env, 'DISCORD_GUILD_ID', false, 'your test server id (right-click the server → Copy Server ID), or leave it unset for global commands');

  let apiUrl = text(env, 'DISCORD_API_URL') ?? null;
  if (apiUrl !== null) {
    let u: URL | null = null;
    try {
      u = new URL(apiUrl);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
      throw new ConfigError('DISCORD_API_URL', `DISCORD_API_URL must be an http(s) URL such as http://localhost:8080/api; unset it to talk to Discord directly.`);
    }
    apiUrl = apiUrl.replace(/\/+$/, '');
  }

  const maxAttachmentMb = number(env, 'MAX_ATTACHMENT_MB', 8, 0.1, 500);
  const maxAudioSec = number(env, 'MAX_AUDIO_SECONDS', 120, 1, 3600);
  const minSpeechRaw = text(env, 'MIN_SPEECH_SECONDS');
  const minSpeechSec = minSpeechRaw === undefined ? null : number(env, 'MIN_SPEECH_SECONDS', 1, 0.1, 60, false, "the model's default");
  const cooldownSec = number(env, 'COOLDOWN_SECONDS', 10, 0, 3600);
  const workers = number(env, 'ANALYSIS_WORKERS', Math.max(1, availableParallelism() - 1), 1, 64, true);
  // Twice the workers by default: one request can download while another is being analyzed.
  const maxConcurrent = number(env, 'MAX_CONCURRENT_ANALYSES', 2 * workers, 1, 256, true);
  const maxQueued = number(env, 'MAX_QUEUED_ANALYSES', 20, 0, 10_000, true);
  const downloadTimeoutSec = number(env, 'DOWNLOAD_TIMEOUT_SECONDS', 15, 0.1, 600);
  const shutdownTimeoutSec = number(env, 'SHUTDOWN_TIMEOUT_SECONDS', 20, 0, 600);
  const listenMaxMinutes = number(env, 'LISTEN_MAX_MINUTES', 60, 1, 24 * 60);
  const listen: ListenConfig = {
    defaultMinutes: Math.min(number(env, 'LISTEN_DEFAULT_MINUTES', 10, 1, 24 * 60), listenMaxMinutes),
    maxMinutes: listenMaxMinutes,
    silenceMs: number(env, 'LISTEN_SILENCE_MS', 800, 100, 10_000, true),
    minUtteranceSec: number(env, 'LISTEN_MIN_UTTERANCE_SECONDS', 1, 0.2, 30),
    optOutPath: text(env, 'OPTOUT_PATH') ?? 'data/optout.json',
  };

  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}${shown(logLevel)}.`);
  }
  const production = text(env, 'NODE_ENV') === 'production';
  const logFormat = (text(env, 'LOG_FORMAT') ?? (production ? 'json' : 'pretty')).toLowerCase();
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError('LOG_FORMAT', `LOG_FORMAT must be json or pretty${shown(logFormat)}.`);
  }

  const transcribe: TranscribeSettings | null = readTranscribeSettings(env);

  const rawDb = text(env, 'DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const database = parseDatabaseUrl(rawDb);
  if (!database) {
    throw new ConfigError('DATABASE_URL', 'DATABASE_URL must be sqlite:<file> (e.g. sqlite:data/ser-bot.db) or postgres://user:password@host:5432/db; unset it for the embedded SQLite file.');
  }

  const metricsPortRaw = text(env, 'METRICS_PORT');
  const metricsHost = text(env, 'METRICS_HOST');
  // An address without a port serves nothing: whoever set it expects /healthz to answer.
  if (metricsPortRaw === undefined && metricsHost !== undefined) {
    throw new ConfigError('METRICS_HOST', 'METRICS_HOST is set but METRICS_PORT is not: set METRICS_PORT (e.g. 9464) to serve /healthz and /metrics, or unset METRICS_HOST.');
  }
  const metrics = metricsPortRaw === undefined ? null : { port: number(env, 'METRICS_PORT', 9464, 1, 65_535, true), host: metricsHost ?? '127.0.0.1' };

  const shards = readShards(env);

  return {
    token,
    clientId,
    guildId,
    apiUrl,
    maxAttachmentBytes: Math.round(maxAttachmentMb * 1024 * 1024),
    maxAudioSec,
    minSpeechSec,
    cooldownSec,
    maxConcurrent,
    maxQueued,
    workers,
    downloadTimeoutMs: Math.round(downloadTimeoutSec * 1000),
    modelPath: text(env, 'MODEL_PATH') ?? DEFAULT_MODEL_PATH,
    ffmpegPath: text(env, 'FFMPEG_PATH') ?? null,
    logLevel: logLevel as LogLevel,
    logFormat,
    shutdownTimeoutMs: Math.round(shutdownTimeoutSec * 1000),
    listen,
    transcribe,
    database,
    metrics,
    shards,
  };
}

/** `SHARDS=0-3` or `4,5` (with SHARD_COUNT): this process's slice of the shards. Neither = null; one without the other is an error. */
export function readShards(env: Env): { ids: number[]; count: number } | null {
  const list = text(env, 'SHARDS');
  const countRaw = text(env, 'SHARD_COUNT');
  if (list === undefined && countRaw === undefined) return null;
  if (list === undefined || countRaw === undefined) {
    throw new ConfigError(list === undefined ? 'SHARDS' : 'SHARD_COUNT', 'SHARDS and SHARD_COUNT go together: SHARD_COUNT is the total across all processes, SHARDS this process’s slice (e.g. SHARDS=0-3 SHARD_COUNT=8).');
  }
  const count = number(env, 'SHARD_COUNT', 1, 1, 10_000, true);
  const ids = new Set<number>();
  // The ShardingManager sets SHARDS to one id (or a JSON list) for each process it spawns: the same syntax.
  for (const part of list.replace(/^\[|\]$/g, '').split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || to < from || to >= count || to - from > 10_000) {
      throw new ConfigError('SHARDS', `SHARDS must list shard ids below SHARD_COUNT (${count}) as ranges or single ids, e.g. 0-3 or 4,5${shown(list)}.`);
    }
    for (let k = from; k <= to; k++) ids.add(k);
  }
  return { ids: [...ids].sort((a, b) => a - b), count };
}

/** The process environment with `.env` underneath it (real environment variables win). */
export function environment(dotenvPath?: string): Env {
  const fromFile: Env = {};
  dotenv.config({ quiet: true, processEnv: fromFile as Record<string, string>, ...(dotenvPath ? { path: dotenvPath } : {}) });
  return { ...fromFile, ...process.env };
}

/** For front doors: the config, or one line on stderr and exit code 2. */
export function configOrExit(env: Env = environment()): BotConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`ser-bot: config error: ${e.message}\n`);
    process.exit(2);
  }
}
