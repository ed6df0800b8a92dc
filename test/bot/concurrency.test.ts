// 20 /analyze at once through the emulator: every one answered exactly once, the concurrency cap held.
import { afterEach, expect, it, vi } from 'vitest';
import { errorTitle, startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { analyzeCommand } from '../emulator/payloads.js';
import { ravdessClips, speechNote } from '../emulator/voice-note.js';

let h: EmulatedBot | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function burst(bot: EmulatedBot, n: number) {
  const note = await speechNote(5, ravdessClips({ actor: 12 }));
  const payloads = Array.from({ length: n }, (_, k) => {
    const att = bot.emu.addAttachment(`voice-${k}.ogg`, note, { contentType: 'audio/ogg' });
    return analyzeCommand(bot.emu.world, att); // a different user each time: cooldowns do not apply
  });
  payloads.forEach((p) => bot.emu.interact(p));
  const outcomes = await Promise.all(payloads.map((p) => bot.emu.waitForOutcome(p.token, 120_000)));
  for (const p of payloads) {
    // Exactly one initial response per interaction: nothing answered twice, nothing dropped.
    expect(bot.emu.callsFor(p.token).filter((c) => c.route.endsWith('/callback'))).toHaveLength(1);
  }
  return outcomes;
}

it('answers 20 concurrent requests with a result each, never running more than the cap at once', async () => {
  h = await startEmulatedBot({ MAX_CONCURRENT_ANALYSES: '2', MAX_QUEUED_ANALYSES: '20' });
  const outcomes = await burst(h, 20);
  expect(outcomes.every((o) => o.via === 'edit' && o.embeds[0].fields.some((f: any) => f.name === 'Top 3'))).toBe(true);
  expect(h.bot.services.gate.stats.peakActive).toBe(2);
  // Slots are released just after the last reply is sent.
  await vi.waitFor(() => expect(h!.bot.services.gate.stats).toMatchObject({ active: 0, queued: 0 }));
});

it('beyond the cap and the queue, answers at once that it is busy and when to retry', async () => {
  h = await startEmulatedBot({ MAX_CONCURRENT_ANALYSES: '1', MAX_QUEUED_ANALYSES: '3' });
  const outcomes = await burst(h, 20);
  const analyzed = outcomes.filter((o) => o.via === 'edit');
  const busy = outcomes.filter((o) => errorTitle(o) === 'Busy right now');
  expect(analyzed.length + busy.length).toBe(20);
  expect(analyzed.length).toBeGreaterThanOrEqual(4); // the running one and the three queued
  expect(busy.length).toBeGreaterThan(0);
  for (const o of busy) {
    expect(o).toMatchObject({ via: 'callback', deferred: false, ephemeral: true });
    expect(o.embeds[0].description).toMatch(/try again in \d+ s/);
  }
  expect(h.bot.services.gate.stats.peakActive).toBe(1);
});
