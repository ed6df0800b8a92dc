// /listen under end-to-end encryption: the real bot joins a loopback voice server that speaks DAVE (MLS external
// sender, test/voice/dave-server.ts) and speakers who are real DAVE clients (@snazzah/davey). Every frame on the
// wire is DAVE ciphertext inside transport encryption; each answer must equal the CLI's on the same clip.
import { DAVE_PROTOCOL_VERSION } from '@snazzah/davey';
import { getVoiceConnection } from '@discordjs/voice';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { EMOJI } from '../../src/core/emotions.js';
import { readModel } from '../../src/core/model/io.js';
import { pcm } from '../../src/core/pcm.js';
import { listenContext } from '../../src/bot/voice/registry.js';
import { groupedCode } from '../../src/bot/voice/render.js';
import type { ListenSession } from '../../src/bot/voice/session.js';
import { createDecoder, UtteranceAssembler } from '../../src/bot/voice/utterance.js';
import { startEmulatedBot, type EmulatedBot } from '../emulator/harness.js';
import { slashCommand, snowflake } from '../emulator/payloads.js';
import { ravdessClips } from '../emulator/voice-note.js';
import { DaveCall, OP } from '../voice/dave-server.js';
import { FakeVoiceServer } from '../voice/fake-voice-server.js';
import { opusFrames } from '../voice/opus-speech.js';
import { selfSignedCert, trust } from '../voice/tls.js';

let h: EmulatedBot;
let voice: FakeVoiceServer;
let call: DaveCall;
const speech: Record<'angry' | 'sad' | 'happy' | 'fearful', Buffer[]> = { angry: [], sad: [], happy: [], fearful: [] };

const alice = { id: snowflake(), name: 'alice', ssrc: 1111 };
const bob = { id: snowflake(), name: 'bob', ssrc: 2222 };
const carol = { id: snowflake(), name: 'carol', ssrc: 3333 };
const dan = { id: snowflake(), name: 'dan', ssrc: 4444 };
const erin = { id: snowflake(), name: 'erin', ssrc: 5555 };
const mallory = { id: snowflake(), name: 'mallory', ssrc: 6666 };
const frank = { id: snowflake(), name: 'frank', ssrc: 7777 };

beforeAll(async () => {
  const tls = selfSignedCert();
  trust(tls.cert);
  voice = await new FakeVoiceServer(tls).start();
  h = await startEmulatedBot({ OPTOUT_PATH: '/nonexistent/ser-optout.json', LISTEN_SILENCE_MS: '600' });
  h.emu.voiceEndpoint = voice.endpoint;
  call = await DaveCall.create(voice, h.emu.world.voiceChannelId);
  for (const u of [alice, bob, carol, dan, erin, mallory, frank]) h.emu.setVoiceState(u.id, h.emu.world.voiceChannelId, { username: u.name });
  speech.angry = await opusFrames(ravdessClips({ actor: 9, emotion: '05', intensity: '02' }).slice(0, 1));
  speech.sad = await opusFrames(ravdessClips({ actor: 10, emotion: '04', intensity: '02' }).slice(0, 1));
  speech.happy = await opusFrames(ravdessClips({ actor: 3, emotion: '03', intensity: '02' }).slice(0, 1));
  speech.fearful = await opusFrames(ravdessClips({ actor: 12, emotion: '06', intensity: '02' }).slice(0, 1));
});

