// /about end to end: the model card's headline metrics with their split, privacy and limits.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readModel } from '../../src/core/model/io.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { slashCommand } from '../emulator/payloads.js';

let h: EmulatedBot;
beforeAll(async () => {
  h = await startEmulatedBot({ MAX_ATTACHMENT_MB: '5', MAX_AUDIO_SECONDS: '90', COOLDOWN_SECONDS: '12' });
});
afterAll(async () => {
  await h?.stop();
});

it('/about shows the model card metrics with how they were measured, privacy and limits, privately', async () => {
  const card = (await readModel(h.bot.services.config.modelPath)).card;
  const o = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'about')).token);
  expect(o).toMatchObject({ via: 'callback', ephemeral: true });
  const e = o.embeds[0];
  const field = (name: string): string => e.fields.find((f: any) => f.name === name).value;
  expect(field('Emotions').split(' · ')).toHaveLength(7);
  const quality = field('How good is it?');
  expect(quality).toContain(`Accuracy **${Math.round(card.metrics.accuracy * 100)} %**`);
  expect(quality).toContain(`macro-F1 **${Math.round(card.metrics.macroF1 * 100)} %**`);
  expect(quality).toContain(`(ECE) **${Math.round(card.metrics.ece * 100)} %**`);
  expect(quality).toContain(`Measured with ${card.split}`);
  expect(field('Privacy')).toMatch(/in memory and never stored/);
  expect(field('Limits')).toContain('Files up to 5 MB and 90 s of audio; one request every 12 s per person.');
  expect(e.footer.text).toContain(card.version);
});
