// Preloaded into the bot by `npm run bench:bot -- --detail`: on SIGUSR2 it writes where the process's memory is to
// BENCH_BOT_PROBE_OUT (JSON): the main thread's V8 heap (spaces, external, array buffers, malloced), each worker's V8
// heap (Worker.getHeapStatistics), and the resident memory by kind of mapping (/proc/self/smaps).
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

const MB = 2 ** 20;
const workers = new Set();
process.on('worker', (w) => {
  workers.add(w);
  w.once('exit', () => workers.delete(w));
});

/** Resident kB by kind: the node binary's pages, other files (addons, libc), glibc's heap and arenas, thread stacks, other anonymous memory (V8's heaps, mmap'd malloc chunks, WebAssembly). */
function mappings() {
  const kinds = {};
  const big = [];
  for (const m of readFileSync('/proc/self/smaps', 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const head = m.split('\n')[0].split(/\s+/);
    const [a, b] = head[0].split('-').map((h) => parseInt(h, 16));
    const name = head.slice(5).join(' ');
    const rss = Number(/\nRss:\s+(\d+) kB/.exec(m)?.[1] ?? 0) / 1024;
    const anon = Number(/\nAnonymous:\s+(\d+) kB/.exec(m)?.[1] ?? 0) / 1024;
    let kind;
    if (name === process.execPath || name.endsWith('/node')) kind = anon > 0 ? 'node binary (written)' : 'node binary';
    else if (name.startsWith('/')) kind = name.endsWith('.node') ? 'addons' : 'other files';
    else if (name === '[heap]') kind = 'brk heap';
    else if (name.startsWith('[stack')) kind = 'stacks';
    else if (name.startsWith('[')) kind = name;
    else if (b - a <= 64 * MB && a % (64 * MB) === 0) kind = 'malloc arenas';
    else kind = 'anonymous';
    kinds[kind] = (kinds[kind] ?? 0) + rss;
    if (rss >= 1) big.push({ mb: +rss.toFixed(1), sizeMb: +((b - a) / MB).toFixed(1), kind, name: name || head[1] });
  }
  return { kinds: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, +v.toFixed(1)])), big: big.sort((x, y) => y.mb - x.mb).slice(0, 30) };
}

const heap = (s) => ({ totalMb: +(s.total_heap_size / MB).toFixed(2), usedMb: +(s.used_heap_size / MB).toFixed(2), physicalMb: +(s.total_physical_size / MB).toFixed(2), mallocedMb: +(s.malloced_memory / MB).toFixed(2), externalMb: +(s.external_memory / MB).toFixed(2) });

process.on('SIGUSR2', async () => {
  const mem = process.memoryUsage();
  const main = {
    ...heap(v8.getHeapStatistics()),
    arrayBuffersMb: +(mem.arrayBuffers / MB).toFixed(2),
    spaces: Object.fromEntries(v8.getHeapSpaceStatistics().filter((s) => s.space_size > 0).map((s) => [s.space_name.replace(/_space$/, ''), [+(s.space_size / MB).toFixed(2), +(s.space_used_size / MB).toFixed(2)]])),
  };
  const ws = await Promise.all([...workers].map((w) => w.getHeapStatistics().then(heap, (e) => ({ error: String(e) }))));
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  writeFileSync(process.env.BENCH_BOT_PROBE_OUT, JSON.stringify({ rssMb: kb('VmRSS'), anonMb: kb('RssAnon'), fileMb: kb('RssFile'), main, workers: ws, ...mappings() }));
});
