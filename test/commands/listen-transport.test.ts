// /listen against a hostile network: both encryption modes, datagrams of every length from anyone, and a bot that cannot decrypt.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getVoiceConnection } from '@discordjs/voice';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listenContext } from '../../src/bot/voice/registry.js';
import type { ListenSession } from '../../src/bot/voice/session.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { slashCommand, snowflake } from '../emulator/payloads.js';
import { ravdessClips } from '../emulator/voice-note.js';
import { FakeVoiceServer, MODE, XCHACHA_MODE } from '../voice/fake-voice-server.js';
import { opusFrames } from '../voice/opus-speech.js';
import { selfSignedCert, trust } from '../voice/tls.js';

let h: EmulatedBot;
let voice: FakeVoiceServer;
let dir: string;
let speech: Buffer[] = [];
const alice = { id: snowflake(), name: 'alice', ssrc: 5151 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-listen-net-'));
  const tls = selfSignedCert();
  trust(tls.cert);
  voice = await new FakeVoiceServer(tls).start();
  h = await startEmulatedBot({ OPTOUT_PATH: join(dir, 'optout.json'), LISTEN_SILENCE_MS: '600' });
  h.emu.voiceEndpoint = voice.endpoint;
  h.emu.setVoiceState(alice.id, h.emu.world.voiceChannelId, { username: alice.name });
  speech = await opusFrames(ravdessClips({ actor: 9, emotion: '05', intensity: '02' }).slice(0, 1)); // ~3.5 s, angry
});

afterAll(async () => {
  await h?.stop();
  await voice?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function session(): ListenSession | undefined {
  return listenContext(h.bot.services, h.bot.client).sessions.get(h.emu.world.guildId);
}

async function startListening(): Promise<ListenSession> {
  const p = h.emu.interact(slashCommand(h.emu.world, 'listen', { userId: alice.id, username: alice.name }));
  await h.emu.waitForOutcome(p.token);
  await voice.waitReady();
  await vi.waitFor(() => expect(getVoiceConnection(h.emu.world.guildId)?.state.status).toBe('ready'), { timeout: 15_000 });
  return session()!;
}

async function stopListening(): Promise<void> {
  h.emu.interact(slashCommand(h.emu.world, 'stop', { userId: alice.id, username: alice.name }));
  await vi.waitFor(() => expect(session()).toBeUndefined(), { timeout: 15_000 });
}

function posted(title: RegExp) {
  return h.emu.posted().filter((m) => title.test(m.embeds[0]?.title ?? ''));
}

const endedLog = (): any => h.logs.findLast((l) => l.msg === 'listen session ended');

describe('/listen in both voice encryption modes', () => {
  // Discord requires clients to support XChaCha20-Poly1305; AES-256-GCM is the optional one.
  it.each([
    ['aead_xchacha20_poly1305_rtpsize', [XCHACHA_MODE]],
    ['aead_aes256_gcm_rtpsize', [MODE]],
    ['xchacha offered first', [XCHACHA_MODE, MODE]],
  ] as const)('%s: the bot selects it and the speech is analyzed', async (_name, modes) => {
    voice.modes = [...modes];
    try {
      const s = await startListening();
      expect(voice.selectedModes.at(-1)).toBe(modes[0]);
      await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 10 });
      await vi.waitFor(() => expect(s.speakers.get(alice.id)?.utterances).toBe(1), { timeout: 15_000 });
      await stopListening();
      expect(endedLog()).toMatchObject({ utterances: 1, streamErrors: 0, deaf: false, assembly: { badFrames: 0 } });
    } finally {
      voice.modes = [MODE, XCHACHA_MODE];
    }
  });
});

/** Every length 0–64: random bytes, and RTP-looking headers (v2, PT 120, the speaker's ssrc, X and P bits) with random or no bodies. */
function hostileDatagrams(ssrc: number): Buffer[] {
  const out: Buffer[] = [];
  for (let len = 0; len <= 64; len++) {
    out.push(randomBytes(len));
    for (const first of [0x80, 0x90, 0xb0]) {
      const crafted = randomBytes(len);
      const header = Buffer.alloc(16);
      header[0] = first; // 0x90: extension; 0xb0: extension and padding
      header[1] = 0x78;
      header.writeUInt16BE(len, 2);
      header.writeUInt32BE(len * 960, 4);
      header.writeUInt32BE(ssrc, 8);
      header.set([0xbe, 0xde, 0xff, 0xff], 12); // an extension claiming 65535 words
      header.copy(crafted, 0, 0, Math.min(len, 16));
      out.push(crafted);
    }
  }
  return out;
}

