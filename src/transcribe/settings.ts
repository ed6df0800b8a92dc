// Speech-to-text settings (TRANSCRIBE_*): read from an environment object, validated; null means transcription is off.

/** How to reach an OpenAI-compatible `/audio/transcriptions` endpoint. */
import { SettingError, text, type Env } from '../settings.js';
import { decimal } from '../core/decimal.js';
export interface TranscribeSettings {
  /** The full endpoint URL, resolved from TRANSCRIBE_URL (a base such as https://api.openai.com/v1). */
  endpoint: string;
  /** Sent as `Authorization: Bearer …`; null for local servers. Never logged or printed. */
  apiKey: string | null;
  model: string;
  /** ISO-639-1 code sent as `language`; null lets the service detect it. */
  language: string | null;
  timeoutMs: number;
}

export const DEFAULT_TRANSCRIBE_MODEL = 'whisper-1';
export const DEFAULT_TRANSCRIBE_TIMEOUT_SEC = 15;
const ROUTE = '/audio/transcriptions';
// Hosted APIs that always want a key: without one every request would fail with 401.
const KEY_REQUIRED_HOSTS = new Set(['api.openai.com', 'api.groq.com']);

export { SettingError as TranscribeSettingError };


/** The endpoint for a base URL; a URL that already names the route is taken as it is. */
export function transcriptionEndpoint(base: URL): string {
  const u = new URL(base);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith(ROUTE) ? path : path + ROUTE;
  return u.toString();
}

/** The settings, or null when TRANSCRIBE_URL is unset (transcription off). Throws SettingError. */
export function readTranscribeSettings(env: Env): TranscribeSettings | null {
  const rawUrl = text(env, 'TRANSCRIBE_URL');
  const apiKey = text(env, 'TRANSCRIBE_API_KEY') ?? null;
  if (rawUrl === undefined) {
    // A key without a URL is a half-done setup; failing loudly beats silently having no transcripts.
    if (apiKey !== null) throw new SettingError('TRANSCRIBE_URL', 'TRANSCRIBE_API_KEY is set but TRANSCRIBE_URL is not; set TRANSCRIBE_URL (e.g. https://api.openai.com/v1) or unset the key.');
    return null;
  }
  let url: URL | null;
  try {
    url = new URL(rawUrl);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new SettingError('TRANSCRIBE_URL', 'TRANSCRIBE_URL must be an http(s) base URL such as https://api.openai.com/v1 or http://127.0.0.1:8080/v1; unset it to turn transcription off.');
  }
  if (url.username || url.password) {
    throw new SettingError('TRANSCRIBE_URL', 'TRANSCRIBE_URL must not contain a user name or password; put the key in TRANSCRIBE_API_KEY.');
  }
  if (apiKey !== null && !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new SettingError('TRANSCRIBE_API_KEY', 'TRANSCRIBE_API_KEY contains spaces or characters that cannot go in an HTTP header; copy the key again.');
  }
  if (apiKey === null && KEY_REQUIRED_HOSTS.has(url.hostname)) {
    throw new SettingError('TRANSCRIBE_API_KEY', `TRANSCRIBE_API_KEY is missing; ${url.hostname} needs an API key.`);
  }

  const model = text(env, 'TRANSCRIBE_MODEL') ?? DEFAULT_TRANSCRIBE_MODEL;
  if (model.length > 128 || /\s/.test(model)) {
    throw new SettingError('TRANSCRIBE_MODEL', 'TRANSCRIBE_MODEL must be a model id without spaces, such as whisper-1 or whisper-large-v3-turbo.');
  }

  const rawLanguage = text(env, 'TRANSCRIBE_LANGUAGE');
  const language = rawLanguage?.toLowerCase() ?? null;
  if (language !== null && !/^[a-z]{2,3}$/.test(language)) {
    throw new SettingError('TRANSCRIBE_LANGUAGE', `TRANSCRIBE_LANGUAGE must be a language code such as en or de${rawLanguage!.length <= 16 ? ` (got "${rawLanguage}")` : ''}; unset it to let the service detect the language.`);
  }

  const rawTimeout = text(env, 'TRANSCRIBE_TIMEOUT_SECONDS');
  const timeoutSec = rawTimeout === undefined ? DEFAULT_TRANSCRIBE_TIMEOUT_SEC : decimal(rawTimeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec < 0.1 || timeoutSec > 600) {
    throw new SettingError('TRANSCRIBE_TIMEOUT_SECONDS', `TRANSCRIBE_TIMEOUT_SECONDS must be a number from 0.1 to 600; unset it to use ${DEFAULT_TRANSCRIBE_TIMEOUT_SEC}.`);
  }

  return { endpoint: transcriptionEndpoint(url), apiKey, model, language, timeoutMs: Math.round(timeoutSec * 1000) };
}

/** What may be shown about the settings (health line, CLI): everything but the key, and the URL without its query. */
export function describeSettings(s: TranscribeSettings): Record<string, unknown> {
  const u = new URL(s.endpoint);
  return { endpoint: `${u.origin}${u.pathname}`, model: s.model, language: s.language ?? 'auto', timeoutMs: s.timeoutMs, apiKey: s.apiKey ? 'set' : 'none' };
}
