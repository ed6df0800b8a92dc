// `npm run bench:charts`: the cost of the /listen summary chart for a 10-speaker, 60-minute session — SVG build and
// rasterisation in this thread, the round trip through the worker pool as the bot does it, and RSS over many renders.
import { parseArgs } from 'node:util';
import { WorkerPool } from '../src/bot/pool.js';
import { BLOCK_CAP, Speaker } from '../src/bot/voice/speaker.js';
import { sessionChart } from '../src/bot/voice/summary-chart.js';
import type { AnalysisJob, AnalysisJobResult } from '../src/bot/worker.js';
import { laneChart, type LaneChart } from '../src/charts/lanes.js';
import { rasterize } from '../src/charts/raster.js';
import type { Analysis, ConfidenceLevel } from '../src/core/analysis.js';
import { EMOTIONS } from '../src/core/emotions.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { argsOrExit } from './bench/args.js';

const USAGE = `Usage: npm run bench:charts -- [--runs N] [--speakers N] [--minutes N]
  the /listen summary chart: --runs renders (default: 40) of --speakers (default: 10) over --minutes (default: 60)`;
const values = argsOrExit(
  () => parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false }, runs: { type: 'string', default: '40' }, speakers: { type: 'string', default: '10' }, minutes: { type: 'string', default: '60' } } }),
  USAGE,
);
const RUNS = Number(values.runs);
const SPEAKERS = Number(values.speakers);
const SECONDS = Number(values.minutes) * 60;

let seed = 7;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const level = (c: number): ConfidenceLevel => (c >= 0.7 ? 'high' : c >= 0.4 ? 'medium' : c >= 0.35 ? 'low' : 'uncertain');

/** A conversation: speakers take turns (1–15 s utterances, 1–4 segments each) with short pauses, for the whole session. */
function conversation(): LaneChart {
  const speakers = Array.from({ length: SPEAKERS }, (_, i) => new Speaker(String(i), `Speaker ${i + 1} with a long display name`));
  for (let t = 0; t < SECONDS - 16; ) {
    const who = speakers[Math.floor(rnd() * SPEAKERS)]!;
    const dur = 1 + rnd() * 14;
    const n = 1 + Math.floor(rnd() * 4);
    const segments = Array.from({ length: n }, (_, k) => {
      const c = 0.2 + rnd() * 0.75;
      const e = EMOTIONS[Math.floor(rnd() * EMOTIONS.length)]!;
      return { emotion: e, confidence: c, level: level(c), start: (k * dur) / n, end: ((k + 0.9) * dur) / n, top3: [], probabilities: {} as never, gated: false };
    });
    const a = { ...segments[0]!, durationSec: dur, speechSec: dur * 0.9, segments, modelVersion: 'bench' } as unknown as Analysis;
    t += dur;
    who.record(a, t * 1000 + 300, t * 1000);
    t += 0.3 + rnd() * 2;
  }
  return sessionChart({ speakers, durationMs: SECONDS * 1000 })!;
}

/** The worst case the session can hand over: every speaker at the block cap, no two neighbours alike. */
function worst(): LaneChart {
  const c = conversation();
  return {
    ...c,
    lanes: c.lanes.map((l) => ({
      ...l,
      blocks: Array.from({ length: BLOCK_CAP }, (_, k) => ({ start: (k * SECONDS) / BLOCK_CAP, end: ((k + 0.8) * SECONDS) / BLOCK_CAP, emotion: EMOTIONS[k % 7]!, confidence: 0.3 + (k % 5) * 0.15, uncertain: k % 11 === 0 })),
    })),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** CPU ms of this process since `from` (only this thread works here, so it is this thread's CPU). */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

// resvg's native images are freed by finalizers that run on the event loop, not inside a synchronous loop:
// yield between renders as the worker does between jobs, or a tight loop holds every image until it ends.
const tick = () => new Promise((r) => setImmediate(r));

async function timeInThread(name: string, chart: LaneChart): Promise<void> {
  const svgMs: number[] = [], rasterMs: number[] = [], cpu: number[] = [];
  let bytes = 0, blocks = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { svg } = laneChart(chart);
    const t1 = performance.now();
    const r = rasterize(svg);
    const t2 = performance.now();
    if (i >= 3) (svgMs.push(t1 - t0), rasterMs.push(t2 - t1), cpu.push(cpuMs(c0)));
    await tick();
    bytes = r.png.byteLength;
    blocks = (svg.match(/<rect/g) ?? []).length;
  }
  const total = svgMs.map((s, i) => s + rasterMs[i]!);
  console.log(`${name}: ${chart.lanes.reduce((a, l) => a + l.blocks.length, 0)} blocks → ${blocks} rects; PNG ${(bytes / 1024).toFixed(0)} kB`);
  console.log(`  wall: svg median ${median(svgMs).toFixed(1)} ms · rasterise + PNG median ${median(rasterMs).toFixed(1)} ms · total median ${median(total).toFixed(1)} ms, p95 ${p95(total).toFixed(1)} ms (${RUNS} runs)`);
  // On a shared machine wall time includes waiting for a core; CPU time is the chart's own cost.
  console.log(`  CPU: median ${median(cpu).toFixed(1)} ms, p95 ${p95(cpu).toFixed(1)} ms per chart`);
}

async function main(): Promise<void> {
  const chart = conversation();
  console.log(`${SPEAKERS} speakers, ${SECONDS / 60} min; rendering on this thread:`);
  await timeInThread('conversation', chart);
  await timeInThread('worst case (every speaker at the block cap, no two neighbours alike)', worst());

  // Lasting growth, in this thread: RSS after a GC every 50 renders (run with --expose-gc; without it, RSS as it stands).
  const gc = (globalThis as { gc?: () => void }).gc;
  const settled = async () => {
    gc?.();
    await tick();
    gc?.();
    return process.memoryUsage().rss;
  };
  const before = await settled();
  const series: number[] = [];
  for (let i = 1; i <= 300; i++) {
    rasterize(laneChart(chart).svg);
    await tick();
    if (i % 50 === 0) series.push(await settled());
  }
  console.log(`RSS in this thread${gc ? ' (after GC)' : ''}: before ${mb(before)}; every 50 of 300 renders: ${series.map(mb).join(', ')}`);

  // The bot's path: the chart data goes to a pool worker, the PNG comes back. RSS is the whole process (workers included).
  const pool = new WorkerPool<AnalysisJob, AnalysisJobResult>({ module: new URL('../src/bot/worker.ts', import.meta.url), size: 1, maxQueue: 4, workerData: { modelPath: DEFAULT_MODEL_PATH, ffmpegPath: null } });
  await pool.run({ kind: 'render', render: { chart: 'lanes', data: chart } });
  const rss0 = await settled();
  const rtt: number[] = [];
  const rssAt: number[] = [];
  const rounds = Math.max(200, RUNS * 5);
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await pool.run({ kind: 'render', render: { chart: 'lanes', data: chart } });
    rtt.push(performance.now() - t0);
    if (i % 50 === 49) rssAt.push(await settled());
  }
  await pool.close();
  console.log(`worker pool round trip (as the bot does it): median ${median(rtt).toFixed(1)} ms, p95 ${p95(rtt).toFixed(1)} ms over ${rounds} renders`);
  console.log(`RSS with the pool (process, workers included) after warm-up ${mb(rss0)}; every 50 renders: ${rssAt.map(mb).join(', ')}`);
}

void main();
