// `npm run fuzz -- --iterations N --seed S`: mutated WAV, Ogg/Opus and WebM/Opus through decodeAudio, each case in a child with a deadline.
//
// Seeds are real files made from RAVDESS clips (../shared, never copied) with the real encoders.
// Every case must end in success or a typed AudioError within the deadline and the memory budget;
// anything else (a hang, an untyped error, a crash, a memory overrun) is a failure: exit status 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { encodeWithFfmpeg, encodeWithOpusenc, FFMPEG, makeWav, OPUSENC, readRavdess } from '../test/helpers/audio-fixtures.js';
import { mutate, rngFor, unitsOf, type Format } from './fuzz/mutate.js';
import { ProbeClient } from './fuzz/probe-client.js';
import { finite, positiveInt } from './options.js';

const FORMATS: readonly Format[] = ['wav', 'ogg', 'webm'];
const MB = 1024 * 1024;
/** Outcomes that mean the decoder misbehaved. */
const FAILURES = new Set(['HANG', 'UNTYPED', 'CRASHED', 'OVER_MEMORY']);

export interface FuzzOptions {
  iterations: number;
  seed: number;
  /** Per case; a case still running is killed and counted as HANG. */
  deadlineMs?: number;
  /** Peak RSS growth over the probe's baseline allowed for one case. */
  memoryBudgetBytes?: number;
  /** Let mutated files that sniff as another codec go on to ffmpeg, as the bot would. */
  useFfmpeg?: boolean;
  /** Also analyze() every decoded case with this model (as the bot's worker does); slower. */
  modelPath?: string | null;
  /** Where failing cases are written, to replay them. */
  saveDir?: string | null;
  onProgress?: (done: number) => void;
}

export interface FormatReport {
  cases: number;
  outcomes: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The largest input this format's cases had (duplication can grow a file). */
  maxBytes: number;
}

export interface FuzzReport {
  iterations: number;
  seed: number;
  formats: Record<Format, FormatReport>;
  /** Highest peak RSS of the probe process over the run, and its baseline (modules loaded, no input). */
  maxRssBytes: number;
  baselineRssBytes: number;
  failures: { index: number; format: Format; outcome: string; applied: string[]; message?: string; file?: string }[];
}

