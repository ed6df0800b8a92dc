// `npm run start:sharded` as real processes: the manager spawns a shard that logs in as shard 0 of N and answers; SIGTERM stops both.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulator/emulator.js';
import { FAKE_TOKEN, SHIPPED_MODEL } from '../emulator/harness.js';
import { slashCommand } from '../emulator/payloads.js';
import { npmScript } from './fixtures/npm-start.js';

const cwd = mkdtempSync(join(tmpdir(), 'ser-bot-sharded-')); // empty, so a developer's .env is not read
let emu: DiscordEmulator | undefined;
afterAll(async () => {
  await emu?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

it.each(['SIGTERM', 'SIGHUP'] as const)('runs the compiled main.js as shard 0 of 1 under the ShardingManager, answers, and stops on %s', async (signal) => {
  await emu?.stop();
  emu = await new DiscordEmulator().start();
  const cmd = npmScript('start:sharded');
  const child = spawn(process.execPath, cmd.args, {
    cwd,
    env: {
      ...cmd.env,
      PATH: process.env.PATH,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_CLIENT_ID: emu.world.appId,
      DISCORD_API_URL: emu.apiUrl,
      MODEL_PATH: SHIPPED_MODEL,
      ANALYSIS_WORKERS: '1',
      TOTAL_SHARDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await Promise.race([emu.ready, exit.then((c) => Promise.reject(new Error(`manager exited ${c}: ${out}`)))]);
    expect(emu.identify.shard).toEqual([0, 1]);
    // The shard's client is ready once /about is answered.
    const o = await emu.waitForOutcome(emu.interact(slashCommand(emu.world, 'about')).token, 60_000);
    expect(o.embeds[0].title).toMatch(/ser-bot/);
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'shard launched' && l.shard === 0 && l.totalShards === 1)).toBe(true);
    child.kill(signal); // a closed terminal sends SIGHUP: the shards must not run on unsupervised
    expect(await exit).toBe(0);
    expect(out).toMatch(/ser-bot stopped/); // the shard shut down gracefully, not killed
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 120_000);

it('refuses METRICS_PORT, which one port cannot serve for several shard processes', async () => {
  const cmd = npmScript('start:sharded');
  const child = spawn(process.execPath, cmd.args, {
    cwd,
    env: { ...cmd.env, PATH: process.env.PATH, DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '123456789012345678', MODEL_PATH: SHIPPED_MODEL, TOTAL_SHARDS: '2', METRICS_PORT: '9464' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  expect(code).toBe(2);
  expect(err).toMatch(/METRICS_PORT serves one process; start:sharded runs one per shard/);
}, 60_000);
