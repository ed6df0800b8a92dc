// A fleet in miniature: two `npm start` processes as shards 0 and 1 of 2 (SHARDS/SHARD_COUNT), one loopback Discord
// routing each guild by Discord's shard formula, one real PostgreSQL. /optout on shard 0 reaches a /listen on shard 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulator/emulator.js';
import { emulatorEnv } from '../emulator/harness.js';
import { guildIdOnShard, shardOf, slashCommand, snowflake } from '../emulator/payloads.js';
import { ravdessClips } from '../emulator/voice-note.js';
import { PgServer } from '../store/pg-server.js';
import { FakeVoiceServer } from '../voice/fake-voice-server.js';
import { opusFrames } from '../voice/opus-speech.js';
import { selfSignedCert } from '../voice/tls.js';
import { npmScript } from './fixtures/npm-start.js';

const cwd = mkdtempSync(join(tmpdir(), 'ser-bot-fleet-')); // empty, so a developer's .env is not read
let pg: PgServer;
let emu: DiscordEmulator;
let voice: FakeVoiceServer;
const bots: Bot[] = [];

interface Bot {
  child: ChildProcess;
  lines: any[];
  out: () => string;
}

function startShard(shard: number, env: Record<string, string>): Bot {
  const cmd = npmScript('start');
  const child = spawn(process.execPath, cmd.args, {
    cwd,
    env: { PATH: process.env.PATH, LOG_FORMAT: 'json', ...cmd.env, LOG_LEVEL: 'debug', SHARDS: String(shard), SHARD_COUNT: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: any[] = [];
  let all = '';
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    all += c.toString();
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop()!;
    for (const l of parts) if (l.startsWith('{')) lines.push(JSON.parse(l));
  });
  child.stderr!.on('data', (c: Buffer) => (all += c.toString()));
  const bot = { child, lines, out: () => all };
  bots.push(bot);
  return bot;
}

async function until<T>(check: () => T | undefined | false, what: string, ms = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}\n${bots.map((b) => b.out().slice(-3000)).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  pg = await new PgServer().start();
  emu = await new DiscordEmulator().start();
  const tls = selfSignedCert();
  voice = await new FakeVoiceServer(tls).start();
  emu.voiceEndpoint = voice.endpoint;
  writeFileSync(join(cwd, 'voice-ca.pem'), tls.cert);
}, 120_000);