afterAll(async () => {
  await h?.stop();
  call?.close();
  await voice?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function session(): ListenSession | undefined {
  return listenContext(h.bot.services, h.bot.client).sessions.get(h.emu.world.guildId);
}

/** The bot's DAVE session wrapper (@discordjs/voice DAVESession) and, inside it, davey's. */
function botDave(): any {
  const s: any = getVoiceConnection(h.emu.world.guildId)?.state;
  return s?.networking?.state?.dave;
}

const botId = () => h.emu.world.bot.id;

/** Speaks `frames` as `who`, each frame DAVE-encrypted with their current key at the moment it is sent. */
function speak(who: { id: string; ssrc: number }, frames: Buffer[], o: { transform?: (f: Buffer) => Buffer } = {}) {
  return voice.speak(who.id, who.ssrc, frames, { intervalMs: 10, transform: o.transform ?? call.encryptor(who.id) });
}

function liveLine(name: string): string | undefined {
  const live = h.emu.posted().findLast((m) => /Live emotion/.test(m.embeds[0]?.title ?? ''));
  return live?.embeds[0]?.description?.split('\n').find((l: string) => l.includes(`**${name}**`));
}

/** What the CLI's core says about these frames, decoded the way the bot decodes them. */
async function coreVerdict(frames: Buffer[]) {
  const a = new UtteranceAssembler(createDecoder());
  frames.forEach((payload) => a.push({ payload, sequence: null, timestamp: null }));
  return analyze(pcm(a.takeMono16k()), await readModel(h.bot.services.config.modelPath), { maxDurationSec: 60, minSpeechSec: 0.5 });
}

/** Waits until `who` has `n` analyzed utterances, then checks the live line says what the core says about `frames`. */
async function expectHeard(who: { id: string; name: string }, n: number, frames: Buffer[], why: () => string = () => '') {
  await vi.waitFor(() => expect(session()!.speakers.get(who.id)?.utterances, why()).toBe(n), { timeout: 20_000 });
  const expected = await coreVerdict(frames);
  const text =
    expected.level === 'uncertain'
      ? `not sure (best guess ${EMOJI[expected.emotion]} ${expected.emotion}`
      : `${EMOJI[expected.emotion]} ${expected.emotion} · ${Math.round(expected.confidence * 100)} %`;
  await vi.waitFor(() => expect(liveLine(who.name), why()).toContain(text), { timeout: 10_000 });
}

/**
 * For failure messages: what reached the bot of `who`'s speech since this call (davey's counters, and the
 * session's receive counters: packets, decoded, lost, dropped, DAVE-looking…, added as each utterance ends).
 * One frame lost or dropped anywhere moves a verdict by up to 11 points (20 ms of a 1.9-s clip); this says which.
 */
function receipt(who: { id: string }, sent: number): () => string {
  const counters = (): Record<string, number> => ({ ...decryptStats(who.id), ...(session() as unknown as { assembly: Record<string, number> }).assembly });
  const from = counters();
  return () => {
    const now = counters();
    return `${sent} frames sent; since then ${JSON.stringify(Object.fromEntries(Object.keys(now).map((k) => [k, now[k]! - (from[k] ?? 0)])))}`;
  };
}

/** The bot is in the server's current epoch, with the same epoch as every simulated member. */
async function botInGroup() {
  await call.settled();
  await vi.waitFor(() => expect(call.isMember(botId())).toBe(true), { timeout: 15_000 });
  await call.settled();
  await vi.waitFor(() => {
    expect(botDave()?.session?.ready).toBe(true);
    expect(botDave().session.epoch).toBe(call.epoch);
    expect(botDave().pendingTransitions.size).toBe(0);
  });
}

function decryptStats(userId: string): { successes: number; failures: number; passthroughs: number } {
  return botDave().session.getDecryptionStats(userId, 0);
}

describe('/listen with DAVE (end-to-end encryption) on', () => {
  it('negotiates DAVE, joins the group two speakers formed before it, shows the privacy code, and analyzes their decrypted speech', async () => {
    await call.join(alice.id);
    await call.join(bob.id);
    expect(call.epoch).toBe(1n);

    const p = h.emu.interact(slashCommand(h.emu.world, 'listen', { userId: alice.id, username: alice.name }));
    const notice = await h.emu.waitForOutcome(p.token);
    await botInGroup();
    // Offered DAVE, the bot took it: protocol version 1 (davey's maximum), in an MLS epoch with both speakers.
    expect(voice.identifies.at(-1)!.max_dave_protocol_version).toBe(DAVE_PROTOCOL_VERSION);
    expect(DAVE_PROTOCOL_VERSION).toBe(1);
    expect(botDave().protocolVersion).toBe(1);
    expect(call.epoch).toBe(2n);
    expect(botDave().session.getUserIds().sort()).toEqual([alice.id, bob.id, botId()].sort());
    // Handshake as the protocol has it: external sender out, key package in, welcome out, ready in, execute out.
    const ops = call.events.filter((e) => e.userId === botId()).map((e) => `${e.dir}:${e.op}`);
    expect(ops.slice(0, 5)).toEqual([`out:${OP.externalSender}`, `in:${OP.keyPackage}`, `out:${OP.welcome}`, `in:${OP.readyForTransition}`, `out:${OP.executeTransition}`]);

    // The notice carries the voice privacy code every member of the call sees.
    const code = call.session(alice.id)!.voicePrivacyCode;
    expect(code).toMatch(/^\d{30}$/);
    expect(botDave().voicePrivacyCode).toBe(code);
    expect(notice.embeds[0].description).toContain(groupedCode(code));

    await speak(alice, speech.angry);
    await sleep(900);
    await speak(bob, speech.sad);
    await expectHeard(alice, 1, speech.angry);
    await expectHeard(bob, 1, speech.sad);
    // Every frame arrived as DAVE ciphertext and was decrypted (none passed through in the clear).
    expect(decryptStats(alice.id)).toMatchObject({ successes: speech.angry.length, failures: 0, passthroughs: 0 });
    expect(decryptStats(bob.id)).toMatchObject({ successes: speech.sad.length, failures: 0, passthroughs: 0 });
  });

  it('a speaker who joins after the bot: a new epoch (the bot processes the commit), and their speech is analyzed', async () => {
    const before = botDave().voicePrivacyCode;
    await call.join(carol.id);
    await botInGroup();
    expect(call.epoch).toBe(3n);
    const mine = call.events.filter((e) => e.userId === botId() && e.op === OP.announceCommit).at(-1)!;
    expect(mine).toMatchObject({ dir: 'out', epoch: 3 });
    expect(call.events).toContainEqual(expect.objectContaining({ dir: 'in', op: OP.readyForTransition, userId: botId(), transitionId: mine.transitionId }));
    // New epoch, new privacy code, the same for everyone.
    expect(botDave().voicePrivacyCode).not.toBe(before);
    expect(botDave().voicePrivacyCode).toBe(call.session(carol.id)!.voicePrivacyCode);

    await speak(carol, speech.happy);
    await expectHeard(carol, 1, speech.happy);
    // The live message shows the current code.
    await vi.waitFor(() => expect(h.emu.posted().findLast((m) => /Live emotion/.test(m.embeds[0]?.title ?? ''))!.embeds[0].footer.text).toContain(groupedCode(botDave().voicePrivacyCode)), { timeout: 10_000 });
  });

  it('a speaker who leaves mid-session: a new epoch without them; the others are still heard', async () => {
    h.emu.setVoiceState(bob.id, null);
    await call.leave(bob.id);
    await botInGroup();
    expect(call.epoch).toBe(4n);
    expect(botDave().session.getUserIds().sort()).toEqual([alice.id, carol.id, botId()].sort());
    await speak(alice, speech.sad);
    await expectHeard(alice, 2, speech.sad);
    expect(session()).toBeDefined();
  });

  it('frames that arrive during a transition (old key, then new key before the transition executes) all decrypt', async () => {
    call.executeDelayMs = 500; // a slow member: the transition stays pending for half a second
    let duringPending = 0;
    let newKeyPending = 0;
    const alicesEpochs = new Set<bigint>();
    const enc = call.encryptor(alice.id);
    const s = call.session(alice.id)!;
    const before = decryptStats(alice.id);
    const seen = receipt(alice, speech.fearful.length);
    const third = Math.floor(speech.fearful.length / 3);
    let sent = 0;
    let joining: Promise<unknown> | null = null;
    await speak(alice, speech.fearful, {
      transform: (f) => {
        // A third into the utterance dan joins: alice's client moves to the new epoch's key mid-sentence, once
        // the bot has taken the commit (the server's op 23 from it) and before op 22.
        if (++sent === third) joining = call.join(dan.id);
        alicesEpochs.add(s.epoch!);
        if (botDave().pendingTransitions.size > 0) {
          duringPending++;
          if (s.epoch === 5n) newKeyPending++;
        }
        return enc(f);
      },
    });
    await joining;
    call.executeDelayMs = 0;
    await botInGroup();
    expect([...alicesEpochs]).toEqual([4n, 5n]);
    expect(duringPending).toBeGreaterThan(5); // frames the library decrypts while it waits for op 22 (a failure there is dropped silently)
    expect(newKeyPending).toBeGreaterThan(5); // among them, frames under the new key before the transition executes
    // Every frame reached the library and decrypted, checked before the verdict (which a single missing frame changes).
    await vi.waitFor(() => expect(decryptStats(alice.id).successes + decryptStats(alice.id).failures - before.successes - before.failures, seen()).toBe(speech.fearful.length), { timeout: 10_000 });
    expect(decryptStats(alice.id).failures - before.failures, seen()).toBe(0);
    await expectHeard(alice, 3, speech.fearful, seen);
  });

  it('a commit the bot must reject: it answers op 31, gets a fresh key package added, and hears again', async () => {
    call.tamperNextCommitToBot = true;
    await call.join(erin.id);
    await call.settled();
    const tampered = call.events.findLast((e) => e.userId === botId() && e.op === OP.announceCommit && e.detail === 'tampered')!;
    expect(tampered).toBeDefined();
    // The bot refused that commit (op 31 with its transition id) and sent a new key package…
    await vi.waitFor(() => expect(call.events).toContainEqual(expect.objectContaining({ dir: 'in', op: OP.invalidCommitWelcome, userId: botId(), transitionId: tampered.transitionId })));
    const i31 = call.events.findIndex((e) => e.dir === 'in' && e.op === OP.invalidCommitWelcome && e.userId === botId());
    expect(call.events.slice(i31).some((e) => e.dir === 'in' && e.op === OP.keyPackage && e.userId === botId())).toBe(true);
    // …so the server removed it and welcomed it back into a later epoch.
    await botInGroup();
    expect(call.events.slice(i31).some((e) => e.dir === 'out' && e.op === OP.welcome && e.userId === botId())).toBe(true);
    expect(botDave().voicePrivacyCode).toBe(call.session(erin.id)!.voicePrivacyCode);
    await speak(erin, speech.angry);
    await expectHeard(erin, 1, speech.angry);
  });

  it('a bad commit, then a bad welcome: the library gives up without a word; the bot notices nothing decodes and joins again', async () => {
    call.tamperNextCommitToBot = true;
    call.tamperNextWelcomeToBot = true;
    call.answerTimeoutMs = 2_000;
    const from = call.events.length;
    const identifies = voice.identifies.length;
    await call.join(frank.id);
    await vi.waitFor(() => expect(call.events.slice(from).some((e) => e.op === OP.welcome && e.detail === 'tampered')).toBe(true), { timeout: 15_000 });
    await call.settled();
    call.answerTimeoutMs = 10_000;
    // @discordjs/voice 0.19.2 answered the bad commit (op 31, new key package) but not the bad welcome: it was still
    // "reinitializing", so recoverFromInvalidTransition returned early. It is out of the group and will stay out.
    const mine = call.events.slice(from).filter((e) => e.userId === botId());
    expect(mine.filter((e) => e.dir === 'in' && e.op === OP.invalidCommitWelcome)).toHaveLength(1);
    expect(mine.filter((e) => e.dir === 'in' && e.op === OP.keyPackage)).toHaveLength(1);
    expect(botDave().session.ready).toBe(false);
    // frank's frames now reach the bot still end-to-end encrypted; after 3 s of nothing decodable it rejoins
    // (the rest of his packets then have no connection to go to).
    await voice.speak(frank.id, frank.ssrc, speech.sad, { intervalMs: 20, transform: call.encryptor(frank.id) }).catch(() => undefined);
    await vi.waitFor(() => expect(voice.identifies.length).toBe(identifies + 1), { timeout: 20_000 });
    expect(h.logs.some((l) => l.msg?.startsWith('speech arrives but nothing decodes'))).toBe(true);
    await botInGroup();
    await speak(frank, speech.happy);
    await expectHeard(frank, 1, speech.happy);
  });

  it('a speaker whose frames cannot be decrypted at all (not in the group) is dropped; the others are still analyzed', async () => {
    // mallory's client is in another MLS group (another external sender): well-formed DAVE frames under keys the bot never gets.
    const elsewhere = await DaveCall.create(new FakeVoiceServer(selfSignedCert()), h.emu.world.voiceChannelId);
    const heardSpeaking = new Set<string>();
    const onStart = (id: string) => heardSpeaking.add(id);
    const receiver = getVoiceConnection(h.emu.world.guildId)!.receiver;
    receiver.speaking.on('start', onStart);
    let malloryPackets = 0;
    const subscribe = receiver.subscribe.bind(receiver);
    const spy = vi.spyOn(receiver, 'subscribe').mockImplementation((id, o) => {
      const stream = subscribe(id, o);
      if (id === mallory.id) stream.on('data', () => malloryPackets++);
      return stream;
    });
    const failedBefore = botDave().session.getDecryptionStats(carol.id, 0).failures;
    try {
      await elsewhere.join(mallory.id);
      await elsewhere.join(snowflake());
      // Both at real-time pace: 3.5 s of mallory's failures (longer than the 3 s the deafness watch waits for),
      // interleaved with carol's successes (alone, 37 failures in a row would make the library re-key, op 31).
      const malloryTalks = voice.speak(mallory.id, mallory.ssrc, speech.happy, { intervalMs: 20, transform: elsewhere.encryptor(mallory.id) });
      const carolTalks = sleep(100).then(() => voice.speak(carol.id, carol.ssrc, speech.sad, { intervalMs: 20, transform: call.encryptor(carol.id) }));
      await Promise.all([malloryTalks, carolTalks]);
      await expectHeard(carol, 2, speech.sad);
      await sleep(1_000);
      expect(session()!.speakers.get(mallory.id)?.utterances ?? 0).toBe(0);
      expect(session()).toBeDefined();
      // The library saw mallory's packets (speaking) but dropped every frame before the stream: nothing to analyze,
      // no stream error, and carol's decryption unaffected.
      expect(heardSpeaking.has(mallory.id)).toBe(true);
      expect(spy.mock.calls.map((c) => c[0])).toContain(mallory.id);
      expect(malloryPackets).toBe(0);
      expect(botDave().session.getDecryptionStats(carol.id, 0).failures).toBe(failedBefore);
      // The bot counts those silent drops (UtteranceStreamHandlers.onDrop) and its deafness watch fires: this session already joined
      // again once (the test above), so it now tells the channel it cannot hear someone.
      await vi.waitFor(() => expect(h.logs.some((l) => l.msg === 'still cannot hear after joining again: telling the channel' && l.userId === mallory.id)).toBe(true), { timeout: 10_000 });
      expect(session()!.deaf).toBe(true);
    } finally {
      receiver.speaking.off('start', onStart);
      spy.mockRestore();
      elsewhere.close();
    }
  });

  it('a downgrade to protocol 0 (op 21): frames in the clear during and after the transition pass through; the upgrade (op 24) re-forms the group', async () => {
    call.executeDelayMs = 600;
    const before = decryptStats(alice.id);
    const seen = receipt(alice, speech.happy.length);
    const downgrading = call.downgrade('prepare'); // alice's client sends in the clear from op 21 on
    await vi.waitFor(() => expect(botDave().pendingTransitions.size).toBe(1));
    let duringPending = 0;
    const clear = call.encryptor(alice.id);
    await speak(alice, speech.happy, {
      transform: (f) => {
        if (botDave().pendingTransitions.size > 0) duringPending++;
        const out = clear(f);
        expect(out).toBe(f); // really in the clear
        return out;
      },
    });
    const tid = await downgrading;
    call.executeDelayMs = 0;
    expect(duringPending).toBeGreaterThan(5);
    expect(call.events).toContainEqual(expect.objectContaining({ dir: 'in', op: OP.readyForTransition, userId: botId(), transitionId: tid }));
    await vi.waitFor(() => expect(botDave().protocolVersion).toBe(0));
    await vi.waitFor(() => expect(decryptStats(alice.id).passthroughs - before.passthroughs, seen()).toBe(speech.happy.length), { timeout: 10_000 });
    await expectHeard(alice, 4, speech.happy, seen);
    expect(session()!.privacyCode).toBeUndefined(); // not end-to-end encrypted any more: no code to show

    await call.upgrade();
    await botInGroup();
    expect(botDave().protocolVersion).toBe(1);
    expect(call.events).toContainEqual(expect.objectContaining({ dir: 'out', op: OP.prepareEpoch, userId: botId(), epoch: 1 }));
    const after = decryptStats(alice.id); // a new session: counters start again
    await speak(alice, speech.angry);
    await expectHeard(alice, 5, speech.angry);
    expect(decryptStats(alice.id).successes - after.successes).toBe(speech.angry.length);
    expect(botDave().voicePrivacyCode).toBe(call.session(alice.id)!.voicePrivacyCode);

    // The library leaves davey's passthrough on for good after an upgrade; the bot limits it to the
    // transition expiry (10 s), after which frames in the clear are refused, not analyzed.
    await sleep(10_500);
    const late = decryptStats(alice.id);
    await speak(alice, speech.sad.slice(0, 30), { transform: (f) => f }); // fewer than the library's 36-failure tolerance
    await sleep(1_000);
    expect(decryptStats(alice.id)).toMatchObject({ passthroughs: late.passthroughs, failures: late.failures + 30 });
    expect(session()!.speakers.get(alice.id)!.utterances).toBe(5);
  });

  it('every IDENTIFY of this file advertised DAVE (a bot that offered protocol 0 would have been closed with 4017)', async () => {
    await h.emu.waitForOutcome(h.emu.interact(slashCommand(h.emu.world, 'stop', { userId: alice.id, username: alice.name })).token);
    await vi.waitFor(() => expect(session()).toBeUndefined(), { timeout: 15_000 });
    expect(voice.identifies.length).toBeGreaterThan(0);
    for (const id of voice.identifies) expect(id.max_dave_protocol_version).toBeGreaterThanOrEqual(1);
    // The bot left: the server removed it from the group in a new epoch.
    await call.settled();
    expect(call.isMember(botId())).toBe(false);
  });
});
