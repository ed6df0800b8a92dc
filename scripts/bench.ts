// `npm run bench`: speed of the core on real RAVDESS clips (medians and real-time factors, one core).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../src/core/analyze.js';
import { speechOnly } from '../src/core/audio/vad.js';
import { decodeAudio } from '../src/core/audio/decode.js';
import { extractFeatures } from '../src/core/features/extract.js';
import { readModel } from '../src/core/model/io.js';
import { durationSec } from '../src/core/pcm.js';
import { listDataset } from './train/dataset.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/datasets/ravdess' },
    files: { type: 'string', default: '100' },
    model: { type: 'string', default: 'models/ser-model.json.gz' },
  },
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const pctl = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** CPU time of `fn` in ms (user + system of this process; the work is single-threaded). */
function cpuMs(fn: () => void): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

async function main(): Promise<void> {
  const n = Number(values.files);
  const listing = await listDataset(values.data!);
  // Every 12th file: a spread over actors and emotions, the same 100 files every run.
  const step = Math.max(1, Math.floor(listing.items.length / n));
  const items = listing.items.filter((_, i) => i % step === 0).slice(0, n);
  const bytes = await Promise.all(items.map((i) => readFile(i.path)));
  const model = await readModel(values.model!);

  const decoded = await Promise.all(bytes.map((b) => decodeAudio(b)));
  const audioSec = decoded.reduce((s, p) => s + durationSec(p), 0);
  // Warm-up: JIT and the feature tables.
  for (const p of decoded.slice(0, 10)) analyze(p, model);

  const wall = { decode: [] as number[], features: [] as number[], analyze: [] as number[], total: [] as number[] };
  let cpuTotal = 0;
  for (let i = 0; i < items.length; i++) {
    const t0 = performance.now();
    let p = decoded[i];
    const c0 = process.cpuUsage();
    p = await decodeAudio(bytes[i]);
    const t1 = performance.now();
    const speech = speechOnly(p);
    const t2 = performance.now();
    extractFeatures(speech.samples);
    const t3 = performance.now();
    analyze(p, model);
    const t4 = performance.now();
    const c = process.cpuUsage(c0);
    cpuTotal += (c.user + c.system) / 1000;
    wall.decode.push(t1 - t0);
    wall.features.push(t3 - t2);
    wall.analyze.push(t4 - t3);
    wall.total.push(t1 - t0 + (t4 - t3));
  }
  // The loop above measures features twice (once alone, once inside analyze); CPU for the product path:
  const productCpu = cpuMs(() => { for (const p of decoded) analyze(p, model); }) + wall.decode.reduce((a, b) => a + b, 0);
  const mean = audioSec / items.length;
  const line = (name: string, xs: number[]) => `${name.padEnd(26)} median ${median(xs).toFixed(2)} ms  p90 ${pctl(xs, 0.9).toFixed(2)} ms`;
  process.stdout.write(
    `core benchmark: ${items.length} RAVDESS files from ${join(values.data!)}, mean ${mean.toFixed(2)} s each, model ${model.card.version}\n` +
      [line('decode (WAV)', wall.decode), line('features (speech only)', wall.features), line('analyze (vad+features+predict)', wall.analyze), line('decode + analyze', wall.total)].join('\n') +
      `\nreal-time factor, decode + analyze: ${(audioSec / (productCpu / 1000)).toFixed(0)}× on one core (${(productCpu / items.length).toFixed(2)} ms CPU per file)` +
      `\nfeature extraction alone: ${(audioSec / (wall.features.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)}× real time` +
      `\nRSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; measuring loop CPU ${cpuTotal.toFixed(0)} ms\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