/** Seed files per format, from four RAVDESS clips (different actors, sexes and emotions). */
export function makeSeeds(): Record<Format, Uint8Array[]> {
  if (!FFMPEG) throw new Error('the fuzz seeds need ffmpeg (apt-get install ffmpeg)');
  const clips = [readRavdess(1, 0), readRavdess(2, 17), readRavdess(3, 40), readRavdess(4, 55)];
  const toOgg = (wav: Uint8Array, i: number) =>
    OPUSENC ? encodeWithOpusenc(wav, i % 2 ? ['--bitrate', '24'] : ['--hard-cbr', '--bitrate', '96', '--framesize', '60']) : encodeWithFfmpeg(wav, ['-c:a', 'libopus'], 'ogg');
  return {
    // As RAVDESS ships (16-bit mono), and the shapes our reader branches on: 24-bit stereo, float, 8-bit.
    wav: [
      clips[0].bytes,
      makeWav({ bits: 24, rate: 44_100, samples: [clips[1].samples, clips[2].samples.subarray(0, clips[1].samples.length)] }),
      makeWav({ bits: '32f', rate: 48_000, samples: clips[2].samples }),
      makeWav({ bits: 8, rate: 8_000, samples: clips[3].samples }),
    ],
    ogg: clips.map((c, i) => toOgg(c.bytes, i)),
    webm: clips.map((c, i) => encodeWithFfmpeg(c.bytes, ['-c:a', 'libopus', ...(i % 2 ? ['-b:a', '24k'] : []), '-f', i === 3 ? 'matroska' : 'webm'], i === 3 ? 'mka' : 'webm')),
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const deadlineMs = opts.deadlineMs ?? 10_000;
  const budget = opts.memoryBudgetBytes ?? 200 * MB;
  const seeds = makeSeeds();
  const units = Object.fromEntries(FORMATS.map((f) => [f, seeds[f].map((s) => unitsOf(f, s))])) as Record<Format, ReturnType<typeof unitsOf>[]>;
  const ffmpegPath = opts.useFfmpeg === false ? null : await locateFfmpeg(process.env);
  const probe = new ProbeClient({ deadlineMs, maxDurationSec: 300, ffmpegPath, modelPath: opts.modelPath ?? null });
  const times: Record<Format, number[]> = { wav: [], ogg: [], webm: [] };
  const report: FuzzReport = {
    iterations: opts.iterations,
    seed: opts.seed,
    formats: Object.fromEntries(FORMATS.map((f) => [f, { cases: 0, outcomes: {}, p50Ms: 0, p99Ms: 0, maxMs: 0, maxBytes: 0 }])) as Record<Format, FormatReport>,
    maxRssBytes: 0,
    baselineRssBytes: 0,
    failures: [],
  };
  try {
    for (let index = 0; index < opts.iterations; index++) {
      const rng = rngFor(opts.seed, index);
      const format = FORMATS[index % FORMATS.length];
      const which = Math.floor(rng() * seeds[format].length);
      const { bytes, applied } = mutate(seeds[format][which], format, units[format][which], rng);
      const r = await probe.run(bytes);
      let outcome = r.outcome;
      if (r.maxRss - r.baselineRss > budget) {
        outcome = 'OVER_MEMORY';
        probe.close(); // a fresh child, so the next case's peak is its own
      }
      const f = report.formats[format];
      f.cases++;
      f.outcomes[outcome] = (f.outcomes[outcome] ?? 0) + 1;
      f.maxBytes = Math.max(f.maxBytes, bytes.length);
      times[format].push(r.ms);
      report.maxRssBytes = Math.max(report.maxRssBytes, r.maxRss);
      report.baselineRssBytes = Math.max(report.baselineRssBytes, r.baselineRss);
      if (FAILURES.has(outcome)) {
        let file: string | undefined;
        if (opts.saveDir) {
          mkdirSync(opts.saveDir, { recursive: true });
          file = join(opts.saveDir, `case-${opts.seed}-${index}.${format}`);
          writeFileSync(file, bytes);
        }
        report.failures.push({ index, format, outcome, applied, ...(r.message ? { message: r.message.slice(0, 500) } : {}), ...(file ? { file } : {}) });
      }
      opts.onProgress?.(index + 1);
    }
  } finally {
    probe.close();
  }
  for (const f of FORMATS) {
    const sorted = times[f].sort((a, b) => a - b);
    Object.assign(report.formats[f], { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0 });
  }
  return report;
}

function printReport(r: FuzzReport): void {
  const out = process.stdout;
  out.write(`fuzz: ${r.iterations} cases, seed ${r.seed}\n`);
  for (const [format, f] of Object.entries(r.formats)) {
    const outcomes = Object.entries(f.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.write(`  ${format.padEnd(5)} ${String(f.cases).padStart(6)} cases  p50 ${f.p50Ms.toFixed(1)} ms  p99 ${f.p99Ms.toFixed(1)} ms  max ${f.maxMs.toFixed(1)} ms  largest input ${(f.maxBytes / MB).toFixed(2)} MB\n        ${outcomes}\n`);
  }
  out.write(`  peak RSS of the decode process: ${(r.maxRssBytes / MB).toFixed(0)} MB (baseline ${(r.baselineRssBytes / MB).toFixed(0)} MB)\n`);
  if (r.failures.length) {
    out.write(`FAILURES (${r.failures.length}):\n`);
    for (const x of r.failures.slice(0, 50)) out.write(`  case ${x.index} (${x.format}, ${x.applied.join('+')}): ${x.outcome}${x.message ? ` — ${x.message.split('\n')[0]}` : ''}${x.file ? ` [${x.file}]` : ''}\n`);
  } else {
    out.write('no failures: every case ended in success or a typed error within its deadline and memory budget\n');
  }
}

const USAGE = `Usage: npm run fuzz -- [--iterations N] [--seed S] [--deadline-ms MS] [--memory-mb MB] [--no-ffmpeg] [--save DIR] [--json]
  --iterations N   cases to run (default 300), cycling WAV, Ogg/Opus, WebM/Opus
  --seed S         makes the run reproducible (default 1); case i of seed S is always the same file
  --deadline-ms MS a case still running after this is a HANG (default 10000)
  --memory-mb MB   peak RSS growth allowed per case (default 200)
  --no-ffmpeg      do not hand mutated files that sniff as other codecs to ffmpeg
  --analyze        also run analyze() on each decoded case, with the shipped model
  --save DIR       write failing cases there
Exit status: 0 no failures, 1 some case hung, crashed, overran memory or threw an untyped error, 2 usage.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        iterations: { type: 'string', default: '300' },
        seed: { type: 'string', default: '1' },
        'deadline-ms': { type: 'string', default: '10000' },
        'memory-mb': { type: 'string', default: '200' },
        'no-ffmpeg': { type: 'boolean', default: false },
        analyze: { type: 'boolean', default: false },
        save: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const option = (parse: () => number) => {
    try {
      return parse();
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
      process.exit(2);
    }
  };
  const iterations = option(() => positiveInt('--iterations', values.iterations!, 1e7));
  const seed = option(() => positiveInt('--seed', values.seed!, 2 ** 32 - 1, 0));
  const deadlineMs = option(() => finite('--deadline-ms', values['deadline-ms']!, 100, 600_000));
  const memoryMb = option(() => finite('--memory-mb', values['memory-mb']!, 10, 16_384));
  const started = performance.now();
  const report = await runFuzz({
    iterations,
    seed,
    deadlineMs,
    memoryBudgetBytes: memoryMb * MB,
    useFfmpeg: !values['no-ffmpeg'],
    modelPath: values.analyze ? fileURLToPath(new URL('../models/ser-model.bin', import.meta.url)) : null,
    saveDir: values.save ?? null,
    onProgress: (n) => {
      if (n % 500 === 0) process.stderr.write(`  ${n}/${iterations} cases, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    },
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else printReport(report);
  process.stderr.write(`took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  process.exitCode = report.failures.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`fuzz failed: ${(e as Error).stack ?? e}\n`);
    process.exit(2);
  });
}
