// `npm run bench:voice`: N simulated speakers stream encrypted Opus into the real bot (receive → decode → analyze).
// The bot runs as its own process against the loopback emulator + fake voice server, so its CPU and RSS are its own.
// Phase 1, real time: CPU (% of one core) and end-of-utterance → result latency. Phase 2: a long session,
// time-compressed (packets sent `--speed` times faster), for RSS growth. `--dave`: the voice server speaks DAVE and
// every speaker is a DAVE client (test/voice/dave-server.ts), so each frame is end-to-end encrypted and the bot's
// figures include MLS decryption (davey's own decrypt time is reported from the session-end log).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DiscordEmulator, FAKE_TOKEN, hasRavdess, ravdessClips, slashCommand, snowflake } from '../test/emulator/index.js';
import { DaveCall } from '../test/voice/dave-server.js';
import { FakeVoiceServer } from '../test/voice/fake-voice-server.js';
import { opusFrames } from '../test/voice/opus-speech.js';
import { selfSignedCert } from '../test/voice/tls.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { argsOrExit } from './bench/args.js';
import { botCommand } from '../test/bot/fixtures/npm-start.js';

const USAGE = `Usage: npm run bench:voice -- [options]
  --speakers N        simulated speakers in one /listen session (default: 10)
  --seconds N         seconds of real-time traffic measured (default: 60)
  --session-minutes N then a long session at --speed times real time, for RSS (default: 30; 0: skip)
  --dave              end-to-end encrypted frames (DAVE) and davey's decrypt cost
  --frames-cache DIR  keep each clip's encoded Opus frames there between runs
  --dist DIR          run another build's compiled bot; --node-args '...': extra flags for its Node
  --source            run the TypeScript through tsx instead of the compiled bot
  --model FILE        the model (default: ${DEFAULT_MODEL_PATH}); --json: one line of JSON on stdout`;

const args = argsOrExit(() => parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    speakers: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '60' },
    'session-minutes': { type: 'string', default: '30' },
    speed: { type: 'string', default: '4' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
    json: { type: 'boolean', default: false },
    // --source: the TypeScript through tsx (npm run dev) instead of the compiled bot `npm start` runs.
    source: { type: 'boolean', default: false },
    dave: { type: 'boolean', default: false },
    // --dist DIR: run the compiled bot from DIR (a copy of another build's dist/, e.g. main's) for a side-by-side run.
    dist: { type: 'string' },
    // --node-args '...': extra flags for the bot's Node (e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof').
    'node-args': { type: 'string', default: '' },
    // --frames-cache DIR: keep each clip's Opus frames there (encoding 50 speakers' speech takes ~1.5 min per run).
    'frames-cache': { type: 'string' },
  },
}), USAGE);
const N = Number(args.speakers);
const SECONDS = Number(args.seconds);
const SESSION_MIN = Number(args['session-minutes']);
const SPEED = Number(args.speed);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TICKS = 100; // USER_HZ on Linux

