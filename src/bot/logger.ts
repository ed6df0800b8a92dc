// Structured logs for the bot: JSON lines in production (for log shippers), pretty lines while developing.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where JSON lines go (tests pass a memory stream); default stdout. Ignored for pretty. */
  destination?: DestinationStream;
}

// The token and the speech-to-text key must never reach a log line, whatever object someone logs.
const REDACT = ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization', 'apiKey', '*.apiKey', 'config.transcribe.apiKey'];

/** An interaction's token in a webhook or callback URL (it answers for that interaction for 15 minutes). */
const TOKEN_IN_URL = /(\/(?:webhooks|interactions)\/\d+\/)[^/?#]+/g;

/**
 * Errors as pino writes them, less what a failed Discord request carries along: its body (the embeds: transcripts,
 * names, emotions) and the URL's interaction token. The status, code, method and message stay, which is what tells
 * why a reply failed. (pino folds a cause into the message and stack, which hold neither.)
 */
export function scrubError(value: unknown): unknown {
  const out = pino.stdSerializers.err(value as Error) as unknown;
  if (!out || typeof out !== 'object') return out;
  const o = out as Record<string, unknown>;
  if ('requestBody' in o) o.requestBody = '[omitted]';
  if (typeof o.url === 'string') o.url = o.url.replace(TOKEN_IN_URL, '$1[redacted]');
  return o;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = { level: opts.level, base: { app: 'ser-bot' }, redact: { paths: REDACT, censor: '[redacted]' }, serializers: { err: scrubError, error: scrubError } };
  if (opts.format === 'pretty' && !opts.destination) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } },
    });
  }
  return opts.destination ? pino(base, opts.destination) : pino(base);
}
