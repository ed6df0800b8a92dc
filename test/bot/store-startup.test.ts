// `npm start` with a store it cannot open: one line naming DATABASE_URL and exit code 2, before any login or model load.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FAKE_TOKEN, SHIPPED_MODEL } from '../emulator/harness.js';
import { freePort } from '../store/pg-server.js';
import { npmScript } from './fixtures/npm-start.js';

const cwd = mkdtempSync(join(tmpdir(), 'ser-bot-store-start-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const cmd = npmScript('start');
  const child = spawn(process.execPath, cmd.args, {
    cwd,
    env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...cmd.env, DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '123456789012345678', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stderr })));
}

it('an unreachable PostgreSQL: exit 2 with one line naming DATABASE_URL (and no password)', async () => {
  const port = await freePort();
  const { code, stderr } = await start({ DATABASE_URL: `postgres://ser:s3cret-pw@127.0.0.1:${port}/ser` });
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^ser-bot: cannot open the store at the PostgreSQL server in DATABASE_URL: .*ECONNREFUSED.*\(check DATABASE_URL\)/);
  expect(stderr).not.toContain('s3cret-pw');
}, 60_000);

it('a SQLite path that cannot be created: exit 2 with one line naming the path', async () => {
  writeFileSync(join(cwd, 'a-file'), '');
  const path = join(cwd, 'a-file', 'ser-bot.db'); // its folder would have to be inside a file
  const { code, stderr } = await start({ DATABASE_URL: `sqlite:${path}` });
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toContain(`ser-bot: cannot open the store at ${path}: `);
  expect(stderr).toMatch(/mkdir/); // the reason, as the system gave it
  expect(stderr).toMatch(/\(check DATABASE_URL\)\n$/);
}, 60_000);

it('an old opt-out list (OPTOUT_PATH) that is not one: exit 2 with one line naming OPTOUT_PATH, not DATABASE_URL', async () => {
  const legacy = join(cwd, 'optout-broken.json');
  writeFileSync(legacy, '{"optedOut": [');
  const { code, stderr } = await start({ DATABASE_URL: `sqlite:${join(cwd, 'legacy.db')}`, OPTOUT_PATH: legacy });
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(new RegExp(`^ser-bot: the old opt-out list ${legacy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(OPTOUT_PATH\\) cannot be read: .*; fix or remove it\\n$`));
  expect(stderr).not.toMatch(/DATABASE_URL/);
}, 60_000);

it('METRICS_HOST that is not an address of this host: exit 2 with one line naming METRICS_HOST', async () => {
  const { code, stderr } = await start({ DATABASE_URL: `sqlite:${join(cwd, 'metrics.db')}`, MODEL_PATH: SHIPPED_MODEL, METRICS_PORT: String(await freePort()), METRICS_HOST: '192.0.2.1' });
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^ser-bot: cannot serve metrics on 192\.0\.2\.1:\d+: .*\(METRICS_HOST must be an address of this host/);
}, 60_000);
