// SHUTDOWN_TIMEOUT_SECONDS is the whole graceful stop, not each of its stages: a /listen session whose summary never
// posts and an analysis whose download never ends share one deadline.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { listenContext } from '../../src/bot/voice/registry.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { analyzeCommand, slashCommand, snowflake } from '../emulator/payloads.js';
import { speechNote } from '../emulator/voice-note.js';

let h: EmulatedBot;
beforeAll(async () => {
  h = await startEmulatedBot({ SHUTDOWN_TIMEOUT_SECONDS: '2', DOWNLOAD_TIMEOUT_SECONDS: '60' });
});
afterAll(async () => {
  h.emu.hangChannelPosts = false;
  await h?.stop();
});

it('a summary that never posts and a download that never ends: the stop still ends at the one deadline', async () => {
  const alice = { id: snowflake(), name: 'alice' };
  h.emu.voiceEndpoint = null; // the join waits: the session exists, and stopping it posts a summary
  h.emu.setVoiceState(alice.id, h.emu.world.voiceChannelId, { username: alice.name });
  h.emu.interact(slashCommand(h.emu.world, 'listen', { userId: alice.id, username: alice.name }));
  await vi.waitFor(() => expect(listenContext(h.bot.services, h.bot.client).sessions.size).toBe(1));
  h.emu.hangChannelPosts = true;
  const slow = h.emu.addAttachment('slow.ogg', await speechNote(3), { contentType: 'audio/ogg', mode: 'hang' });
  const inflight = h.emu.interact(analyzeCommand(h.emu.world, slow, { private: true }));
  await h.emu.waitFor(() => h.emu.callsFor(inflight.token).length > 0, 10_000, 'the deferral');

  const t0 = performance.now();
  await h.bot.stop();
  const ms = performance.now() - t0;
  // Each stage with its own 2 s took 4 s and more; one deadline for all is 2 s and the closing steps.
  expect(ms).toBeGreaterThanOrEqual(1_900);
  expect(ms).toBeLessThan(3_800);
  expect(h.logs.some((l) => l.msg === 'shutdown deadline reached; abandoning analyses')).toBe(true);
  expect(h.emu.calls.some((c) => c.method === 'POST' && c.route === `/channels/${h.emu.world.textChannelId}/messages`)).toBe(true); // the summary was tried
});
