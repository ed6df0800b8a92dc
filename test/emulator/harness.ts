// Runs the real bot (real core, real model, real discord.js Client) against the loopback emulator, in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type RunningBot } from '../../src/bot/app.js';
import { loadConfig } from '../../src/bot/config.js';
import { allowTestAttachmentOrigins } from '../../src/bot/download.js';
import { captureLogs } from '../bot/fixtures/log-capture.js';
import { DiscordEmulator } from './emulator.js';

/** The model the repository ships: end-to-end tests use it, never a stand-in. */
export const SHIPPED_MODEL = fileURLToPath(new URL('../../models/ser-model.bin', import.meta.url));

/** Shaped like a bot token so config validation passes; the emulator accepts any token. */
export const FAKE_TOKEN = 'MTAxMDEwMTAxMDEwMTAxMDEw.GxYzAb.emulator-token-not-a-secret-000000';

export interface EmulatedBot {
  emu: DiscordEmulator;
  bot: RunningBot;
  /** Every JSON log line the bot wrote. */
  logs: any[];
  /** The same lines as written. */
  rawLogs: string[];
  stop(): Promise<void>;
}

/** The settings a test bot needs to log into `emu` with the shipped model, one worker and no cooldown. */
export function emulatorEnv(emu: DiscordEmulator): Record<string, string> {
  return { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: emu.world.appId, DISCORD_API_URL: emu.apiUrl, MODEL_PATH: SHIPPED_MODEL, ANALYSIS_WORKERS: '1', COOLDOWN_SECONDS: '0' };
}

export async function startEmulatedBot(env: Record<string, string> = {}): Promise<EmulatedBot> {
  const emu = await new DiscordEmulator().start();
  // The emulator serves attachments on loopback http; the bot fetches only Discord's CDN otherwise.
  allowTestAttachmentOrigins([new URL(emu.apiUrl).origin]);
  // Each bot gets its own store (unless the test names one), so tests never share or leave a data/ folder.
  const dataDir = mkdtempSync(join(tmpdir(), 'ser-bot-data-'));
  const config = loadConfig({
    ...emulatorEnv(emu),
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    SHUTDOWN_TIMEOUT_SECONDS: '5',
    DATABASE_URL: `sqlite:${join(dataDir, 'ser-bot.db')}`,
    ...env,
  });
  const { log, lines: logs, raw: rawLogs } = captureLogs(config.logLevel);
  const bot = await startBot(config, { log, ffmpegPath: null }).catch(async (e) => {
    await emu.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  await emu.ready;
  return {
    emu,
    bot,
    logs,
    rawLogs,
    async stop() {
      await bot.stop();
      await emu.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The title of the single error embed the user saw (without the ⚠️), or a description of what came instead. */
export function errorTitle(o: { embeds: any[] }): string {
  if (o.embeds.length !== 1) return `<${o.embeds.length} embeds>`;
  return String(o.embeds[0].title ?? '').replace(/^⚠️ /, '');
}