if (!hasRavdess()) {
  process.stderr.write('bench-voice: needs RAVDESS at ../shared/datasets/ravdess (beside the repository)\n');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** CPU seconds of the whole process and of its main thread (where voice packets are received and decrypted; workers decode). */
function cpu(pid: number): { total: number; main: number } {
  const times = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS; // utime + stime
  };
  return { total: times(readFileSync(`/proc/${pid}/stat`, 'utf8')), main: times(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')) };
}

/**
 * CPU seconds per thread (the main thread, the analysis workers, V8's background GC/compiler threads, libuv's
 * pool), user and system apart: where the process total goes.
 */
function threadCpu(pid: number): Map<string, { user: number; sys: number }> {
  const out = new Map<string, { user: number; sys: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Node 22 names no thread but the main one: the others are told apart by id (the analysis worker is the busiest).
    const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid}`;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const t = out.get(name) ?? { user: 0, sys: 0 };
    t.user += Number(f[11]) / TICKS;
    t.sys += Number(f[12]) / TICKS;
    out.set(name, t);
  }
  return out;
}

/** Per thread, % of one core between two threadCpu readings (user + system, and system alone), busiest first. */
function threadShares(a: Map<string, { user: number; sys: number }>, b: Map<string, { user: number; sys: number }>, wall: number) {
  const rows: [string, { percent: number; sysPercent: number }][] = [];
  for (const [name, t1] of b) {
    const t0 = a.get(name) ?? { user: 0, sys: 0 };
    const user = t1.user - t0.user;
    const sys = t1.sys - t0.sys;
    if (user + sys > 0) rows.push([name, { percent: +((100 * (user + sys)) / wall).toFixed(1), sysPercent: +((100 * sys) / wall).toFixed(1) }]);
  }
  return Object.fromEntries(rows.sort((x, y) => y[1].percent - x[1].percent));
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/**
 * davey's decryption alone, in this process, by CPU time (not wall time, so a busy machine does not
 * inflate it): `frames` encrypted by `speakerId`, decrypted by another member of the same group.
 */
async function decryptMicrobench(call: DaveCall, speakerId: string, frames: Buffer[]) {
  const observer = await call.join(snowflake());
  const encrypt = call.encryptor(speakerId);
  const sealed = frames.map((f) => encrypt(f));
  const t0 = process.cpuUsage();
  for (const f of sealed) observer.decrypt(speakerId, 0 as never, f); // 0 = MediaType.AUDIO
  const spent = process.cpuUsage(t0);
  const us = (spent.user + spent.system) / sealed.length;
  return { frames: sealed.length, cpuUsPerFrame: +us.toFixed(2), percentOfOneCorePerSpeaker: +((us * 50) / 1e4).toFixed(3) };
}

/** opusFrames of one clip, through --frames-cache when given (frames stored as u16 length + bytes). */
async function cachedFrames(clip: string): Promise<Buffer[]> {
  const cacheDir = args['frames-cache'];
  if (!cacheDir) return opusFrames([clip]);
  const file = join(cacheDir, clip.replace(/[^A-Za-z0-9.-]+/g, '_') + '.opus-frames');
  if (existsSync(file)) {
    const b = readFileSync(file);
    const frames: Buffer[] = [];
    for (let at = 0; at < b.length; at += 2 + b.readUInt16LE(at)) frames.push(b.subarray(at + 2, at + 2 + b.readUInt16LE(at)));
    return frames;
  }
  const frames = await opusFrames([clip]);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, Buffer.concat(frames.flatMap((f) => [Buffer.from(new Uint16Array([f.length]).buffer), f])));
  return frames;
}

const dir = mkdtempSync(join(tmpdir(), 'ser-bench-voice-'));
const tls = selfSignedCert();
writeFileSync(join(dir, 'cert.pem'), tls.cert);
const emu = await new DiscordEmulator().start();
const voice = await new FakeVoiceServer(tls).start();
emu.voiceEndpoint = voice.endpoint;

const lines: any[] = [];
// Started as `npm start` starts it (its command line and environment, from package.json), or from source.
const start = botCommand(args.source!);
if (args.dist) start.args[start.args.length - 1] = join(args.dist, start.args.at(-1)!.slice(join(ROOT, 'dist').length));
const extra = args['node-args']!.split(/\s+/).filter(Boolean);
const bot = spawn(process.execPath, [...extra, ...start.args], {
  cwd: ROOT,
  env: {
    ...start.env,
    PATH: process.env.PATH,
    NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_CLIENT_ID: emu.world.appId,
    DISCORD_API_URL: emu.apiUrl,
    MODEL_PATH: args.model,
    DATABASE_URL: `sqlite:${join(dir, 'ser-bot.db')}`, // a throwaway store, not the repository's data/
    LISTEN_MAX_MINUTES: '600',
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let partial = '';
bot.stdout!.on('data', (c: Buffer) => {
  const parts = (partial + c.toString()).split('\n');
  partial = parts.pop()!;
  for (const l of parts) if (l.startsWith('{')) lines.push(JSON.parse(l));
});
const botExited = new Promise<number | null>((r) => bot.on('exit', r));
let call: DaveCall | null = null;

try {
  await Promise.race([emu.ready, botExited.then((c) => Promise.reject(new Error(`the bot exited (${c}) before logging in`)))]);
  // Distinct speech per speaker: one actor each, all their statements in a rotating order.
  const actors = readdirSync(join(ROOT, '../shared/datasets/ravdess')).filter((d) => d.startsWith('Actor_')).length;
  const speakers = await Promise.all(
    Array.from({ length: N }, async (_, k) => {
      const clips = ravdessClips({ actor: (k % actors) + 1 }).filter((_, j) => j % 6 === 0);
      return { id: snowflake(), ssrc: 5000 + k, utterances: await Promise.all(clips.map((c) => cachedFrames(c))) };
    }),
  );
  for (const s of speakers) emu.setVoiceState(s.id, emu.world.voiceChannelId, { username: `speaker${s.ssrc}` });
  // With --dave the speakers form the call's MLS group before the bot joins it (it is welcomed in).
  call = args.dave ? await DaveCall.create(voice, emu.world.voiceChannelId) : null;
  for (const s of speakers) await call?.join(s.id);
  const micro = call ? await decryptMicrobench(call, speakers[0]!.id, speakers[0]!.utterances.flat()) : null;
  const invoker = speakers[0]!;
  await emu.waitForOutcome(emu.interact(slashCommand(emu.world, 'listen', { userId: invoker.id, options: [{ name: 'minutes', type: 4, value: 600 }] })).token, 60_000);
  await voice.waitReady();
  if (call) {
    await sleep(1_000);
    await call.settled();
    if (!call.isMember(emu.world.bot.id)) throw new Error('--dave: the bot did not join the MLS group');
  }

  /** Every speaker talks in a loop (utterance, pause) until `until`; packets `speed` × faster than real time. Resolves with the packets sent. */
  let sent = 0;
  const talk = (until: number, speed: number) =>
    Promise.all(
      speakers.map(async (s, k) => {
        await sleep((k * 700) % 2000); // not all in lockstep
        for (let u = 0; Date.now() < until; u++) {
          const r = await voice.speak(s.id, s.ssrc, s.utterances[u % s.utterances.length]!, { intervalMs: 20 / speed, transform: call?.encryptor(s.id) });
          sent += r.sent;
          await sleep(1_000 + ((k * 137 + u * 61) % 500)); // longer than the 800-ms silence that ends an utterance
        }
      }),
    );
  const analyzed = () => lines.filter((l) => l.msg === 'utterance analyzed');
  const pid = bot.pid!;
  await sleep(1_000);

  // Phase 1: real time.
  const n0 = analyzed().length;
  const c0 = cpu(pid);
  const th0 = threadCpu(pid);
  const t0 = performance.now();
  sent = 0;
  await talk(Date.now() + SECONDS * 1000, 1);
  const packets = sent;
  await sleep(2_000); // the last utterances end and are analyzed
  const wall = (performance.now() - t0) / 1000;
  // On a busy machine the pool may still be behind: the CPU those utterances cost belongs to this traffic too,
  // so it is counted once no result has come for 1.5 s (bounded), and still divided by the traffic's wall time.
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const n = analyzed().length;
    await sleep(1_500);
    if (analyzed().length === n) break;
  }
  const drainSec = (performance.now() - t0) / 1000 - wall;
  const c1 = cpu(pid);
  const th1 = threadCpu(pid);
  const phase1 = analyzed().slice(n0);
  const lat = phase1.map((l) => l.latencyMs as number);
  const realtime = {
    speakers: N,
    wallSec: +wall.toFixed(1),
    /** Seconds after wallSec until the last result came (1.5 s of them waiting for one more). */
    drainSec: +drainSec.toFixed(1),
    utterances: phase1.length,
    audioSec: +phase1.reduce((a, l) => a + l.audioSec, 0).toFixed(1),
    packets,
    cpuPercentOfOneCore: { process: +((100 * (c1.total - c0.total)) / wall).toFixed(1), mainThread: +((100 * (c1.main - c0.main)) / wall).toFixed(1) },
    // CPU time per packet received (everything the bot did in the phase, divided by the packets sent to it)
    cpuUsPerPacket: { process: +((1e6 * (c1.total - c0.total)) / packets).toFixed(1), mainThread: +((1e6 * (c1.main - c0.main)) / packets).toFixed(1) },
    threads: threadShares(th0, th1, wall),
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
    latencyMs: { p50: quantile(lat, 0.5), p90: quantile(lat, 0.9), p99: quantile(lat, 0.99), max: Math.max(...lat) },
  };
  process.stderr.write(`real time: ${JSON.stringify(realtime)}\n`);

  // Phase 2: a long session, compressed.
  const rss: { sessionMin: number; rssMb: number }[] = [{ sessionMin: 0, rssMb: rssMb(pid) }];
  const wallMs = (SESSION_MIN * 60_000) / SPEED;
  const start = Date.now();
  const sampler = setInterval(() => rss.push({ sessionMin: +(((Date.now() - start) * SPEED) / 60_000).toFixed(1), rssMb: +rssMb(pid).toFixed(1) }), 15_000);
  const n1 = analyzed().length;
  await talk(start + wallMs, SPEED);
  clearInterval(sampler);
  await sleep(2_000);
  const atEnd = rssMb(pid);
  emu.interact(slashCommand(emu.world, 'stop', { userId: invoker.id }));
  await emu.waitFor(() => emu.posted().some((m) => /Session summary/.test(m.embeds[0]?.title ?? '')), 30_000, 'summary');
  await sleep(3_000);
  const long = {
    sessionMinutes: SESSION_MIN,
    speed: SPEED,
    utterances: analyzed().length - n1,
    rssMb: { start: +rss[0]!.rssMb.toFixed(1), end: +atEnd.toFixed(1), afterStop: +rssMb(pid).toFixed(1), samples: rss },
    ended: lines.findLast((l) => l.msg === 'listen session ended'),
  };
  const ended = long.ended;
  const dave = ended?.dave
    ? {
        ...ended.dave,
        // davey's own counter, per frame and as a share of one core per speaker talking all the time (50 frames/s)
        usPerFrame: +(ended.dave.decryptUs / Math.max(1, ended.dave.decrypted)).toFixed(2),
        percentOfOneCorePerSpeaker: +((ended.dave.decryptUs / Math.max(1, ended.dave.decrypted)) * 50 / 1e4).toFixed(3),
      }
    : null;
  const report = { dave: args.dave, realtime, long, decryption: dave && { ...dave, microbench: micro } };
  process.stdout.write(args.json ? JSON.stringify(report) + '\n' : JSON.stringify(report, null, 2) + '\n');
} finally {
  bot.kill('SIGTERM');
  await Promise.race([botExited, sleep(10_000)]);
  if (bot.exitCode === null) bot.kill('SIGKILL');
  call?.close();
  await voice.stop();
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
}
