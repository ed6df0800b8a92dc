// `npm run bench`: speed of the core on real RAVDESS clips (medians and real-time factors, one core), then issue 15's
// table (scripts/bench/table.ts): steady CPU, the compiled CLI, resampling, model load; --bot and --voice add the bot.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyze } from '../src/core/analyze.js';
import { speechOnly } from '../src/core/audio/vad.js';
import { decodeAudio } from '../src/core/audio/decode.js';
import { extractFeatures } from '../src/core/features/extract.js';
import { readModel } from '../src/core/model/io.js';
import { durationSec } from '../src/core/pcm.js';
import { listDataset } from './train/dataset.js';
import { checkAnswers } from './bench/answers.js';
import { benchStages } from './bench/stages.js';
import { issueTable } from './bench/table.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { argsOrExit } from './bench/args.js';

const USAGE = `Usage: npm run bench -- [options]
  (no options)        decode + features + predict on --files RAVDESS clips, then issue 15's table
  --files N           clips for the core benchmark (default: 100); --data DIR their dataset (default: ../shared/datasets/ravdess)
  --rounds N          rounds of the steady row and of --stages (default: 5)
  --bot               add the bot's RSS after 1,000 analyses with 1 and 2 workers (~5 min)
  --voice             add /listen with 50 simulated speakers (~2 min)
  --save / --check    store / compare the answers on 200 fixed clips (--reference FILE, default: .cache/bench-answers.json)
  --stages            CPU per audio-second of each spectral stage and the resampler; --baseline DIR: another checkout beside it
  --model FILE        the model (default: ${DEFAULT_MODEL_PATH})`;

const values = argsOrExit(() => parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    data: { type: 'string', default: '../shared/datasets/ravdess' },
    files: { type: 'string', default: '100' },
    model: { type: 'string', default: DEFAULT_MODEL_PATH },
    // --check: answers on 200 fixed clips against the stored reference (--save stores a new one).
    check: { type: 'boolean', default: false },
    save: { type: 'boolean', default: false },
    reference: { type: 'string', default: '.cache/bench-answers.json' },
    // --stages: CPU per audio-second of each spectral stage; --baseline DIR runs another checkout's beside them.
    stages: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    // The table (after the stage medians; its steady row takes --rounds too): --bot adds the bot's RSS after
    // 1,000 analyses (~5 min), --voice /listen with 50 speakers (~2 min).
    bot: { type: 'boolean', default: false },
    voice: { type: 'boolean', default: false },
  },
}), USAGE);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const pctl = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

/** Every k-th file: a spread over actors and emotions, the same n files every run. */
async function fixedClips(n: number): Promise<string[]> {
  const listing = await listDataset(values.data!);
  const step = Math.max(1, Math.floor(listing.items.length / n));
  return listing.items.filter((_, i) => i % step === 0).slice(0, n).map((i) => i.path);
}

async function main(): Promise<void> {
  if (values.check || values.save) {
    const ok = await checkAnswers(await fixedClips(200), await readModel(values.model!), values.reference!, values.save!);
    process.exit(ok ? 0 : 1);
  }
  const n = Number(values.files);
  const items = (await fixedClips(n)).map((path) => ({ path }));
  const bytes = await Promise.all(items.map((i) => readFile(i.path)));
  const model = await readModel(values.model!);

  const decoded = await Promise.all(bytes.map((b) => decodeAudio(b)));
  if (values.stages) return benchStages(decoded, values.baseline, Number(values.rounds));
  const audioSec = decoded.reduce((s, p) => s + durationSec(p), 0);
  for (const p of decoded.slice(0, 10)) analyze(p, model); // warm-up: JIT and the feature tables

  // Each stage alone, per file, in wall-clock ms (single-threaded, so wall ≈ CPU on an idle core).
  const stage = { decode: [] as number[], vad: [] as number[], features: [] as number[], full: [] as number[] };
  for (let i = 0; i < items.length; i++) {
    let t = performance.now();
    const p = await decodeAudio(bytes[i]);
    stage.decode.push(performance.now() - t);
    t = performance.now();
    const speech = speechOnly(p);
    stage.vad.push(performance.now() - t);
    t = performance.now();
    extractFeatures(speech.samples);
    stage.features.push(performance.now() - t);
    t = performance.now();
    analyze(p, model);
    stage.full.push(stage.decode[i] + performance.now() - t);
  }
  // The product path once more, timed as process CPU: the real-time factor on one core.
  const c0 = process.cpuUsage();
  for (const b of bytes) analyze(await decodeAudio(b), model);
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  const line = (name: string, xs: number[]) => `${name.padEnd(34)} median ${median(xs).toFixed(2)} ms   p90 ${pctl(xs, 0.9).toFixed(2)} ms`;
  process.stdout.write(
    `core benchmark: ${items.length} RAVDESS files, mean ${(audioSec / items.length).toFixed(2)} s each, model ${model.card.version}\n` +
      [
        line('decode (16-bit WAV)', stage.decode),
        line('speech detection (VAD)', stage.vad),
        line('features (speech only)', stage.features),
        line('decode + analyze (the product)', stage.full),
      ].join('\n') +
      `\nreal time factor, decode + analyze: ${(audioSec / (cpuMs / 1000)).toFixed(0)}x on one core (${(cpuMs / items.length).toFixed(2)} ms CPU per file, ${(cpuMs / audioSec).toFixed(2)} ms per audio second)` +
      `\nfeatures alone: ${(audioSec / (stage.features.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)}x real time; RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`,
  );
  process.stdout.write('\nissue 15 (CPU = user + system time of all threads; medians):\n');
  await issueTable(
    { paths: items.map((i) => i.path), bytes, decoded, model, modelPath: values.model!, rounds: Number(values.rounds), bot: values.bot!, voice: values.voice! },
    (line) => process.stdout.write(`${line}\n`),
  );
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
