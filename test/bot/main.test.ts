// `npm start` as a real process: one-line config errors with exit 2, the health line, graceful shutdown on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulator/emulator.js';
import { errorTitle, FAKE_TOKEN, SHIPPED_MODEL } from '../emulator/harness.js';
import { analyzeCommand } from '../emulator/payloads.js';
import { speechNote } from '../emulator/voice-note.js';
import { spawnBot, until, type BotProcess } from './fixtures/bot-process.js';
import { ATTACHMENT_PRELOAD, npmScript } from './fixtures/npm-start.js';

let cwd: string; // empty, so a developer's .env is not read
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'ser-bot-main-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

// The preload lets the bot fetch the emulator's loopback attachments (it does nothing without SER_BOT_TEST_ATTACHMENT_ORIGIN).

/** What `npm start` runs (the compiled bot), without npm in between. */
function start(env: Record<string, string>): BotProcess {
  const cmd = npmScript('start', ATTACHMENT_PRELOAD);
  return spawnBot(process.execPath, cmd.args, { cwd, env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...cmd.env, ...env } });
}

let running: BotProcess | undefined;
afterEach(() => {
  if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  running = undefined;
});

describe('start-up errors', () => {
  it('a bad setting: one line on stderr naming it, exit code 2, the token never printed', async () => {
    running = start({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: FAKE_TOKEN });
    expect(await running.exit).toBe(2);
    const err = running.stderr();
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^ser-bot: config error: DISCORD_CLIENT_ID must be a Discord id/);
    expect(err).not.toContain(FAKE_TOKEN.slice(0, 10));
    expect(running.lines).toEqual([]);
  });

  it('a missing model: exit code 2 with a line that says how to fix it', async () => {
    running = start({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '123456789012345678', MODEL_PATH: join(cwd, 'nope.json.gz') });
    expect(await running.exit).toBe(2);
    expect(running.stderr()).toMatch(/cannot load the model .*nope\.json\.gz.*MODEL_PATH/);
  });
});

describe('start-up against Discord', () => {
  it('a token Discord rejects: exit code 2 and a line saying to reset it', async () => {
    const emu = await new DiscordEmulator().start();
    try {
      emu.rejectToken = true;
      running = start({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: emu.world.appId, DISCORD_API_URL: emu.apiUrl, MODEL_PATH: SHIPPED_MODEL });
      expect(await running.exit).toBe(2);
      expect(running.stderr()).toMatch(/^ser-bot: cannot log in: Discord rejected DISCORD_TOKEN; reset it/);
      expect(running.stderr() + JSON.stringify(running.lines)).not.toContain(FAKE_TOKEN);
    } finally {
      await emu.stop();
    }
  });
});

describe('a running bot', () => {
  let emu: DiscordEmulator;
  beforeAll(async () => {
    emu = await new DiscordEmulator().start();
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('logs a health line, then on SIGTERM refuses new work, finishes what is in flight, and exits 0', async () => {
    running = start({
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_CLIENT_ID: emu.world.appId,
      DISCORD_API_URL: emu.apiUrl,
      SER_BOT_TEST_ATTACHMENT_ORIGIN: new URL(emu.apiUrl).origin,
      MODEL_PATH: SHIPPED_MODEL,
      ANALYSIS_WORKERS: '1',
      DOWNLOAD_TIMEOUT_SECONDS: '3',
      SHUTDOWN_TIMEOUT_SECONDS: '20',
    });
    const health = await until(() => {
      if (running!.child.exitCode !== null) throw new Error(`the bot exited early: ${running!.stderr()}`);
      return running!.lines.find((l) => l.msg === 'ser-bot ready');
    }, 'the health line');
    expect(health).toMatchObject({
      health: 'ok',
      intents: ['Guilds', 'GuildVoiceStates'],
      limits: { maxAttachmentMb: 8, maxAudioSec: 120, cooldownSec: 10, maxConcurrent: 2, maxQueued: 20, downloadTimeoutMs: 3000 },
      workers: 1,
      restApi: emu.apiUrl,
    });
    expect(health.model.version).toEqual(expect.any(String));
    expect(health.model.split).toEqual(expect.any(String));
    expect(JSON.stringify(running.lines)).not.toContain(FAKE_TOKEN);

    // In flight: deferred, stuck downloading a file that never finishes (it times out after 3 s).
    const slow = emu.addAttachment('slow.ogg', await speechNote(3), { contentType: 'audio/ogg', mode: 'hang' });
    const inflight = emu.interact(analyzeCommand(emu.world, slow));
    await emu.waitFor(() => emu.callsFor(inflight.token).length > 0, 10_000, 'the deferral');

    running.child.kill('SIGTERM');
    await until(() => running!.lines.find((l) => l.msg?.startsWith('shutting down')), 'shutdown to start', 60_000);
    const late = emu.addAttachment('late.ogg', await speechNote(3), { contentType: 'audio/ogg' });
    const refused = await emu.waitForOutcome(emu.interact(analyzeCommand(emu.world, late)).token);
    expect(errorTitle(refused)).toBe('Restarting');

    const finished = await emu.waitForOutcome(inflight.token, 15_000);
    expect(errorTitle(finished)).toBe('Download timed out');
    expect(await running.exit).toBe(0);
    expect(running.lines.at(-1).msg).toBe('ser-bot stopped');
  }, 120_000); // a real process on a shared two-core machine: starting and stopping can take a while
});
