// Typed errors the core throws: every failure a user can cause has a stable code the front doors map to a message.

export type AudioErrorCode =
  | 'UNSUPPORTED_FORMAT' // bytes are not a format we can decode (or not audio at all)
  | 'CORRUPT_AUDIO' // recognised format, but the data is broken or truncated
  | 'EMPTY_AUDIO' // zero bytes, or a valid file with no samples
  | 'TOO_SHORT' // less speech than the configured minimum
  | 'TOO_LONG' // longer than the configured maximum
  | 'NO_SPEECH' // decodes fine but is silence / noise only
  | 'FFMPEG_MISSING' // the format needs ffmpeg and none was found
  | 'FFMPEG_FAILED'; // ffmpeg ran but failed, timed out or produced too much output

export type ModelErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID' // unreadable or not a ser-bot model file
  | 'MODEL_SPEC_MISMATCH'; // trained with another feature spec than this code computes

export type SerErrorCode = AudioErrorCode | ModelErrorCode;

/** Base of every error the core throws on purpose; `code` is stable, `message` is for humans. */
export class SerError extends Error {
  readonly code: SerErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: SerErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class AudioError extends SerError {
  declare readonly code: AudioErrorCode;
  constructor(code: AudioErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export class ModelError extends SerError {
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export function isSerError(e: unknown): e is SerError {
  return e instanceof SerError;
}
