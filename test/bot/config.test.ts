import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { ConfigError, environment, loadConfig } from '../../src/bot/config.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB';
const ok = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '123456789012345678' };

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills documented defaults from the two required settings', () => {
    const c = loadConfig(ok);
    expect(c).toMatchObject({
      token: TOKEN,
      clientId: '123456789012345678',
      guildId: null,
      apiUrl: null,
      maxAttachmentBytes: 8 * 1024 * 1024,
      maxAudioSec: 120,
      minSpeechSec: null,
      cooldownSec: 10,
      maxQueued: 20,
      downloadTimeoutMs: 15_000,
      modelPath: 'models/ser-model.bin',
      ffmpegPath: null,
      logLevel: 'info',
      logFormat: 'pretty',
      shutdownTimeoutMs: 20_000,
    });
    expect(c.workers).toBeGreaterThanOrEqual(1);
    expect(c.maxConcurrent).toBe(2 * c.workers);
  });

  it('reads every optional setting', () => {
    const c = loadConfig({
      ...ok,
      DISCORD_GUILD_ID: '876543210987654321',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      MAX_ATTACHMENT_MB: '2.5',
      MAX_AUDIO_SECONDS: '60',
      MIN_SPEECH_SECONDS: '1.5',
      COOLDOWN_SECONDS: '0',
      ANALYSIS_WORKERS: '3',
      MAX_CONCURRENT_ANALYSES: '4',
      MAX_QUEUED_ANALYSES: '0',
      DOWNLOAD_TIMEOUT_SECONDS: '2',
      MODEL_PATH: '/models/x.json.gz',
      FFMPEG_PATH: '/usr/bin/ffmpeg',
      LOG_LEVEL: 'DEBUG',
      NODE_ENV: 'production',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    });
    expect(c).toMatchObject({
      guildId: '876543210987654321',
      apiUrl: 'http://127.0.0.1:9999/api',
      maxAttachmentBytes: Math.round(2.5 * 1024 * 1024),
      maxAudioSec: 60,
      minSpeechSec: 1.5,
      cooldownSec: 0,
      workers: 3,
      maxConcurrent: 4,
      maxQueued: 0,
      downloadTimeoutMs: 2000,
      modelPath: '/models/x.json.gz',
      ffmpegPath: '/usr/bin/ffmpeg',
      logLevel: 'debug',
      logFormat: 'json',
      shutdownTimeoutMs: 5000,
    });
  });

  it.each([
    [{ DISCORD_CLIENT_ID: ok.DISCORD_CLIENT_ID }, 'DISCORD_TOKEN', /missing.*Reset Token/],
    [{ ...ok, DISCORD_TOKEN: '   ' }, 'DISCORD_TOKEN', /missing/],
    [{ ...ok, DISCORD_TOKEN: 'client-secret-abcdef' }, 'DISCORD_TOKEN', /does not look like a bot token/],
    [{ DISCORD_TOKEN: TOKEN }, 'DISCORD_CLIENT_ID', /missing.*Application ID/],
    [{ ...ok, DISCORD_CLIENT_ID: 'my-bot' }, 'DISCORD_CLIENT_ID', /Discord id/],
    [{ ...ok, DISCORD_GUILD_ID: '12' }, 'DISCORD_GUILD_ID', /Discord id/],
    [{ ...ok, DISCORD_API_URL: 'localhost:8080' }, 'DISCORD_API_URL', /http\(s\) URL/],
    [{ ...ok, MAX_ATTACHMENT_MB: 'ten' }, 'MAX_ATTACHMENT_MB', /must be a number from 0.1 to 500 \(got "ten"\)/],
    [{ ...ok, MAX_AUDIO_SECONDS: '0' }, 'MAX_AUDIO_SECONDS', /from 1 to 3600/],
    [{ ...ok, ANALYSIS_WORKERS: '1.5' }, 'ANALYSIS_WORKERS', /whole number/],
    [{ ...ok, MAX_QUEUED_ANALYSES: '-1' }, 'MAX_QUEUED_ANALYSES', /whole number/],
    [{ ...ok, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of fatal, error/],
    [{ ...ok, LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /json or pretty/],
    [{ ...ok, MAX_ATTACHMENT_MB: '0x10' }, 'MAX_ATTACHMENT_MB', /must be a number from 0.1 to 500 \(got "0x10"\)/],
    [{ ...ok, MIN_SPEECH_SECONDS: '0' }, 'MIN_SPEECH_SECONDS', /unset it to use the model's default\./],
  ])('names the bad setting and how to fix it (%#)', (env, setting, message) => {
    const e = failure(env);
    expect(e.setting).toBe(setting);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
  });

  it('never puts the token in a message, even when it is pasted into the wrong setting', () => {
    for (const name of ['DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'MAX_ATTACHMENT_MB', 'LOG_LEVEL']) {
      const e = failure({ ...ok, [name]: TOKEN });
      expect(e.setting).toBe(name);
      expect(e.message).not.toContain(TOKEN);
      expect(e.message).not.toContain(TOKEN.slice(0, 12));
    }
  });
});

describe('environment', () => {
  it('reads .env under the real environment, which wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ser-bot-env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, 'SER_TEST_FROM_FILE=file\nSER_TEST_BOTH=file\n');
      process.env.SER_TEST_BOTH = 'process';
      const env = environment(file);
      expect(env.SER_TEST_FROM_FILE).toBe('file');
      expect(env.SER_TEST_BOTH).toBe('process');
      expect(process.env.SER_TEST_FROM_FILE).toBeUndefined();
    } finally {
      delete process.env.SER_TEST_BOTH;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const source = readFileSync(new URL('../../src/bot/config.ts', import.meta.url), 'utf8');

  it('documents every setting the bot reads (set, or commented out)', () => {
    const read = new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(10);
    const documented = new Set([...Object.keys(dotenv.parse(example)), ...[...example.matchAll(/^# ([A-Z_]+)=$/gm)].map((m) => m[1])]);
    for (const name of read) expect(documented, name).toContain(name);
  });

  it('leaves unset what the Docker image sets: an empty line in `docker run --env-file .env` would blank it', () => {
    const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    const imageSets = [...dockerfile.matchAll(/^(?:ENV |\s+)([A-Z_]+)=\S+/gm)].map((m) => m[1]);
    expect(imageSets).toEqual(expect.arrayContaining(['NODE_ENV', 'LOG_FORMAT', 'FFMPEG_PATH']));
    const set = dotenv.parse(example);
    for (const name of imageSets) expect(set[name], name).toBeUndefined();
  });

  it('is valid as it stands once the two required values are filled in, and matches the defaults', () => {
    const env = { ...dotenv.parse(example), ...ok };
    const { workers, maxConcurrent, ...fromExample } = loadConfig(env);
    const { workers: w, maxConcurrent: m, ...defaults } = loadConfig(ok);
    expect(fromExample).toEqual(defaults);
    expect([workers, maxConcurrent]).toEqual([w, m]);
  });
});