describe('/listen and hostile datagrams', () => {
  it('every length 0–64, random and crafted, from the voice server and from a foreign address: process and session survive, speech after them is analyzed', async () => {
    const s = await startListening();
    const datagrams = hostileDatagrams(alice.ssrc);
    voice.announce(alice.id, alice.ssrc); // crafted headers carry a known ssrc, so they reach the parser
    for (const from of ['server', 'foreign'] as const) {
      for (const [i, d] of datagrams.entries()) {
        await voice.sendRaw(d, from);
        // Let the receiver read: a socket's buffer holds about 250 small datagrams, and the bot shares this event loop.
        if (i % 16 === 15) await sleep(5);
      }
    }
    await sleep(300);
    expect(s.stats.foreignDatagrams).toBe(datagrams.length);
    expect(s.stats.malformedDatagrams).toBeGreaterThanOrEqual(4 * 12); // lengths 0–11 in every variant
    expect(session()).toBe(s);
    expect(getVoiceConnection(h.emu.world.guildId)?.state.status).toBe('ready');

    // Valid packets from a foreign address are dropped too (anyone could replay captured audio).
    const before = s.stats.foreignDatagrams;
    await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 10, from: 'foreign' });
    await sleep(900);
    expect(s.stats.foreignDatagrams - before).toBe(speech.length);
    expect(s.speakers.get(alice.id)?.utterances ?? 0).toBe(0);
    await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 10 });
    await vi.waitFor(() => expect(s.speakers.get(alice.id)?.utterances).toBe(1), { timeout: 15_000 });
    await stopListening();
    expect(endedLog()).toMatchObject({ reason: 'stopped', utterances: 1, deaf: false });
  });
});

describe('/listen when the bot cannot hear', () => {
  it('every packet fails to decrypt: a warning with counts, one fresh join, then the channel is told once; the summary does not say nobody spoke', async () => {
    await startListening();
    const joins = voice.identifies.length;
    const all = speech.map((_, i) => i);
    await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 20, corrupt: all });
    await vi.waitFor(() => expect(voice.identifies.length).toBe(joins + 1), { timeout: 15_000 });
    const warning = h.logs.find((l) => l.msg?.startsWith('speech arrives but nothing decodes'));
    expect(warning).toMatchObject({ level: 40, userId: alice.id, undecodable: 0 });
    expect(warning.decryptFailures).toBeGreaterThanOrEqual(25);
    expect(warning.seconds).toBeGreaterThanOrEqual(3);
    expect(posted(/cannot hear/)).toHaveLength(0); // not before the fresh join has had its chance

    await voice.waitReady();
    await vi.waitFor(() => expect(getVoiceConnection(h.emu.world.guildId)?.state.status).toBe('ready'), { timeout: 15_000 });
    await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 20, corrupt: all });
    await vi.waitFor(() => expect(posted(/cannot hear/)).toHaveLength(1), { timeout: 10_000 });
    expect(posted(/cannot hear/)[0]!.embeds[0].description).toContain(`<#${h.emu.world.voiceChannelId}>`);
    expect(h.logs.some((l) => l.msg === 'still cannot hear after joining again: telling the channel' && l.level === 40)).toBe(true);

    // It persists: no second notice, no second fresh join.
    await voice.speak(alice.id, alice.ssrc, speech, { intervalMs: 20, corrupt: all });
    await sleep(300);
    expect(posted(/cannot hear/)).toHaveLength(1);
    expect(voice.identifies.length).toBe(joins + 1);

    await stopListening();
    const summary = posted(/Session summary/).at(-1)!.embeds[0];
    expect(summary.description).toMatch(/I could not hear anyone: audio arrives but I cannot decrypt or decode it/);
    expect(summary.description).not.toMatch(/Nobody spoke/);
    expect(endedLog()).toMatchObject({ deaf: true, utterances: 0 });
    expect(endedLog().streamErrors).toBeGreaterThan(300);
  });
});
