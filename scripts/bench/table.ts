// Issue 15's "must show" table, measured in one run of `npm run bench`: each row as the issue measured it
// ("now"), as this run measures it, the target, and the ratio of the two. CPU is user + system time of all
// threads (process.cpuUsage in process, /usr/bin/time for child processes), never wall time, and every
// figure is a median. The compiled CLI and bot (dist/, what `npm run analyze` and `npm start` run) are measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { resample } from '../../src/core/audio/resample.js';
import type { EmotionModel } from '../../src/core/model/io.js';
import { durationSec, type Pcm } from '../../src/core/pcm.js';
import { encodeWav16 } from '../../src/transcribe/wav.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/scripts/analyze.js');

export interface TableOptions {
  paths: string[];
  bytes: Uint8Array[];
  decoded: Pcm[];
  model: EmotionModel;
  modelPath: string;
  rounds: number;
  /** Start the bot for its RSS after 1,000 analyses, with one worker and with two (~5 min). */
  bot: boolean;
  /** Start the bot with 50 simulated /listen speakers for a minute. */
  voice: boolean;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

/**
 * CPU (user + sys, all threads) of a child Node process, in ms: bash's `time`, which reads the child's rusage to the
 * millisecond (/usr/bin/time prints it in 10-ms steps, a tenth of a one-file run).
 */
function childCpuMs(args: string[]): number {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="CPU %3U %3S"; time "$@"', 'bash', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return (Number(m[1]) + Number(m[2])) * 1000;
}

// Loaded first into a child CLI (a data: URL, no file). At its exit: the CPU of its main thread and of all its other
// threads (V8's background compiler and GC helpers), from /proc, in ms (clock ticks of 10 ms); and its garbage
// collections as Node reports them, each a pause of the main thread: scavenges, mark-compacts, the rest.
const THREAD_SPLIT = `data:text/javascript,${encodeURIComponent(
  `import { readdirSync, readFileSync } from 'node:fs';
  import { PerformanceObserver, constants } from 'node:perf_hooks';
  const gc = { minor: 0, major: 0, other: 0, ms: 0 };
  const count = (entries) => {
    for (const e of entries) {
      const k = e.detail.kind;
      if (k === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++; else if (k === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++; else gc.other++;
      gc.ms += e.duration;
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    count(observer.takeRecords());
    let main = 0, other = 0;
    for (const t of readdirSync('/proc/self/task')) {
      const s = readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      if (t === String(process.pid)) main += ms; else other += ms;
    }
    process.stderr.write('THREADS ' + main + ' ' + other + ' GC ' + gc.minor + ' ' + gc.major + ' ' + gc.other + ' ' + gc.ms + '\\n');
  });`,
)}`;

interface CliSplit {
  /** CPU of the main thread and of all the others, ms. */
  main: number;
  other: number;
  /** Garbage collections: scavenges, mark-compacts, other pauses (incremental steps, weak callbacks), and their ms. */
  gc: { minor: number; major: number; other: number; ms: number };
}

/** The CLI's CPU by thread and its GC. Runs of their own: the preload is one more module to load. */
function cliThreads(args: string[]): CliSplit {
  const r = spawnSync(process.execPath, ['--import', THREAD_SPLIT, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /THREADS (\d+) (\d+) GC (\d+) (\d+) (\d+) ([\d.e+-]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return { main: Number(m[1]), other: Number(m[2]), gc: { minor: Number(m[3]), major: Number(m[4]), other: Number(m[5]), ms: Number(m[6]) } };
}

/** Model load in fresh processes: CPU of all threads and RSS growth around readModel (compiled), medians of 7. */
function modelLoad(path: string): { ms: number; mb: number } {
  const script = `
    const { readModel } = await import(${JSON.stringify(join(ROOT, 'dist/src/core/model/io.js'))});
    const r0 = process.memoryUsage().rss, c0 = process.cpuUsage();
    await readModel(${JSON.stringify(path)});
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms: (c.user + c.system) / 1000, mb: (process.memoryUsage().rss - r0) / 1e6 }));`;
  const runs = Array.from({ length: 7 }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as { ms: number; mb: number });
  return { ms: median(runs.map((r) => r.ms)), mb: median(runs.map((r) => r.mb)) };
}

/** A bench script's --json result (the last JSON object it prints). */
function benchJson(script: string, args: string[]): any {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), '--json', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.slice(out.indexOf('{')));
}

interface Row {
  measure: string;
  now: string;
  measured: string;
  target: string;
  /** The issue's figure over this run's (> 1: better than when the issue was filed). */
  gain: number | null;
  met: boolean | null;
}

export async function issueTable(o: TableOptions, say: (line: string) => void): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  const audioSec = o.decoded.reduce((s, p) => s + durationSec(p), 0);
  const rows: Row[] = [];
  const row = (measure: string, now: string, nowValue: number | null, value: number, unit: string, target: string, limit: number | null): void => {
    rows.push({ measure, now, measured: `${value.toFixed(value < 10 ? 2 : 0)} ${unit}`, target, gain: nowValue === null ? null : nowValue / value, met: limit === null ? null : value <= limit });
  };

  // 1. Steady state: decode + analyze in this process, after a warm-up round; median over rounds.
  for (const b of o.bytes) analyze(await decodeAudio(b), o.model);
  const steady: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const c0 = process.cpuUsage();
    for (const b of o.bytes) analyze(await decodeAudio(b), o.model);
    steady.push(cpuMs(c0) / audioSec);
  }
  say(`steady decode + analyze: ${steady.map((x) => x.toFixed(2)).join(' ')} ms CPU per audio-second (${o.rounds} rounds of ${o.bytes.length} files)`);
  row('steady analysis, CPU per audio-second (all threads)', '5.4 ms', 5.4, median(steady), 'ms', '≤ 1.5 ms', 1.5);

  // 2–3. The compiled CLI on 30 files and on one, fresh processes. Beside them, what the 30-file figure is made
  // of: start-up alone (--help: Node, the bundle, no model) and the same audio as one joined WAV file (the
  // warm-up, V8 compiling the analysis, is paid once per process, not per file).
  const thirty = o.paths.slice(0, 30);
  const thirtySec = o.decoded.slice(0, 30).reduce((s, p) => s + durationSec(p), 0);
  const cli30 = Array.from({ length: 9 }, () => childCpuMs([CLI, '--json', ...thirty]) / thirtySec);
  const cli1 = Array.from({ length: 7 }, () => childCpuMs([CLI, '--json', thirty[0]!]));
  const startup = Array.from({ length: 7 }, () => childCpuMs([CLI, '--help']));
  // A voice note as Discord sends it (Ogg/Opus), the file a bot user is most likely to have.
  const note = Array.from({ length: 7 }, () => childCpuMs([CLI, '--json', join(ROOT, 'samples/happy-actor.ogg')]));
  const dir = mkdtempSync(join(tmpdir(), 'ser-bench-'));
  let joined: number[];
  try {
    const parts = o.decoded.slice(0, 30).map((p) => p.samples);
    const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      samples.set(p, at);
      at += p.length;
    }
    writeFileSync(join(dir, 'joined.wav'), encodeWav16(samples));
    joined = Array.from({ length: 3 }, () => childCpuMs([CLI, '--json', join(dir, 'joined.wav')]) / thirtySec);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  say(`CLI, ${thirty.length} files (${thirtySec.toFixed(0)} s of audio): ${cli30.map((x) => x.toFixed(2)).join(' ')} ms CPU per audio-second; one file: ${cli1.map((x) => x.toFixed(0)).join(' ')} ms CPU`);
  say(`CLI start-up alone (--help): ${startup.map((x) => x.toFixed(0)).join(' ')} ms CPU; one 2.5-s Ogg/Opus voice note (samples/): ${note.map((x) => x.toFixed(0)).join(' ')} ms CPU; the ${thirty.length} files joined into one WAV: ${joined.map((x) => x.toFixed(1)).join(' ')} ms CPU per audio-second`);
  if (existsSync('/proc/self/task')) {
    const split = Array.from({ length: 3 }, () => cliThreads([CLI, '--json', ...thirty]));
    const med = (f: (s: CliSplit) => number) => median(split.map(f)).toFixed(0);
    say(`CLI, ${thirty.length} files, by thread (3 more runs, from /proc at exit): main thread ${med((s) => s.main)} ms, V8's background threads (optimising compiler, GC helpers) ${med((s) => s.other)} ms CPU`);
    say(`  its garbage collection, paused on the main thread: ${med((s) => s.gc.ms)} ms in ${med((s) => s.gc.minor)} scavenges, ${med((s) => s.gc.major)} mark-compact(s) and ${med((s) => s.gc.other)} other pauses`);
  }
  // The CLI against the same files analysed in this warm process, alternately: their ratio is what start-up and
  // warm-up add to the analysis, and it moves less with the machine's speed and load than either figure alone.
  const ratio: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c0 = process.cpuUsage();
    for (const b of o.bytes.slice(0, thirty.length)) analyze(await decodeAudio(b), o.model);
    const warm = cpuMs(c0);
    ratio.push(childCpuMs([CLI, '--json', ...thirty]) / warm);
  }
  say(`CLI, ${thirty.length} files ÷ the same files analysed warm in this process, alternated: ${ratio.map((x) => x.toFixed(2)).join(' ')}`);
  row(`CLI, ${thirty.length} × ${(thirtySec / thirty.length).toFixed(1)}-s WAV, CPU per audio-second incl. warm-up`, '~9 ms', 9, median(cli30), 'ms', '≤ 3 ms', 3);
  rows.at(-1)!.measured += ` (${Math.min(...cli30).toFixed(2)}–${Math.max(...cli30).toFixed(2)}, ${cli30.length} runs)`;
  rows.push({ measure: `(CLI, ${thirty.length} files ÷ the same analysed warm, alternated)`, now: '—', measured: `${median(ratio).toFixed(2)}× (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)})`, target: '—', gain: null, met: null });
  row('CLI single file, total CPU', '~1.5 s', 1500, median(cli1), 'ms', '≤ 300 ms', 300);
  row('(CLI start-up alone, --help, total CPU)', '—', null, median(startup), 'ms', '—', null);
  row('(CLI, one 2.5-s Ogg/Opus voice note, total CPU)', '—', null, median(note), 'ms', '—', null);
  row(`(CLI, the same ${thirtySec.toFixed(0)} s as one WAV, CPU per audio-second)`, '—', null, median(joined), 'ms', '—', null);

  // 4. Resampling 4 s of 48 kHz to 16 kHz (after warm-up; the filter bank is cached as in production).
  const rate = 48_000;
  const x = Float32Array.from({ length: 4 * rate }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.1 * Math.sin(i * i));
  for (let w = 0; w < 5; w++) resample(x, rate);
  const res = Array.from({ length: 10 * o.rounds }, () => {
    const c0 = process.cpuUsage();
    resample(x, rate);
    return cpuMs(c0) / 4;
  });
  row('48 kHz resample', '5.4 ms/audio-s', 5.4, median(res), 'ms/audio-s', '≤ 0.5 ms', 0.5);

  // 5. Model load.
  const load = modelLoad(o.modelPath);
  say(`model load (fresh processes, median of 7): ${load.ms.toFixed(1)} ms CPU, +${load.mb.toFixed(1)} MB RSS`);
  rows.push({ measure: 'model load', now: '265 ms, +37 MB', measured: `${load.ms.toFixed(1)} ms, +${load.mb.toFixed(1)} MB`, target: '≤ 10 ms, ≤ 10 MB', gain: 265 / load.ms, met: load.ms <= 10 && load.mb <= 10 });

  // 6. The bot's RSS after 1,000 analyses: main + 1 worker, and what a second worker adds.
  if (o.bot) {
    const one = benchJson('bench-bot.ts', ['--runs', '3', '--analyses', '1000', '--workers', '1']).rss;
    const two = benchJson('bench-bot.ts', ['--runs', '3', '--analyses', '1000', '--workers', '2']).rss;
    const line = (r: any) => `${r.settledMb.toFixed(0)} MB 15 s after the last (${r.afterAnalysesMb.toFixed(0)} right after, peak ${r.peakMb.toFixed(0)})`;
    say(`bot RSS after ${one.analyses} analyses: 1 worker ${line(one)}; 2 workers ${line(two)}`);
    row('bot RSS, main + 1 worker, after 1,000 analyses (steady)', '180–280 MB', 230, one.settledMb, 'MB', '≤ 150 MB', 150);
    row('each extra worker', '+115–125 MB', 120, two.settledMb - one.settledMb, 'MB', '≤ 40 MB', 40);
  } else rows.push({ measure: 'bot RSS, main + 1 worker, after 1,000 analyses', now: '180–280 MB', measured: '(--bot)', target: '≤ 150 MB', gain: null, met: null });

  // 7. /listen: 50 speakers for a minute, CPU of the bot process as a share of one core.
  if (o.voice) {
    const rt = benchJson('bench-voice.ts', ['--speakers', '50', '--seconds', '60', '--session-minutes', '0']).realtime;
    say(`/listen, 50 speakers: ${rt.cpuPercentOfOneCore.process} % of one core (main thread ${rt.cpuPercentOfOneCore.mainThread} %), ${rt.utterances} utterances, latency p50 ${rt.latencyMs.p50} ms p90 ${rt.latencyMs.p90} ms`);
    rows.push({ measure: '`/listen` speakers at < 25 % of one core', now: '10 at 6.8 %', measured: `50 at ${rt.cpuPercentOfOneCore.process} %`, target: '50', gain: null, met: rt.cpuPercentOfOneCore.process < 25 });
  } else rows.push({ measure: '`/listen` speakers at < 25 % of one core', now: '10 at 6.8 %', measured: '(--voice)', target: '50', gain: null, met: null });

  say('');
  say('| measure | issue 15 "now" | this run (median) | target | now ÷ this run | target met |');
  say('|---|---|---|---|---|---|');
  for (const r of rows) say(`| ${r.measure} | ${r.now} | ${r.measured} | ${r.target} | ${r.gain === null ? '' : `${r.gain.toFixed(1)}×`} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} |`);
}
