// /about end to end: the model card's headline metrics with their split, privacy and limits.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RELIABILITY_NAME } from '../../src/commands/about.js';
import { CARD } from '../../src/charts/palette.js';
import { reliabilitySvg } from '../../src/charts/report.js';
import { rasterize } from '../../src/charts/raster.js';
import { colorDistance, decodePng, diffShare, rgb } from '../helpers/png.js';
import { readModel } from '../../src/core/model/io.js';
import { SHIPPED_MODEL, startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { DEFAULT_APP_PERMISSIONS, slashCommand } from '../emulator/payloads.js';

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
  expect(field('Privacy')).toMatch(/end-to-end encrypted .* to the bot, which .* decrypts it in memory only/);
  expect(field('Limits')).toContain('Files up to 5 MB and 90 s of audio; one request every 12 s per person.');
  expect(e.footer.text).toContain(card.version);
});

it('/about attaches the reliability diagram of the loaded model (drawn from its training report), shown in the embed', async () => {
  const o = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'about')).token);
  expect(o.files.map((f) => [f.filename, f.contentType])).toEqual([[RELIABILITY_NAME, 'image/png']]);
  expect(o.embeds[0].image.url).toBe(`attachment://${RELIABILITY_NAME}`);
  expect(o.embeds[0].fields.find((f: any) => f.name === 'Confidence').value).toMatch(/diagram below/);
  const img = decodePng(o.files[0]!.bytes);
  // The same picture as the shipped report's numbers drawn here, and the card's colours.
  const report = (await import('../../models/report/metrics.json', { with: { type: 'json' } })).default as any;
  const expected = decodePng(rasterize(reliabilitySvg(report.raw.reliability, report.calibrated.reliability)).png);
  expect([img.width, img.height]).toEqual([expected.width, expected.height]);
  expect(diffShare(img, expected, 8)).toBe(0);
  expect(colorDistance(img.at(img.width / 2, 8), rgb(CARD.background))).toBe(0);
  // Drawn once, then kept: a second /about uploads the same bytes.
  const again = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'about')).token);
  expect(again.files[0]!.bytes.equals(o.files[0]!.bytes)).toBe(true);
});

it('/about without Attach Files, or for a model with no training report beside it: the text alone', async () => {
  const perms = DEFAULT_APP_PERMISSIONS & ~PermissionFlagsBits.AttachFiles;
  const o = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'about', { appPermissions: perms })).token);
  expect(o.files).toEqual([]);
  expect(o.embeds[0].image).toBeUndefined();
  expect(o.embeds[0].fields.find((f: any) => f.name === 'Confidence').value).not.toMatch(/diagram/);

  const dir = mkdtempSync(join(tmpdir(), 'ser-about-'));
  copyFileSync(SHIPPED_MODEL, join(dir, 'model.json.gz'));
  const other = await startEmulatedBot({ MODEL_PATH: join(dir, 'model.json.gz') });
  try {
    const o2 = await other.emu.waitForOutcome(other.emu.interact(slashCommand(other.emu.world, 'about')).token);
    expect(o2).toMatchObject({ via: 'callback', ephemeral: true });
    expect(o2.files).toEqual([]);
    expect(other.logs.some((l) => /no training report beside the model/.test(l.msg))).toBe(true);
  } finally {
    await other.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('/about says where audio goes for a transcript, for each command that can ask for one, when speech-to-text is set up', async () => {
  const withStt = await startEmulatedBot({ TRANSCRIBE_URL: 'http://127.0.0.1:9/v1' });
  try {
    const o = await withStt.emu.waitForOutcome(withStt.emu.interact(slashCommand(withStt.emu.world, 'about')).token);
    const privacy = o.embeds[0].fields.find((f: any) => f.name === 'Privacy').value;
    expect(privacy).toMatch(/`\/analyze transcribe:true`, \*\*Analyze emotion\*\* and `\/listen transcribe:true`\), the decoded audio is also sent to the speech-to-text service at 127\.0\.0\.1:9/);
  } finally {
    await withStt.stop();
  }
  const o = await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'about')).token);
  expect(o.embeds[0].fields.find((f: any) => f.name === 'Privacy').value).not.toMatch(/speech-to-text/);
});
