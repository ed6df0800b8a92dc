// The transcription client against a loopback server that checks the multipart contract: the upload, every failure typed, nothing thrown.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeAudio } from '../../src/core/audio/index.js';
import { Transcriber, operatorHint, outcomeLogFields, transcribe, type TranscribeOutcome } from '../../src/transcribe/client.js';
import { readTranscribeSettings, type TranscribeSettings } from '../../src/transcribe/settings.js';
import { encodeWav16 } from '../../src/transcribe/wav.js';
import { readRavdess } from '../helpers/audio-fixtures.js';
import { FAKE_TRANSCRIPT, FakeTranscriptionServer, ROUTE } from './fake-server.js';

let server: FakeTranscriptionServer;
let wav: Uint8Array;

/** A timeout no answer comes near even on a loaded machine; the TIMEOUT test sets its own. */
function settings(over: Record<string, string> = {}): TranscribeSettings {
  return readTranscribeSettings({ TRANSCRIBE_URL: server.baseUrl, TRANSCRIBE_TIMEOUT_SECONDS: '30', ...over })!;
}

function failed(o: TranscribeOutcome): Extract<TranscribeOutcome, { ok: false }> {
  if (o.ok) throw new Error('expected a failure');
  return o;
}

beforeAll(async () => {
  server = await new FakeTranscriptionServer().start();
  // Real speech, decoded the way the bot decodes it.
  wav = encodeWav16((await decodeAudio(readRavdess(2, 0).bytes.slice(), { maxDurationSec: 60 })).samples);
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  server.mode = { kind: 'ok' };
  server.uploads.length = 0;
});

