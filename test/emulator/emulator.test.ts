// The emulator itself: a real discord.js Client logs in with the bot's intents, and calls are recorded as Discord would see them.
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
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
