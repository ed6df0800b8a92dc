import { DiscordAPIError } from '@discordjs/rest';
import { expect, it } from 'vitest';
import { captureLogs } from './fixtures/log-capture.js';

it('writes one JSON object per line with level, time and message', () => {
  const { log, lines } = captureLogs();
  log.info({ interactionId: '1' }, 'analysis answered');
  expect(lines).toEqual([expect.objectContaining({ level: 30, app: 'ser-bot', interactionId: '1', msg: 'analysis answered', time: expect.any(Number) })]);
});

it('never writes a token, wherever it sits in the logged object', () => {
  const { log, lines } = captureLogs();
  log.info({ token: 'secret-1', config: { token: 'secret-2' }, req: { headers: { authorization: 'Bot secret-3' } } }, 'x');
  expect(JSON.stringify(lines)).not.toMatch(/secret-/);
  expect(lines[0].config.token).toBe('[redacted]');
});

it('drops lines below the level', () => {
  const { log, lines } = captureLogs('warn');
  log.info('quiet');
  log.warn('loud');
  expect(lines.map((l) => l.msg)).toEqual(['loud']);
});

it("a failed Discord request's error keeps its status and code, not the request's body or the interaction token", () => {
  const { log, lines } = captureLogs();
  const url = 'https://discord.com/api/v10/webhooks/111/aW50ZXJhY3Rpb246MTIzOnNlY3JldC10b2tlbg/messages/@original';
  const err = new DiscordAPIError({ code: 10008, message: 'Unknown Message' }, 10008, 404, 'PATCH', url, {
    body: { embeds: [{ description: '> I think my password is hunter2' }] },
    files: undefined,
  });
  log.warn({ err, interactionId: '1' }, 'could not edit the transcript in');
  log.warn({ error: new Error('outer', { cause: err }) }, 'wrapped');
  const text = JSON.stringify(lines);
  expect(text).not.toMatch(/hunter2|aW50ZXJhY3Rpb246/);
  expect(lines[0].err).toMatchObject({ code: 10008, status: 404, method: 'PATCH', message: 'Unknown Message', requestBody: '[omitted]' });
  expect(lines[0].err.url).toBe('https://discord.com/api/v10/webhooks/111/[redacted]/messages/@original');
  expect(lines[1].error.message).toBe('outer: Unknown Message');
});
