// /settings end to end: admins only, and /listen honours what they chose (role gate, transcription switch, minutes, language).
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { data as settingsData } from '../../src/commands/settings.js';
import { listenContext } from '../../src/bot/voice/registry.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { DEFAULT_APP_PERMISSIONS, slashCommand, snowflake } from '../emulator/payloads.js';
import { ravdessClips } from '../emulator/voice-note.js';
import { FakeTranscriptionServer } from '../transcribe/fake-server.js';
import { FakeVoiceServer } from '../voice/fake-voice-server.js';
import { opusFrames } from '../voice/opus-speech.js';
import { selfSignedCert, trust } from '../voice/tls.js';

let h: EmulatedBot;
let voice: FakeVoiceServer;
let stt: FakeTranscriptionServer;
let angry: Buffer[] = [];
const ADMIN = DEFAULT_APP_PERMISSIONS | PermissionFlagsBits.ManageGuild;
const admin = { id: snowflake(), name: 'admin' };
const member = { id: snowflake(), name: 'member' };

beforeAll(async () => {
  const tls = selfSignedCert();
  trust(tls.cert);
  voice = await new FakeVoiceServer(tls).start();
  stt = await new FakeTranscriptionServer().start();
  h = await startEmulatedBot({ LISTEN_SILENCE_MS: '600', TRANSCRIBE_URL: stt.baseUrl, LISTEN_MAX_MINUTES: '60' });
  h.emu.voiceEndpoint = voice.endpoint;
  for (const u of [admin, member]) h.emu.setVoiceState(u.id, h.emu.world.voiceChannelId, { username: u.name });
  angry = await opusFrames(ravdessClips({ actor: 9, emotion: '05', intensity: '02' }).slice(0, 1));
});

afterAll(async () => {
  await h?.stop();
  await voice?.stop();
  await stt?.stop();
});

const session = () => listenContext(h.bot.services, h.bot.client).sessions.get(h.emu.world.guildId);

function settings(options: unknown[], who = admin, perms = ADMIN, resolved?: unknown) {
  return h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'settings', { userId: who.id, username: who.name, memberPermissions: perms, options, resolved })).token);
}

function listen(who: { id: string; name: string }, options: unknown[] = [], roles: string[] = []) {
  return h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'listen', { userId: who.id, username: who.name, options, roles })).token);
}

async function stop(): Promise<void> {
  if (!session()) return;
  h.emu.interact(slashCommand(h.emu.world, 'stop', { userId: admin.id, username: admin.name }));
  await vi.waitFor(() => expect(session()).toBeUndefined(), { timeout: 15_000 });
}

const roleOption = () => ({
  options: [{ name: 'listen_role', type: 8, value: h.emu.world.roleId }],
  resolved: { roles: { [h.emu.world.roleId]: { id: h.emu.world.roleId, name: 'Listeners', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 } } },
});

