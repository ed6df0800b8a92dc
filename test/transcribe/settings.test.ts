// TRANSCRIBE_* settings: off unless a URL is set, validated with one-line messages that never show the key; wired into the bot config.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/bot/config.js';
import { describeSettings, readTranscribeSettings, TranscribeSettingError } from '../../src/transcribe/settings.js';
import { captureLogs } from '../bot/fixtures/log-capture.js';

const KEY = 'sk-proj-abcdefghijklmnop0123456789';

function failure(env: Record<string, string>): TranscribeSettingError {
  try {
    readTranscribeSettings(env);
  } catch (e) {
    if (e instanceof TranscribeSettingError) return e;
    throw e;
  }
  throw new Error('expected a TranscribeSettingError');
}

describe('readTranscribeSettings', () => {
  it('is off (null) when TRANSCRIBE_URL is unset or blank, even with a model or language set', () => {
    expect(readTranscribeSettings({})).toBeNull();
    expect(readTranscribeSettings({ TRANSCRIBE_URL: '  ', TRANSCRIBE_MODEL: 'whisper-1', TRANSCRIBE_LANGUAGE: 'en' })).toBeNull();
  });

  it('fills the defaults: whisper-1, language detected by the service, 15 s', () => {
    expect(readTranscribeSettings({ TRANSCRIBE_URL: 'http://127.0.0.1:8080/v1' })).toEqual({
      endpoint: 'http://127.0.0.1:8080/v1/audio/transcriptions',
      apiKey: null,
      model: 'whisper-1',
      language: null,
      timeoutMs: 15_000,
    });
  });

  it('reads every setting', () => {
    expect(
      readTranscribeSettings({
        TRANSCRIBE_URL: 'https://api.groq.com/openai/v1/',
        TRANSCRIBE_API_KEY: KEY,
        TRANSCRIBE_MODEL: 'whisper-large-v3-turbo',
        TRANSCRIBE_LANGUAGE: 'DE',
        TRANSCRIBE_TIMEOUT_SECONDS: '7.5',
      }),
    ).toEqual({ endpoint: 'https://api.groq.com/openai/v1/audio/transcriptions', apiKey: KEY, model: 'whisper-large-v3-turbo', language: 'de', timeoutMs: 7500 });
  });

  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/audio/transcriptions'],
    ['https://api.openai.com/v1/audio/transcriptions', 'https://api.openai.com/v1/audio/transcriptions'],
    ['http://127.0.0.1:8080/v1/audio/transcriptions/', 'http://127.0.0.1:8080/v1/audio/transcriptions'],
    ['http://gw.local/stt/v1?tenant=a', 'http://gw.local/stt/v1/audio/transcriptions?tenant=a'],
  ])('resolves the endpoint from %s', (url, endpoint) => {
    expect(readTranscribeSettings({ TRANSCRIBE_URL: url, TRANSCRIBE_API_KEY: KEY })!.endpoint).toBe(endpoint);
  });

  it.each([
    [{ TRANSCRIBE_API_KEY: KEY }, 'TRANSCRIBE_URL', /TRANSCRIBE_API_KEY is set but TRANSCRIBE_URL is not/],
    [{ TRANSCRIBE_URL: 'localhost:8080' }, 'TRANSCRIBE_URL', /http\(s\) base URL/],
    [{ TRANSCRIBE_URL: 'ftp://x/v1' }, 'TRANSCRIBE_URL', /http\(s\) base URL/],
    [{ TRANSCRIBE_URL: 'https://user:secret@stt.example/v1' }, 'TRANSCRIBE_URL', /user name or password/],
    [{ TRANSCRIBE_URL: 'https://api.openai.com/v1' }, 'TRANSCRIBE_API_KEY', /api\.openai\.com needs an API key/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_API_KEY: 'sk-abc def' }, 'TRANSCRIBE_API_KEY', /spaces/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_MODEL: 'whisper 1' }, 'TRANSCRIBE_MODEL', /without spaces/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_LANGUAGE: 'english' }, 'TRANSCRIBE_LANGUAGE', /language code.*"english"/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_TIMEOUT_SECONDS: '0' }, 'TRANSCRIBE_TIMEOUT_SECONDS', /0\.1 to 600/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_TIMEOUT_SECONDS: 'soon' }, 'TRANSCRIBE_TIMEOUT_SECONDS', /0\.1 to 600/],
    [{ TRANSCRIBE_URL: 'http://x/v1', TRANSCRIBE_TIMEOUT_SECONDS: '0x10' }, 'TRANSCRIBE_TIMEOUT_SECONDS', /0\.1 to 600/],
  ])('refuses %j naming %s', (env, setting, message) => {
    const e = failure(env as Record<string, string>);
    expect(e.setting).toBe(setting);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('sk-');
    expect(e.message).not.toContain('secret');
  });

  it('describes itself without the key or the query string', () => {
    const s = readTranscribeSettings({ TRANSCRIBE_URL: 'https://stt.example/v1?token=q', TRANSCRIBE_API_KEY: KEY })!;
    const shown = JSON.stringify(describeSettings(s));
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain('token=q');
    expect(describeSettings(s)).toMatchObject({ endpoint: 'https://stt.example/v1/audio/transcriptions', apiKey: 'set', language: 'auto' });
  });
});

describe('the bot config carries the transcription settings', () => {
  const base = { DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB', DISCORD_CLIENT_ID: '123456789012345678' };

  it('null when unset, the settings when set', () => {
    expect(loadConfig(base).transcribe).toBeNull();
    expect(loadConfig({ ...base, TRANSCRIBE_URL: 'http://127.0.0.1:8080/v1' }).transcribe).toMatchObject({ endpoint: 'http://127.0.0.1:8080/v1/audio/transcriptions', model: 'whisper-1' });
  });

  it('the key never reaches a log line, even when the whole config or the settings are logged', () => {
    const config = loadConfig({ ...base, TRANSCRIBE_URL: 'https://api.openai.com/v1', TRANSCRIBE_API_KEY: KEY });
    const { log, lines } = captureLogs();
    log.info({ config }, 'config');
    log.info({ transcribe: config.transcribe }, 'settings');
    log.info(config.transcribe!, 'flat');
    expect(lines).toHaveLength(3);
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(lines[0].config.transcribe.apiKey).toBe('[redacted]');
  });

  it('a bad TRANSCRIBE_* value stops the bot with a ConfigError naming it', () => {
    let err: unknown;
    try {
      loadConfig({ ...base, TRANSCRIBE_URL: 'http://127.0.0.1:8080/v1', TRANSCRIBE_TIMEOUT_SECONDS: '-1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ setting: 'TRANSCRIBE_TIMEOUT_SECONDS' });
  });
});
