// The emulator itself: a real discord.js Client logs in with the bot's intents, and calls are recorded as Discord would see them.
import { AttachmentBuilder, Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { afterEach, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.js';
import { FAKE_TOKEN } from './harness.js';
import { analyzeCommand } from './payloads.js';

let emu: DiscordEmulator | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  await emu?.stop();
});

it('lets a real Client log in, routes its REST calls, and serves attachments', async () => {
  emu = await new DiscordEmulator().start();
  client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates], rest: { api: emu.apiUrl } });
  const ready = new Promise<Client<true>>((r) => client!.once(Events.ClientReady, r));
  client.on(Events.InteractionCreate, async (i) => {
    if (!i.isChatInputCommand()) return;
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    const bytes = new Uint8Array(await (await fetch(i.options.getAttachment('audio', true).url)).arrayBuffer());
    await i.editReply(`got ${bytes.byteLength} bytes`);
  });
  await client.login(FAKE_TOKEN);
  const me = await ready;
  expect(me.user.id).toBe(emu.world.bot.id);
  expect(me.guilds.cache.get(emu.world.guildId)?.channels.cache.size).toBe(3);
  expect(emu.identify).toMatchObject({ token: FAKE_TOKEN, intents: 129 });

  const att = emu.addAttachment('x.ogg', new Uint8Array(1234), { contentType: 'audio/ogg' });
  const p = emu.interact(analyzeCommand(emu.world, att));
  const o = await emu.waitForOutcome(p.token);
  expect(o).toMatchObject({ via: 'edit', deferred: true, ephemeral: true, content: 'got 1234 bytes' });
  expect(o.latencyMs).toBeGreaterThan(0);
  expect(emu.calls.find((c) => c.route === '/gateway/bot')!.auth).toBe(`Bot ${FAKE_TOKEN}`);
  // Interaction responses go through the webhook without the bot token, as on Discord.
  expect(o.calls.every((c) => c.auth === undefined)).toBe(true);
});

it('answers unknown routes with a Discord-style 404', async () => {
  emu = await new DiscordEmulator().start();
  const res = await fetch(`${emu.apiUrl}/v10/channels/1/messages`);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ code: 0, message: '404: Not Found' });
  expect(emu.calls.at(-1)).toMatchObject({ method: 'GET', route: '/channels/1/messages' });
});

it('parses multipart uploads from discord.js: channel posts, edits and interaction replies keep their files byte for byte', async () => {
  emu = await new DiscordEmulator().start();
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.apiUrl } });
  const ready = new Promise<Client<true>>((r) => client!.once(Events.ClientReady, r));
  await client.login(FAKE_TOKEN);
  await ready;
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) & 255)); // every byte value, CR and LF included
  const channel = client.channels.cache.get(emu.world.textChannelId);
  if (!channel?.isSendable()) throw new Error('text channel not cached');
  const sent = await channel.send({ embeds: [{ title: 'with a file' }], files: [new AttachmentBuilder(bytes, { name: 'a.bin', description: 'bytes' })] });
  const posted = emu.channelMessages.get(sent.id)!;
  expect(posted.embeds[0].title).toBe('with a file');
  expect(posted.files.map((f) => f.filename)).toEqual(['a.bin']);
  expect(posted.files[0]!.bytes.equals(bytes)).toBe(true);
  // What came back is a message with that attachment, as Discord answers.
  expect(sent.attachments.first()!.name).toBe('a.bin');
  expect(sent.attachments.first()!.size).toBe(bytes.byteLength);
  await sent.edit({ files: [new AttachmentBuilder(bytes.subarray(0, 10), { name: 'b.bin' })] });
  expect(posted.files[0]!.bytes.equals(bytes.subarray(0, 10))).toBe(true);
  expect(posted.edits).toBe(1);
});
