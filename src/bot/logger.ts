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

export function createLogger(opts: LoggerOptions): Logger {
  const base = { level: opts.level, base: { app: 'ser-bot' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (opts.format === 'pretty' && !opts.destination) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } },
    });
  }
  return opts.destination ? pino(base, opts.destination) : pino(base);
}
