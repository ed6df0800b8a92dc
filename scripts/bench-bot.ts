// `npm run bench` (bot part): latency from interaction to final reply through the loopback emulator, and the bot's RSS.
// The bot runs as its own process (as in production), so its RSS is not mixed with the emulator's.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeCommand, DiscordEmulator, FAKE_TOKEN, hasRavdess, ravdessClips, speechNote, type Outcome } from '../test/emulator/index.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { argsOrExit } from './bench/args.js';
import { ATTACHMENT_PRELOAD, botCommand } from '../test/bot/fixtures/npm-start.js';

const USAGE = `Usage: npm run bench:bot -- [options]
  --runs N            voice notes per size for the latency figures (default: 20)
  --analyses N        analyses before the RSS is read (default: 200)
  --workers N         analysis worker threads (default: the bot's, cores - 1)
  --breakdown         the compiled worker pool alone with 1, 2, 3 workers: RSS and each worker's heap
  --detail            the bot's own memory by thread and kind of mapping
  --source            run the TypeScript through tsx instead of the compiled bot
  --model FILE        the model (default: ${DEFAULT_MODEL_PATH}); --json: the figures as JSON on stdout`;

const args = argsOrExit(() => parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    runs: { type: 'string', default: '20' },
    analyses: { type: 'string', default: '200' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
    json: { type: 'boolean', default: false },
    // --source: the TypeScript through tsx (npm run dev) instead of the compiled bot `npm start` runs.
    source: { type: 'boolean', default: false },
    // Worker threads (ANALYSIS_WORKERS); unset: the bot's default (cores − 1).
    workers: { type: 'string' },
    // --breakdown: the compiled worker pool alone (no gateway), with 1, 2 and 3 workers (or --workers): RSS after
    // --analyses jobs, 15 s later and at peak, and each worker's own heap (V8 spaces, array buffers, modules loaded).
    breakdown: { type: 'boolean', default: false },
    // --detail: where the bot's own memory is, after warm-up and 15 s after the analyses (scripts/bench/bot-probe.mjs,
    // preloaded): each thread's V8 heap and the resident memory by kind of mapping.
    detail: { type: 'boolean', default: false },
  },
}), USAGE);
const RUNS = Number(args.runs);
const ANALYSES = Number(args.analyses);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

if (!hasRavdess()) {
  process.stderr.write('bench-bot: needs RAVDESS at ../shared/datasets/ravdess (beside the repository)\n');
  process.exit(2);
}

