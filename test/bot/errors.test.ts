import { describe, expect, it } from 'vitest';
import { AudioError, ModelError, type AudioErrorCode } from '../../src/core/errors.js';
import { BotError, describeError, downloadLogFields, duration } from '../../src/bot/errors.js';
import { BusyError } from '../../src/bot/limits.js';
import { WorkerJobError } from '../../src/bot/pool.js';
import { captureLogs } from './fixtures/log-capture.js';

const limits = { maxAttachmentBytes: 8 * 1024 * 1024, maxAudioSec: 120, downloadTimeoutMs: 15_000 };

const logger = () => captureLogs();

const AUDIO_CODES: AudioErrorCode[] = ['UNSUPPORTED_FORMAT', 'CORRUPT_AUDIO', 'EMPTY_AUDIO', 'TOO_SHORT', 'TOO_LONG', 'NO_SPEECH', 'FFMPEG_MISSING', 'FFMPEG_FAILED'];

describe('describeError', () => {
  it('gives every audio error a distinct message of its own, also after crossing the worker boundary', () => {
    const { log, lines } = logger();
    const titles = AUDIO_CODES.map((code) => {
      const direct = describeError(new AudioError(code, 'x'), limits, log);
      const crossed = describeError(new WorkerJobError({ code, message: 'x' }), limits, log);
      expect(crossed).toEqual(direct);
      expect(direct.errorId).toBeUndefined();
      return direct.title;
    });
    expect(new Set(titles).size).toBe(AUDIO_CODES.length);
    expect(lines).toEqual([]); // expected failures are not "unexpected errors"
  });

  it('a job past its deadline (TIMEOUT from the pool) has its own message, not "something went wrong"', () => {
    const { log, lines } = logger();
    const f = describeError(new WorkerJobError({ code: 'TIMEOUT', message: 'x', details: { timeoutMs: 26_000 } }), limits, log);
    expect(f).toMatchObject({ code: 'TIMEOUT', title: 'Took too long' });
    expect(f.errorId).toBeUndefined();
    expect(f.description).toContain('took far longer');
    expect(lines).toEqual([]);
  });

  it('fills in the numbers the user needs', () => {
    const { log } = logger();
    expect(describeError(new BotError('TOO_BIG', 'x', { size: 12 * 1024 * 1024 }), limits, log).description).toBe('That file is 12 MB; the limit is 8.0 MB. Send a shorter clip.');
    expect(describeError(new BusyError(7), limits, log).description).toContain('try again in 7 s');
    expect(describeError(new BotError('COOLDOWN', 'x', { retryAfterSec: 4 }), limits, log).description).toBe('You can analyze again in 4 s.');
    expect(describeError(new BotError('NOT_AUDIO', 'x', { name: 'a`b`.txt' }), limits, log).description).toMatch(/^`a'b'\.txt` does not look like an audio file/);
    // A failed download says whether trying again can help.
    expect(describeError(new BotError('DOWNLOAD_FAILED', 'x', { status: 404 }), limits, log).description).toMatch(/no longer on Discord/);
    expect(describeError(new BotError('DOWNLOAD_FAILED', 'x', { reason: 'NOT_DISCORD', host: 'evil.example' }), limits, log).description).toMatch(/address I do not download from.*log says why/);
    expect(describeError(new BotError('DOWNLOAD_FAILED', 'x'), limits, log).description).toMatch(/try again in a moment/);
    expect(downloadLogFields(new BotError('DOWNLOAD_FAILED', 'x', { reason: 'BAD_REDIRECT', host: 'cdn.discordapp.com', status: 302, url: 'https://signed?ex=1' }))).toEqual({ reason: 'BAD_REDIRECT', host: 'cdn.discordapp.com', status: 302 });
    const tooLong = (details: Record<string, unknown>) => describeError(new WorkerJobError({ code: 'TOO_LONG', message: 'x', details }), limits, log).description;
    expect(tooLong({ durationSec: 190.2, limitSec: 120 })).toBe('This recording is 3 min 10 s; the limit is 120 s. Send a shorter clip.');
    expect(tooLong({ durationSec: 130.4, maxDurationSec: 120 })).toContain('This recording is 2 min 10 s; the limit is 120 s.');
    expect(tooLong({ maxDurationSec: 60 })).toBe('This recording is longer than the limit of 60 s. Send a shorter clip.');
    // Stopped at the cap while streaming: only "more than" is known, never "8.0 MB; the limit is 8.0 MB".
    expect(describeError(new BotError('TOO_BIG', 'x', { size: 8 * 1024 * 1024 + 65536, atLeast: true }), limits, log).description).toBe('That file is larger than the 8.0 MB limit. Send a shorter clip.');
    expect(describeError(new BotError('TOO_BIG', 'x', { size: 8 * 1024 * 1024 + 1 }), limits, log).description).toBe('That file is larger than the 8.0 MB limit. Send a shorter clip.');
    expect(describeError(new WorkerJobError({ code: 'TOO_SHORT', message: 'x', details: { speechSec: 0.31, minSpeechSec: 0.5 } }), limits, log).description).toContain('only 0.3 s of speech; I need at least 0.5 s');
    expect(describeError(new BotError('DOWNLOAD_TIMEOUT', 'x'), limits, log).description).toContain('longer than 15 s');
  });

  it('says how long a recording is in minutes and seconds', () => {
    expect([duration(45.4), duration(60), duration(190), duration(3599.6), duration(3900)]).toEqual(['45 s', '1 min', '3 min 10 s', '1 h', '1 h 5 min']);
  });

  it('logs anything unexpected under a fresh id and shows the user only that id', () => {
    const { log, lines } = logger();
    const a = describeError(new TypeError('cannot read properties of undefined'), limits, log, { interactionId: '42' });
    const b = describeError(new ModelError('MODEL_SPEC_MISMATCH', 'spec f0 vs f1'), limits, log);
    expect(a.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(b.errorId).not.toBe(a.errorId);
    expect(a.description).toContain(a.errorId);
    expect(a.description).not.toContain('undefined');
    expect(b.description).not.toContain('spec');
    expect(lines.map((l) => [l.level, l.errorId, l.interactionId])).toEqual([
      [50, a.errorId, '42'],
      [50, b.errorId, undefined],
    ]);
    expect(lines[0].err.message).toBe('cannot read properties of undefined');
  });
});
