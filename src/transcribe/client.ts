// A client for OpenAI-compatible `/audio/transcriptions`: one WAV in, the text or a typed failure out, never a throw.
import type { TranscribeSettings } from './settings.js';

/** Why there is no transcript. Each has a user-facing reason (see `failureReason`) and an operator hint. */
export type TranscribeFailure =
  | 'UNAUTHORIZED' // 401/403: the key is wrong or missing
  | 'TOO_LARGE' // 413: the recording is over the service's upload limit
  | 'RATE_LIMITED' // 429: quota or rate limit
  | 'SERVER_ERROR' // 5xx
  | 'HTTP_ERROR' // any other non-2xx (400 bad model, 404 wrong URL…)
  | 'BAD_RESPONSE' // 2xx but not JSON with a string `text`
  | 'TIMEOUT' // no complete answer within the settings' timeout
  | 'NETWORK' // refused, reset, DNS…
  | 'ABORTED' // the caller's signal fired
  | 'BUSY'; // too many requests already in flight from this process

interface Measured {
  /** Wall time from the call to the outcome, in ms. */
  ms: number;
  /** Size of the uploaded WAV. */
  audioBytes: number;
}

export type TranscribeOutcome =
  | ({ ok: true; text: string } & Measured)
  | ({ ok: false; code: TranscribeFailure; status?: number; retryAfterSec?: number; detail?: string } & Measured);

export interface TranscribeOptions {
  /** Ends the request early (e.g. the session stopped); reported as ABORTED. */
  signal?: AbortSignal;
  /** The upload's file name; only its extension matters to most servers. */
  filename?: string;
  /** Overrides the settings' language for this request (a server's /settings choice). */
  language?: string | null;
}

// A transcript of a few minutes is a few KB; anything far bigger is not the JSON we asked for.
const MAX_RESPONSE_BYTES = 1 << 20;
const MAX_DETAIL = 200;

function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}

async function readCapped(res: Response): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The server's own error message (OpenAI: `{error:{message}}`, whisper.cpp: `{error:"…"}`), for operators. */
function errorDetail(body: string): string | undefined {
  const j = parseJson(body) as { error?: unknown; message?: unknown } | undefined;
  const e = j?.error;
  const m = typeof e === 'string' ? e : typeof (e as { message?: unknown })?.message === 'string' ? (e as { message: string }).message : typeof j?.message === 'string' ? j.message : undefined;
  const raw = m ?? body;
  const line = raw.replace(/\s+/g, ' ').trim();
  return line ? line.slice(0, MAX_DETAIL) : undefined;
}

function failureFor(status: number): TranscribeFailure {
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 413) return 'TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'HTTP_ERROR';
}

/** Whisper servers join segments with newlines and leading spaces; one line of words reads better in a message. */
export function tidyTranscript(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Uploads `wav` (multipart: `file`, `model`, `response_format=json`, optional `language`) and reads
 * the JSON `{text}`. Resolves with a typed outcome in every case, within `settings.timeoutMs`
 * (connecting, uploading and reading the answer all count).
 */
export async function transcribe(wav: Uint8Array, settings: TranscribeSettings, opts: TranscribeOptions = {}): Promise<TranscribeOutcome> {
  const t0 = performance.now();
  const audioBytes = wav.byteLength;
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const form = new FormData();
  form.append('file', new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }), opts.filename ?? 'audio.wav');
  form.append('model', settings.model);
  form.append('response_format', 'json');
  const language = opts.language !== undefined ? opts.language : settings.language;
  if (language) form.append('language', language);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;

  try {
    const res = await fetch(settings.endpoint, { method: 'POST', body: form, headers, signal });
    const body = await readCapped(res);
    if (!res.ok) {
      const code = failureFor(res.status);
      const out: TranscribeOutcome = { ok: false, code, status: res.status, ms: elapsed(t0), audioBytes };
      // A 401 message can quote part of the key; everything else helps the operator fix the setup.
      const detail = code === 'UNAUTHORIZED' || body === null ? undefined : errorDetail(body);
      if (detail) out.detail = detail;
      const retryAfter = Number(res.headers.get('retry-after'));
      if (code === 'RATE_LIMITED' && Number.isFinite(retryAfter) && retryAfter >= 0) out.retryAfterSec = retryAfter;
      return out;
    }
    const json = body === null ? undefined : (parseJson(body) as { text?: unknown } | undefined);
    if (typeof json?.text !== 'string') {
      return { ok: false, code: 'BAD_RESPONSE', status: res.status, ms: elapsed(t0), audioBytes, detail: body === null ? 'answer over 1 MB' : 'answer is not JSON with a "text" string' };
    }
    return { ok: true, text: tidyTranscript(json.text), ms: elapsed(t0), audioBytes };
  } catch (e) {
    if (timeout.aborted) return { ok: false, code: 'TIMEOUT', ms: elapsed(t0), audioBytes };
    if (opts.signal?.aborted) return { ok: false, code: 'ABORTED', ms: elapsed(t0), audioBytes };
    const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : (e as Error).message;
    return { ok: false, code: 'NETWORK', ms: elapsed(t0), audioBytes, detail: String(detail).slice(0, MAX_DETAIL) };
  }
}

