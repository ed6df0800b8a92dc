// The child of `npm run bench:bot -- --breakdown`: the compiled worker pool alone (no gateway, no discord.js),
// started with `npm start`'s Node flags and environment by the parent. Runs `analyses` jobs on the voice note
// at `note`, then prints the process's RSS at each step and each worker's own heap figures as JSON.
// Arguments: workers analyses note-path settle-ms model-path [bare] (bare: workers that load nothing, the isolate's own cost)
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

const [workers, analyses, notePath, settleMs, modelPath, bare] = process.argv.slice(2);
const ROOT = new URL('../../', import.meta.url);
const { WorkerPool } = await import(new URL('dist/src/bot/pool.js', ROOT).href);

function status() {
  const s = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) / 1024;
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM'), anonMb: kb('RssAnon'), fileMb: kb('RssFile'), threads: kb('Threads') * 1024 };
}

/** Anonymous mappings of 64 MB reservations (glibc's per-thread malloc arenas reserve 64 MB each), and their RSS. */
function arenas() {
  const maps = readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/);
  let count = 0;
  let rssMb = 0;
  for (const m of maps) {
    const [range] = m.split(' ');
    const [a, b] = range.split('-').map((h) => parseInt(h, 16));
    // An arena heap is 64 MB (HEAP_MAX_SIZE) aligned to 64 MB: its used part readable, the rest PROT_NONE right after.
    if (b - a > 64 * 2 ** 20 || a % (64 * 2 ** 20) !== 0 || /\s\//.test(m.split('\n')[0])) continue;
    count++;
    rssMb += Number(/\nRss:\s+(\d+) kB/.exec(m)?.[1] ?? 0) / 1024;
  }
  return { count, rssMb };
}

/** The mappings holding the most RSS: what the process's memory is (heap pages, malloc arenas, code, files). */
function topMappings(n) {
  const maps = readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/);
  return maps
    .map((m) => {
      const head = m.split('\n')[0].split(/\s+/);
      const [a, b] = head[0].split('-').map((h) => parseInt(h, 16));
      return { sizeMb: (b - a) / 2 ** 20, rssMb: Number(/\nRss:\s+(\d+) kB/.exec(m)?.[1] ?? 0) / 1024, what: head.slice(5).join(' ') || head[1] };
    })
    .sort((x, y) => y.rssMb - x.rssMb)
    .slice(0, n);
}

const steps = { start: status() };
const note = readFileSync(notePath);
// As the bot does (src/bot/app.ts): the model read once into shared memory, for every worker.
const { readModelBytes } = await import(new URL('dist/src/core/model/file-bytes.js', ROOT).href);
const modelBytes = await readModelBytes(modelPath, { shared: true });
const pool = new WorkerPool({
  module: new URL('scripts/bench/worker-probe.mjs', ROOT),
  size: Number(workers),
  maxQueue: 1000,
  workerData: { modelPath, modelBytes, ffmpegPath: null, target: bare ? null : new URL('dist/src/bot/worker.js', ROOT).href },
});
await pool.whenReady();
if (!bare) await pool.run({ kind: 'card' });
steps.loaded = status();
const cpu0 = process.cpuUsage();
const n = bare ? 0 : Number(analyses);
// As the bot is loaded: two jobs per worker in flight.
let next = 0;
await Promise.all(
  Array.from({ length: 2 * Number(workers) }, async () => {
    while (next < n) {
      next++;
      await pool.run({ kind: 'bytes', bytes: new Uint8Array(note), maxDurationSec: 300 });
    }
  }),
);
const cpu = process.cpuUsage(cpu0);
steps.afterAnalyses = status();
await new Promise((r) => setTimeout(r, Number(settleMs)));
steps.settled = status();
const probes = await Promise.all(Array.from({ length: Number(workers) }, () => pool.run({ probe: true })));
const mem = process.memoryUsage();
const main = { heapTotalMb: mem.heapTotal / 2 ** 20, heapUsedMb: mem.heapUsed / 2 ** 20, externalMb: mem.external / 2 ** 20, arrayBuffersMb: mem.arrayBuffers / 2 ** 20, mallocedMb: v8.getHeapStatistics().malloced_memory / 2 ** 20 };
const out = { workers: Number(workers), analyses: n, cpuMsPerAnalysis: n ? (cpu.user + cpu.system) / 1000 / n : null, steps, arenas: arenas(), top: topMappings(25), main, probes };
await pool.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