describe('/settings is for admins', () => {
  it('is registered for Manage Server only (default_member_permissions), in servers only', () => {
    const json = settingsData.toJSON();
    expect(json.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(json.contexts).toEqual([0]);
  });

  it('refuses a member without Manage Server, even if the command reached them, and changes nothing', async () => {
    const o = await settings([{ name: 'transcription', type: 5, value: false }], member, DEFAULT_APP_PERMISSIONS);
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    expect(o.embeds[0].title).toMatch(/Admins only/);
    expect((await h.bot.services.store.guildSettings(h.emu.world.guildId)).transcribeAllowed).toBe(true);
  });

  it('without options shows the current settings (defaults), privately', async () => {
    const o = await settings([]);
    expect(o).toMatchObject({ via: 'callback', ephemeral: true });
    const fields = Object.fromEntries(o.embeds[0].fields.map((f: any) => [f.name, f.value]));
    expect(fields['Who may start /listen']).toBe('everyone');
    expect(fields['Session length']).toMatch(/10 minutes by default, at most 60/);
  });

  it('rejects a default longer than the maximum and a bad language code, naming the problem', async () => {
    const a = await settings([{ name: 'default_minutes', type: 4, value: 30 }, { name: 'max_minutes', type: 4, value: 20 }]);
    expect(a.embeds[0].description).toMatch(/cannot be longer than the maximum \(20 minutes\)/);
    const b = await settings([{ name: 'language', type: 3, value: 'e1' }]);
    expect(b.embeds[0].description).toMatch(/not a language code/);
    expect(await h.bot.services.store.guildSettings(h.emu.world.guildId)).toMatchObject({ defaultMinutes: null, maxMinutes: null, language: null });
  });
});

describe('/listen honours /settings', () => {
  it('role gate: only members with the role (or server managers) may start /listen; listen_everyone lifts it', async () => {
    const { options, resolved } = roleOption();
    const saved = await settings(options, admin, ADMIN, resolved);
    expect(saved.content).toMatch(/Saved/);
    expect(saved.embeds[0].fields[0].value).toContain(`<@&${h.emu.world.roleId}>`);

    const refused = await listen(member);
    expect(refused).toMatchObject({ via: 'callback', ephemeral: true });
    expect(refused.embeds[0].title).toBe('⚠️ Not allowed here');
    expect(refused.embeds[0].description).toContain(`<@&${h.emu.world.roleId}>`);
    expect(session()).toBeUndefined();

    const allowed = await listen(member, [], [h.emu.world.roleId]);
    expect(allowed).toMatchObject({ via: 'edit', ephemeral: false });
    await vi.waitFor(() => expect(session()).toBeDefined());
    await stop();

    await settings([{ name: 'listen_everyone', type: 5, value: true }]);
    const open = await listen(member);
    expect(open.via).toBe('edit');
    await vi.waitFor(() => expect(session()).toBeDefined());
    await stop();
  });

  it('transcription switch: off means no upload even when asked, and the notice says why; the language is sent when set', async () => {
    await settings([{ name: 'transcription', type: 5, value: false }]);
    const before = stt.uploads.length;
    const o = await listen(admin, [{ name: 'transcribe', type: 5, value: true }]);
    expect(JSON.stringify(o.embeds)).toMatch(/admins turned transcription off/);
    await voice.waitReady();
    await voice.speak(admin.id, 5151, angry, { intervalMs: 10 });
    await vi.waitFor(() => expect(session()!.speakers.get(admin.id)?.utterances).toBe(1), { timeout: 15_000 });
    expect(stt.uploads.length).toBe(before);
    await stop();

    await settings([{ name: 'transcription', type: 5, value: true }, { name: 'language', type: 3, value: 'DE' }]);
    const on = await listen(admin, [{ name: 'transcribe', type: 5, value: true }]);
    expect(JSON.stringify(on.embeds)).toMatch(/Transcripts are on/);
    await voice.waitReady();
    await voice.speak(admin.id, 5151, angry, { intervalMs: 10 });
    await vi.waitFor(() => expect(stt.uploads.length).toBe(before + 1), { timeout: 15_000 });
    expect(stt.uploads.at(-1)!.fields.language).toBe('de');
    await stop();
  });

  it('minutes: the server default is used, and its maximum caps what is asked (never above the bot’s own)', async () => {
    await settings([{ name: 'default_minutes', type: 4, value: 5 }, { name: 'max_minutes', type: 4, value: 15 }]);
    const def = await listen(admin);
    expect(JSON.stringify(def.embeds)).toMatch(/for up to 5 minutes/);
    await vi.waitFor(() => expect(session()).toBeDefined());
    await stop();
    const capped = await listen(admin, [{ name: 'minutes', type: 4, value: 45 }]);
    expect(capped.content).toMatch(/Listening for 15 minutes \(the longest allowed here is 15 minutes\)/);
    await vi.waitFor(() => expect(session()).toBeDefined());
    await stop();
  });
});
