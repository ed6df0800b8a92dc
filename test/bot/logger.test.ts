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