/**
 * One per process: the settings plus a cap on requests in flight, so a busy voice channel cannot
 * pile up uploads (the excess gets BUSY at once instead of waiting behind the others).
 */
export class Transcriber {
  private inFlight = 0;

  constructor(
    readonly settings: TranscribeSettings,
    readonly maxInFlight = 8,
  ) {}

  async transcribe(wav: Uint8Array, opts: TranscribeOptions = {}): Promise<TranscribeOutcome> {
    if (this.inFlight >= this.maxInFlight) return { ok: false, code: 'BUSY', ms: 0, audioBytes: wav.byteLength };
    this.inFlight++;
    try {
      return await transcribe(wav, this.settings, opts);
    } finally {
      this.inFlight--;
    }
  }
}

/** What may be logged about an outcome: code, status, sizes and timing; never the text. */
export function outcomeLogFields(o: TranscribeOutcome): Record<string, unknown> {
  if (o.ok) return { ok: true, ms: o.ms, audioBytes: o.audioBytes, chars: o.text.length };
  const f: Record<string, unknown> = { ok: false, code: o.code, ms: o.ms, audioBytes: o.audioBytes };
  if (o.status !== undefined) f.status = o.status;
  if (o.retryAfterSec !== undefined) f.retryAfterSec = o.retryAfterSec;
  if (o.detail !== undefined) f.detail = o.detail;
  return f;
}

/** A few words for the person who asked: why there is no transcript this time. */
export function failureReason(code: TranscribeFailure): string {
  switch (code) {
    case 'TIMEOUT':
      return 'the speech-to-text service took too long';
    case 'RATE_LIMITED':
    case 'BUSY':
      return 'the speech-to-text service is busy; try again later';
    case 'TOO_LARGE':
      return 'the recording is too large for the speech-to-text service';
    default:
      return 'the speech-to-text service failed';
  }
}

/** One line for the operator (CLI, logs): what failed and what to check. */
export function operatorHint(o: Extract<TranscribeOutcome, { ok: false }>): string {
  const status = o.status !== undefined ? ` (HTTP ${o.status})` : '';
  const detail = o.detail ? `: ${o.detail}` : '';
  switch (o.code) {
    case 'UNAUTHORIZED':
      return `the service rejected the API key${status}; check TRANSCRIBE_API_KEY`;
    case 'TOO_LARGE':
      return `the service refused the upload as too large${status}${detail}`;
    case 'RATE_LIMITED':
      return `rate limited${status}${o.retryAfterSec !== undefined ? `; retry after ${o.retryAfterSec} s` : ''}${detail}`;
    case 'SERVER_ERROR':
      return `the service failed${status}${detail}`;
    case 'HTTP_ERROR':
      return `the service refused the request${status}${detail}; check TRANSCRIBE_URL and TRANSCRIBE_MODEL (whisper.cpp needs --inference-path /v1/audio/transcriptions)`;
    case 'BAD_RESPONSE':
      return `the service's answer could not be read${detail}; is TRANSCRIBE_URL an OpenAI-compatible endpoint?`;
    case 'TIMEOUT':
      return `no answer within ${o.ms} ms; raise TRANSCRIBE_TIMEOUT_SECONDS or check the service`;
    case 'NETWORK':
      return `cannot reach the service${detail}; check TRANSCRIBE_URL`;
    case 'ABORTED':
      return 'cancelled';
    case 'BUSY':
      return 'too many transcriptions in flight; skipped';
  }
}