function rssMb(pid: number): { rss: number; peak: number } {
  // Linux only: VmRSS now, VmHWM the high-water mark. Worker threads live in the same process.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU time (user + system, all threads) the process has used so far, in ms; Linux only (/proc/<pid>/stat, 100 ticks/s). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

if (args.breakdown) {
  await breakdown();
  process.exit(0);
}

/** The pool alone, as `npm start` runs it (Node flags and environment), in a child process per worker count. */
async function breakdown(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  const notePath = join(dir, 'note.ogg');
  writeFileSync(notePath, await speechNote(5, ravdessClips()));
  const start = botCommand(false);
  const flags = start.args.slice(0, -1);
  const counts = args.workers ? [Number(args.workers)] : [1, 2, 3];
  const mb = (x: number): string => x.toFixed(1);
  const runs: any[] = [];
  let bare: any;
  try {
    // Workers that load nothing: the isolate's own cost, the floor of any worker.
    bare = JSON.parse(execFileSync(process.execPath, [...flags, join(ROOT, 'scripts/bench/worker-memory.mjs'), '1', '0', notePath, '2000', args.model!, 'bare'], { cwd: ROOT, env: { ...process.env, ...start.env }, encoding: 'utf8' }));
    for (const n of counts) {
      const out = execFileSync(process.execPath, [...flags, join(ROOT, 'scripts/bench/worker-memory.mjs'), String(n), String(ANALYSES), notePath, '15000', args.model!], {
        cwd: ROOT,
        env: { ...process.env, ...start.env },
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      runs.push(JSON.parse(out));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.json) return void process.stdout.write(`${JSON.stringify({ bare, runs }, null, 2)}\n`);
  say(`worker pool alone (compiled, npm start's flags and environment), ${ANALYSES} analyses of a 5-s Ogg/Opus note each`);
  say(`a worker that loads nothing adds ${mb(bare.steps.settled.rssMb - bare.steps.start.rssMb)} MB (V8 heap ${mb(bare.probes[0].heapTotalMb)} MB)`);
  for (const r of runs) {
    const s = r.steps;
    say(`${r.workers} worker(s): RSS ${mb(s.start.rssMb)} MB without workers, ${mb(s.loaded.rssMb)} loaded, ${mb(s.afterAnalyses.rssMb)} after the analyses, ${mb(s.settled.rssMb)} 15 s later (peak ${mb(s.settled.peakMb)}; anonymous ${mb(s.settled.anonMb)}, file-backed ${mb(s.settled.fileMb)}); ${r.cpuMsPerAnalysis.toFixed(1)} ms CPU per analysis`);
  }
  for (let i = 1; i < runs.length; i++) say(`worker ${runs[i].workers} adds ${mb(runs[i].steps.settled.rssMb - runs[i - 1].steps.settled.rssMb)} MB (15 s after)`);
  const last = runs.at(-1);
  last.probes.forEach((p: any, i: number) => {
    const spaces = Object.entries(p.spaces as Record<string, { sizeMb: number; usedMb: number }>).filter(([, v]) => v.sizeMb > 0).map(([k, v]) => `${k.replace(/_space$/, '')} ${mb(v.sizeMb)} (${mb(v.usedMb)} used)`);
    say(`  worker ${i + 1}: V8 heap ${mb(p.heapTotalMb)} MB (${mb(p.heapUsedMb)} used): ${spaces.join(', ')}; external ${mb(p.externalMb)} MB, of it array buffers ${mb(p.arrayBuffersMb)} (the shared model counted in each); malloced by V8 ${mb(p.mallocedMb)} (peak ${mb(p.peakMallocedMb)}); ${p.modules.length} modules loaded (${p.modules.filter((m: string) => m.includes('/node_modules/')).length} from node_modules)`);
  });
  say(`  main thread: V8 heap ${mb(last.main.heapTotalMb)} MB, array buffers ${mb(last.main.arrayBuffersMb)} MB; glibc arena heaps: ${last.arenas.count} mapping(s), ${mb(last.arenas.rssMb)} MB resident`);
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const emu = await new DiscordEmulator().start();
// Started as `npm start` starts it (its command line and environment, from package.json), or from source.
const start = botCommand(args.source!, ATTACHMENT_PRELOAD);
const probeOut = join(tmpdir(), `bench-bot-probe-${process.pid}.json`);
const bot = spawn(process.execPath, [...(args.detail ? ['--import', new URL('bench/bot-probe.mjs', import.meta.url).href] : []), ...start.args], {
  cwd: ROOT,
  env: {
    ...start.env,
    ...(args.detail ? { BENCH_BOT_PROBE_OUT: probeOut } : {}),
    PATH: process.env.PATH,
    ...(args.workers ? { ANALYSIS_WORKERS: args.workers } : {}),
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_CLIENT_ID: emu.world.appId,
    DISCORD_API_URL: emu.apiUrl,
    // The emulator serves attachments on loopback http: the test-only preload lets the bot fetch them.
    SER_BOT_TEST_ATTACHMENT_ORIGIN: new URL(emu.apiUrl).origin,
    MODEL_PATH: args.model,
    COOLDOWN_SECONDS: '0',
    MAX_QUEUED_ANALYSES: '1000',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  },
  // The bot's log lines (warnings at LOG_LEVEL=warn) go to stderr: stdout carries only this script's --json result,
  // which `npm run bench -- --bot` parses (a warning on stdout once broke that parse).
  stdio: ['ignore', process.stderr, 'inherit'],
});
const botExited = new Promise<number | null>((r) => bot.on('exit', r));

/** With --detail: the probe's figures for the bot right now (it writes them on SIGUSR2). */
async function probe(): Promise<any> {
  if (!args.detail) return undefined;
  rmSync(probeOut, { force: true });
  bot.kill('SIGUSR2');
  // Up to a minute: on a busy machine the bot may take a while to be scheduled.
  for (let i = 0; i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      return JSON.parse(readFileSync(probeOut, 'utf8'));
    } catch {
      // not written (completely) yet
    }
  }
  throw new Error('the bot did not answer the memory probe');
}

try {
  await Promise.race([emu.ready, botExited.then((c) => Promise.reject(new Error(`the bot exited (${c}) before logging in`)))]);
  // Wait until a worker has the model: the first analysis would otherwise include start-up.
  const clips = ravdessClips();
  const notes = { '5 s': await speechNote(5, clips), '60 s': await speechNote(60, clips) };

  const ask = async (bytes: Uint8Array): Promise<Outcome> => {
    const att = emu.addAttachment('voice-message.ogg', bytes, { contentType: 'audio/ogg' });
    const o = await emu.waitForOutcome(emu.interact(analyzeCommand(emu.world, att)).token, 120_000);
    if (o.via !== 'edit' || !o.embeds[0]?.fields?.length) throw new Error(`unexpected answer: ${JSON.stringify(o.embeds)}`);
    return o;
  };
  await ask(notes['5 s']); // warm-up: JIT, model already loaded by the start-up card check

  const latency: Record<string, { medianMs: number; p90Ms: number; minMs: number; maxMs: number; bytes: number }> = {};
  for (const [label, bytes] of Object.entries(notes)) {
    const ms: number[] = [];
    // One at a time: this is the latency of an idle bot, not of a queue.
    for (let k = 0; k < RUNS; k++) ms.push((await ask(bytes)).latencyMs);
    latency[label] = { medianMs: median(ms), p90Ms: quantile(ms, 0.9), minMs: Math.min(...ms), maxMs: Math.max(...ms), bytes: bytes.byteLength };
  }

  const before = rssMb(bot.pid!);
  const detailWarm = await probe();
  const cpu0 = cpuMs(bot.pid!);
  const t0 = performance.now();
  // Two at a time keeps the worker busy while the main thread downloads and replies.
  for (let k = 0; k < ANALYSES; k += 2) await Promise.all([ask(notes['5 s']), ...(k + 1 < ANALYSES ? [ask(notes['5 s'])] : [])]);
  const seconds = (performance.now() - t0) / 1000;
  const after = rssMb(bot.pid!);
  const cpuPerAnalysisMs = (cpuMs(bot.pid!) - cpu0) / ANALYSES;
  // Steady: the same bot after 15 s with nothing to do (the garbage collectors and malloc have had their chance).
  await new Promise((r) => setTimeout(r, 15_000));
  const settled = rssMb(bot.pid!);
  const detailSettled = await probe();

  const result = {
    runs: RUNS,
    latency,
    rss: { afterWarmupMb: before.rss, afterAnalysesMb: after.rss, settledMb: settled.rss, peakMb: after.peak, analyses: ANALYSES + 2 * RUNS + 1 },
    throughputPerSec: ANALYSES / seconds,
    // The bot process's CPU (main thread, workers, V8 and libuv helpers) per analysis of a 5-s note, download and reply included.
    cpuPerAnalysisMs,
    ...(args.detail ? { detail: { afterWarmup: detailWarm, settled: detailSettled } } : {}),
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const f = (x: number): string => x.toFixed(0).padStart(6);
    process.stdout.write(`bot latency, interaction → final reply (server side, emulator, ${RUNS} runs each)\n`);
    for (const [label, l] of Object.entries(latency)) {
      process.stdout.write(`  ${label.padEnd(5)} voice note (${(l.bytes / 1024).toFixed(0)} KB): median ${f(l.medianMs)} ms   p90 ${f(l.p90Ms)} ms   min ${f(l.minMs)}   max ${f(l.maxMs)}\n`);
    }
    process.stdout.write(
      `bot RSS: ${before.rss.toFixed(0)} MB after warm-up → ${after.rss.toFixed(0)} MB after ${result.rss.analyses} analyses, ${settled.rss.toFixed(0)} MB 15 s later (peak ${after.peak.toFixed(0)} MB); ` +
        `${result.throughputPerSec.toFixed(1)} analyses/s of 5-s notes, ${cpuPerAnalysisMs.toFixed(1)} ms of the bot's CPU (all threads) per analysis\n`,
    );
    for (const [when, d] of [['after warm-up', detailWarm], ['15 s after', detailSettled]] as const) {
      if (!d) continue;
      const kinds = Object.entries(d.kinds as Record<string, number>).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`);
      process.stdout.write(`  ${when}: RSS ${d.rssMb.toFixed(1)} MB by mapping: ${kinds.join(', ')}\n`);
      const m = d.main;
      const spaces = Object.entries(m.spaces as Record<string, [number, number]>).map(([k, [size, used]]) => `${k} ${size.toFixed(1)} (${used.toFixed(1)})`);
      process.stdout.write(`    main thread V8 heap ${m.totalMb.toFixed(1)} MB (${m.usedMb.toFixed(1)} used; ${spaces.join(', ')}), external ${m.externalMb.toFixed(1)}, array buffers ${m.arrayBuffersMb.toFixed(1)}, malloced by V8 ${m.mallocedMb.toFixed(1)}\n`);
      (d.workers as any[]).forEach((w, i) => process.stdout.write(`    worker ${i + 1} V8 heap ${w.totalMb?.toFixed(1)} MB (${w.usedMb?.toFixed(1)} used, ${w.physicalMb?.toFixed(1)} resident), external ${w.externalMb?.toFixed(1)}, malloced by V8 ${w.mallocedMb?.toFixed(1)}\n`));
    }
  }
} finally {
  bot.kill('SIGTERM');
  await botExited;
  await emu.stop();
}
