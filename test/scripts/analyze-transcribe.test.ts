// `npm run analyze -- --transcribe`: the same TRANSCRIBE_* settings as the bot, "transcript" or "transcriptError" on each file's line.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWavHeader } from '../../src/core/audio/wav.js';
import { FAKE_TRANSCRIPT, FakeTranscriptionServer } from '../transcribe/fake-server.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'models/ser-model.bin');
const CLIP = join(ROOT, '../shared/datasets/ravdess/Actor_05/03-01-05-02-02-01-05.wav');
// Resolved here: the CLI runs in an empty temp folder, where a bare 'tsx' would not be found.
const TSX = import.meta.resolve('tsx');
let stt: FakeTranscriptionServer;
let dir: string;

/** Runs the CLI in an empty folder (no .env) with only the TRANSCRIBE_* variables given. */
async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TRANSCRIBE_')));
  try {
    const r = await exec(process.execPath, ['--import', TSX, join(ROOT, 'scripts/analyze.ts'), '--model', MODEL, ...args], { cwd: dir, env: { ...clean, ...env }, timeout: 120_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  stt = await new FakeTranscriptionServer().start();
  dir = await mkdtemp(join(tmpdir(), 'ser-cli-stt-'));
});
afterAll(async () => {
  await stt?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  stt.mode = { kind: 'ok' };
  stt.uploads.length = 0;
});

describe('npm run analyze -- --transcribe', () => {
  it('adds "transcript" to the JSON line, next to the unchanged emotion result, from a 16 kHz WAV upload', async () => {
    const plain = await cli({}, '--json', CLIP);
    const r = await cli({ TRANSCRIBE_URL: stt.baseUrl, TRANSCRIBE_MODEL: 'whisper-large-v3-turbo' }, '--json', '--transcribe', CLIP);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line.transcript).toBe(FAKE_TRANSCRIPT);
    const { transcript: _t, ...emotion } = line;
    expect(emotion).toEqual(JSON.parse(plain.stdout));
    expect(stt.uploads).toHaveLength(1);
    expect(stt.uploads[0]!.fields.model).toBe('whisper-large-v3-turbo');
    expect(parseWavHeader(new Uint8Array(stt.uploads[0]!.file!.data))).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
  });

  it('reads the settings from .env too', async () => {
    await writeFile(join(dir, '.env'), `TRANSCRIBE_URL=${stt.baseUrl}\n`);
    try {
      const r = await cli({}, '--json', '--transcribe', CLIP);
      expect(JSON.parse(r.stdout).transcript).toBe(FAKE_TRANSCRIPT);
    } finally {
      await rm(join(dir, '.env'));
    }
  });

  it('a failing service gives "transcriptError" {code, message}; the emotion and the exit status are unaffected', async () => {
    stt.mode = { kind: 'status', status: 500 };
    const r = await cli({ TRANSCRIBE_URL: stt.baseUrl }, '--json', '--transcribe', CLIP);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line.emotion).toEqual(expect.any(String));
    expect(line.transcript).toBeUndefined();
    expect(line.transcriptError).toEqual({ code: 'SERVER_ERROR', message: expect.stringContaining('HTTP 500') });
  });

  it('a service that never answers gives TIMEOUT after TRANSCRIBE_TIMEOUT_SECONDS', async () => {
    stt.mode = { kind: 'hang' };
    // 2 s, not 0.5: on a loaded machine the upload must have arrived before the CLI gives up, or the server could
    // still be reading it when the next test starts (as transcribe/client.test's ABORTED upload once was).
    const r = await cli({ TRANSCRIBE_URL: stt.baseUrl, TRANSCRIBE_TIMEOUT_SECONDS: '2' }, '--json', '--transcribe', CLIP);
    expect(JSON.parse(r.stdout).transcriptError.code).toBe('TIMEOUT');
    expect(stt.uploads).toHaveLength(1); // it timed out waiting for the answer, with the upload delivered
  });

  it('human output: a 📝 line under the result, and the service named on stderr (never the key)', async () => {
    const r = await cli({ TRANSCRIBE_URL: stt.baseUrl, TRANSCRIBE_API_KEY: 'sk-cli-secret-123' }, '--transcribe', CLIP);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`    📝 "${FAKE_TRANSCRIPT}"`);
    expect(r.stderr).toContain(`transcripts: ${stt.baseUrl}/audio/transcriptions (model whisper-1, language auto)`);
    expect(r.stdout + r.stderr).not.toContain('sk-cli-secret-123');
    expect(stt.uploads[0]!.authorization).toBe('Bearer sk-cli-secret-123');
  });

  it('exits 2 when --transcribe has no TRANSCRIBE_URL, or a setting is wrong', async () => {
    const missing = await cli({}, '--transcribe', CLIP);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--transcribe needs TRANSCRIBE_URL/);
    const bad = await cli({ TRANSCRIBE_URL: stt.baseUrl, TRANSCRIBE_LANGUAGE: 'english' }, '--transcribe', CLIP);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/TRANSCRIBE_LANGUAGE must be a language code/);
    expect(stt.uploads).toHaveLength(0);
  });
});