describe('transcribe: the upload', () => {
  it('posts multipart file (audio/wav) + model + response_format to <base>/audio/transcriptions and returns the tidied text', async () => {
    const o = await transcribe(wav, settings());
    expect(o).toMatchObject({ ok: true, text: FAKE_TRANSCRIPT, audioBytes: wav.byteLength });
    expect(o.ms).toBeGreaterThanOrEqual(0);
    const [u] = server.uploads;
    expect(u!.path).toBe(ROUTE);
    expect(u!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(u!.file).toMatchObject({ name: 'file', filename: 'audio.wav', contentType: 'audio/wav' });
    expect(Buffer.from(u!.file!.data)).toEqual(Buffer.from(wav));
    expect(u!.fields).toEqual({ model: 'whisper-1', response_format: 'json' });
    expect(u!.authorization).toBeUndefined();
  });

  it('sends the key as a Bearer token, and the model and language it was given', async () => {
    await transcribe(wav, settings({ TRANSCRIBE_API_KEY: 'sk-test-0123456789', TRANSCRIBE_MODEL: 'whisper-large-v3-turbo', TRANSCRIBE_LANGUAGE: 'EN' }));
    const [u] = server.uploads;
    expect(u!.authorization).toBe('Bearer sk-test-0123456789');
    expect(u!.fields).toEqual({ model: 'whisper-large-v3-turbo', response_format: 'json', language: 'en' });
  });

  it('keeps an empty transcript as an empty string (speech the service heard no words in)', async () => {
    server.mode = { kind: 'ok', text: '  ' };
    expect(await transcribe(wav, settings())).toMatchObject({ ok: true, text: '' });
  });
});

describe('transcribe: every failure is a typed outcome', () => {
  it('401 → UNAUTHORIZED, without the server message (it can quote part of the key)', async () => {
    server.mode = { kind: 'status', status: 401 };
    const o = failed(await transcribe(wav, settings({ TRANSCRIBE_API_KEY: 'sk-test-wrong' })));
    expect(o).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(o.detail).toBeUndefined();
    expect(operatorHint(o)).toMatch(/TRANSCRIBE_API_KEY/);
  });

  it('413 → TOO_LARGE with the server reason', async () => {
    server.mode = { kind: 'status', status: 413 };
    expect(failed(await transcribe(wav, settings()))).toMatchObject({ code: 'TOO_LARGE', status: 413, detail: expect.stringContaining('content size') });
  });

  it('429 → RATE_LIMITED with Retry-After', async () => {
    server.mode = { kind: 'status', status: 429, retryAfter: '7' };
    expect(failed(await transcribe(wav, settings()))).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSec: 7 });
  });

  it('500 and 503 → SERVER_ERROR', async () => {
    for (const status of [500, 503]) {
      server.mode = { kind: 'status', status };
      expect(failed(await transcribe(wav, settings()))).toMatchObject({ code: 'SERVER_ERROR', status });
    }
  });

  it('a wrong path (404) → HTTP_ERROR, with a hint about the URL', async () => {
    const o = failed(await transcribe(wav, settings({ TRANSCRIBE_URL: `http://127.0.0.1:${server.port}/` })));
    expect(o).toMatchObject({ code: 'HTTP_ERROR', status: 404, detail: expect.stringContaining('/audio/transcriptions') });
    expect(operatorHint(o)).toMatch(/TRANSCRIBE_URL/);
  });

  it('200 that is not JSON with a text → BAD_RESPONSE', async () => {
    server.mode = { kind: 'not-json' };
    expect(failed(await transcribe(wav, settings()))).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
  });

  it('a server that never answers → TIMEOUT after the configured timeout', async () => {
    server.mode = { kind: 'hang' };
    // 2 s: ten times what the upload took to arrive at load 20, so the timeout covers waiting for the answer.
    const o = failed(await transcribe(wav, settings({ TRANSCRIBE_TIMEOUT_SECONDS: '2' })));
    expect(o.code).toBe('TIMEOUT');
    expect(o.ms).toBeGreaterThanOrEqual(1_980);
    expect(server.uploads).toHaveLength(1); // it did get the whole upload
  });

  it('nobody listening → NETWORK', async () => {
    const gone = await new FakeTranscriptionServer().start();
    const port = gone.port;
    await gone.stop();
    const o = failed(await transcribe(wav, settings({ TRANSCRIBE_URL: `http://127.0.0.1:${port}/v1` })));
    expect(o).toMatchObject({ code: 'NETWORK', detail: 'ECONNREFUSED' });
  });

  it("the caller's signal → ABORTED", async () => {
    server.mode = { kind: 'hang' };
    const ac = new AbortController();
    const p = transcribe(wav, settings(), { signal: ac.signal });
    // Abort only once the server holds the whole upload: aborted at a fixed 50 ms, a loaded machine could
    // still be delivering it after the test ended, and the next test counted it as one of its own.
    await vi.waitFor(() => expect(server.uploads).toHaveLength(1), { timeout: 20_000 });
    ac.abort();
    expect(failed(await p).code).toBe('ABORTED');
  });
});

describe('Transcriber', () => {
  it('answers BUSY at once beyond its in-flight cap, and frees the slot afterwards', async () => {
    server.mode = { kind: 'slow', delayMs: 300 };
    const t = new Transcriber(settings(), 1);
    const first = t.transcribe(wav);
    const second = await t.transcribe(wav);
    expect(second).toMatchObject({ ok: false, code: 'BUSY', ms: 0 });
    expect(await first).toMatchObject({ ok: true });
    server.mode = { kind: 'ok' };
    expect(await t.transcribe(wav)).toMatchObject({ ok: true });
    expect(server.uploads).toHaveLength(2);
  });
});

describe('privacy', () => {
  it('log fields carry lengths and timings, never the words', async () => {
    const o = await transcribe(wav, settings());
    const fields = outcomeLogFields(o);
    expect(fields).toEqual({ ok: true, ms: o.ms, audioBytes: wav.byteLength, chars: FAKE_TRANSCRIPT.length });
    expect(JSON.stringify(fields)).not.toContain('door');
  });
});
