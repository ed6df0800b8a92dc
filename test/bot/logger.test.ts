import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/bot/logger.js';

function capture() {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}

it('writes one JSON object per line with level, time and message', () => {
  const { lines, destination } = capture();
  createLogger({ level: 'info', format: 'json', destination }).info({ interactionId: '1' }, 'analysis answered');
  expect(lines).toEqual([expect.objectContaining({ level: 30, app: 'ser-bot', interactionId: '1', msg: 'analysis answered', time: expect.any(Number) })]);
});

it('never writes a token, wherever it sits in the logged object', () => {
  const { lines, destination } = capture();
  const log = createLogger({ level: 'info', format: 'json', destination });
  log.info({ token: 'secret-1', config: { token: 'secret-2' }, req: { headers: { authorization: 'Bot secret-3' } } }, 'x');
  expect(JSON.stringify(lines)).not.toMatch(/secret-/);
  expect(lines[0].config.token).toBe('[redacted]');
});

it('drops lines below the level', () => {
  const { lines, destination } = capture();
  const log = createLogger({ level: 'warn', format: 'json', destination });
  log.info('quiet');
  log.warn('loud');
  expect(lines.map((l) => l.msg)).toEqual(['loud']);
});