afterAll(async () => {
  for (const b of bots) if (b.child.exitCode === null) b.child.kill('SIGKILL');
  await voice?.stop();
  await emu?.stop();
  pg?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

it('shards 0 and 1 of 2 in two processes: each gets its own guilds; /optout on shard 0 stops analysis in a running /listen on shard 1', async () => {
  const g0 = emu.addGuild(guildIdOnShard(0, 2));
  const g1 = emu.addGuild(guildIdOnShard(1, 2));
  expect([shardOf(g0.guildId, 2), shardOf(g1.guildId, 2)]).toEqual([0, 1]);
  const env = {
    ...emulatorEnv(emu),
    LISTEN_SILENCE_MS: '600',
    DATABASE_URL: await pg.createDatabase('fleet'),
    // @discordjs/voice always dials wss://: trust the test voice server's certificate, as an operator would a private CA.
    NODE_EXTRA_CA_CERTS: join(cwd, 'voice-ca.pem'),
  };
  const s0 = startShard(0, env);
  const s1 = startShard(1, env);
  await until(() => s0.lines.some((l) => l.msg === 'ser-bot ready') && s1.lines.some((l) => l.msg === 'ser-bot ready'), 'both shards ready', 120_000);
  expect(emu.identifies.map((d) => d.shard).sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);
  // Each process holds exactly its guilds, as the health line says.
  expect(s0.lines.find((l) => l.msg === 'ser-bot ready')).toMatchObject({ shards: { ids: [0], count: 2 }, store: { kind: 'postgres' } });
  const guildsOf = (b: Bot) => b.lines.find((l) => l.msg === 'ser-bot ready').guilds;
  expect(guildsOf(s0)).toBe(emu.worlds.filter((w) => shardOf(w.guildId, 2) === 0).length);
  expect(guildsOf(s1)).toBe(emu.worlds.filter((w) => shardOf(w.guildId, 2) === 1).length);

  // In guild g1 (shard 1): u and v in voice, v starts /listen; u speaks and is analyzed.
  const u = { id: snowflake(), name: 'u', ssrc: 7001 };
  const v = { id: snowflake(), name: 'v', ssrc: 7002 };
  for (const p of [u, v]) emu.setVoiceState(p.id, g1.voiceChannelId, { username: p.name, world: g1 });
  const speech = await opusFrames(ravdessClips({ actor: 9, emotion: '05', intensity: '02' }).slice(0, 1));
  const notice = await emu.waitForOutcome(emu.interact(slashCommand(g1, 'listen', { userId: v.id, username: v.name })).token, 60_000);
  expect(notice).toMatchObject({ via: 'edit', ephemeral: false });
  await voice.waitReady();
  const analyzed = () => s1.lines.filter((l) => l.msg === 'utterance analyzed' && l.guildId === g1.guildId).length;
  await voice.speak(u.id, u.ssrc, speech, { intervalMs: 10 });
  await until(() => analyzed() === 1, 'u analyzed on shard 1');
  const live = () => emu.posted().findLast((m) => /Live emotion/.test(m.embeds[0]?.title ?? ''));
  await until(() => live()?.embeds[0]?.description?.includes('**u**'), 'u in the live message');

  // u runs /optout in g0, a server on the other shard (other process).
  const sentAt = Date.now();
  const out = emu.interact(slashCommand(g0, 'optout', { userId: u.id, username: u.name }));
  const reply = await emu.waitForOutcome(out.token, 30_000);
  const repliedAt = Date.now();
  expect(reply.content).toMatch(/Done/);
  expect(s1.lines.some((l) => l.msg === 'interaction handler failed')).toBe(false);
  const heard = await until(() => s1.lines.find((l) => l.msg === 'opt-out received' && l.userId === u.id), 'shard 1 hears the opt-out', 5_000);
  // From Discord sending /optout to shard 0 until shard 1 has dropped the user: an upper bound on propagation.
  const propagationMs = heard.time - sentAt;
  console.log(`fleet: /optout sent to shard 0 → applied on shard 1 (PostgreSQL LISTEN/NOTIFY) in ${propagationMs} ms (${heard.time - repliedAt} ms relative to the reply)`);
  expect(propagationMs).toBeLessThan(1_000);
  // Dropped from the running session: the live message no longer shows them.
  await until(() => live() && !live()!.embeds[0].description?.includes('**u**'), 'u gone from the live message', 10_000);

  // u's next utterance is not analyzed; v's, after it, is.
  await voice.speak(u.id, u.ssrc, speech, { intervalMs: 10 });
  await new Promise((r) => setTimeout(r, 900));
  await voice.speak(v.id, v.ssrc, speech, { intervalMs: 10 });
  await until(() => analyzed() === 2, 'v analyzed on shard 1');
  await new Promise((r) => setTimeout(r, 500));
  expect(analyzed()).toBe(2);
  expect(live()!.embeds[0].description).toContain('**v**');
  expect(live()!.embeds[0].description).not.toContain('**u**');

  // Both shut down gracefully on SIGTERM; the session's summary names v only.
  const exits = [s0, s1].map((b) => new Promise<number | null>((r) => b.child.on('exit', (c) => r(c))));
  for (const b of [s0, s1]) b.child.kill('SIGTERM');
  expect(await Promise.all(exits)).toEqual([0, 0]);
  const summary = emu.posted().findLast((m) => /Session summary/.test(m.embeds[0]?.title ?? ''))!;
  expect(summary.embeds[0].fields.map((f: any) => f.name)).toEqual(['v']);
}, 240_000);
