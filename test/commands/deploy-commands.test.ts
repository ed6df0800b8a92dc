// `npm run deploy-commands` against the emulator: guild or global registration, and what it prints.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulator/emulator.js';
import { FAKE_TOKEN } from '../emulator/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
let emu: DiscordEmulator;
let cwd: string; // an empty folder, so no developer .env leaks in

beforeAll(async () => {
  emu = await new DiscordEmulator().start();
  cwd = mkdtempSync(join(tmpdir(), 'ser-bot-deploy-'));
});
afterAll(async () => {
  await emu?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

function deploy(env: Record<string, string>, args: string[] = []) {
  return promisify(execFile)(TSX, [join(ROOT, 'scripts/deploy-commands.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: emu.world.appId, DISCORD_API_URL: emu.apiUrl, ...env },
    timeout: 60_000,
  });
}

it('registers all commands in the development guild and prints them', async () => {
  const { stdout } = await deploy({ DISCORD_GUILD_ID: emu.world.guildId });
  const put = emu.calls.find((c) => c.method === 'PUT' && c.route === `/applications/${emu.world.appId}/guilds/${emu.world.guildId}/commands`)!;
  expect(put.auth).toBe(`Bot ${FAKE_TOKEN}`);
  expect(put.body.map((c: any) => [c.name, c.type])).toEqual([
    ['analyze', 1],
    ['Analyze emotion', 3],
    ['about', 1],
    ['listen', 1],
    ['stop', 1],
    ['optout', 1],
    ['optin', 1],
    ['settings', 1],
  ]);
  // /settings is hidden from members without Manage Server (admins can change that per server).
  expect(put.body.find((c: any) => c.name === 'settings').default_member_permissions).toBe('32');
  const analyze = put.body[0];
  expect(analyze.options.map((o: any) => [o.name, o.type, o.required ?? false])).toEqual([
    ['audio', 11, true],
    ['private', 5, false],
    ['transcribe', 5, false],
  ]);
  expect(stdout).toMatch(new RegExp(`Registered 8 commands in guild ${emu.world.guildId}`));
  expect(stdout).toMatch(/\/analyze\s+slash command/);
  expect(stdout).toMatch(/"Analyze emotion"\s+message context menu/);
  expect(stdout).not.toContain(FAKE_TOKEN);
});

it('registers globally without DISCORD_GUILD_ID', async () => {
  const { stdout } = await deploy({});
  expect(emu.calls.some((c) => c.method === 'PUT' && c.route === `/applications/${emu.world.appId}/commands`)).toBe(true);
  expect(stdout).toMatch(/Registered 8 commands globally/);
});

it('fails with one line and exit code 2 on a bad setting', async () => {
  const err = await deploy({ DISCORD_CLIENT_ID: 'not-an-id' }).catch((e) => e);
  expect(err.code).toBe(2);
  expect(err.stderr.trim().split('\n')).toHaveLength(1);
  expect(err.stderr).toMatch(/DISCORD_CLIENT_ID must be a Discord id/);
});

it('--help explains and registers nothing; an unknown argument is a usage error and registers nothing', async () => {
  const before = emu.calls.filter((c) => c.method === 'PUT').length;
  const { stdout } = await deploy({}, ['--help']);
  expect(stdout).toMatch(/^Usage: npm run deploy-commands\n/);
  expect(stdout).toMatch(/DISCORD_GUILD_ID/);
  const err = await deploy({}, ['--guild', '123']).catch((e) => e);
  expect(err.code).toBe(2);
  expect(err.stderr).toMatch(/^deploy-commands: Unknown option '--guild'/);
  expect(emu.calls.filter((c) => c.method === 'PUT').length).toBe(before);
});
