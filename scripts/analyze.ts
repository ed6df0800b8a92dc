// `npm run analyze -- [--json] [--transcribe] [--model PATH] PATH...`: the core's answer for files, without Discord.
import { SHORT_RUN_FILES, shortRunFlags } from './v8-flags.js'; // first: before any analysis code is compiled
import { constants } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeAudio } from '../src/bot/worker-analysis.js';
import type { WorkerPool } from '../src/bot/pool.js';
import type { AnalysisJob, AnalysisJobResult, AnalysisWithWav } from '../src/bot/worker.js';
import type { Analysis } from '../src/core/analysis.js';
import { analysisDeadlineMs, ANALYSIS_MS_PER_AUDIO_SECOND } from '../src/core/audio/deadline.js';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { EMOJI } from '../src/core/emotions.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { readModel, type EmotionModel } from '../src/core/model/io.js';
import type { TranscribeOutcome } from '../src/transcribe/client.js';
import type { TranscribeSettings } from '../src/transcribe/settings.js';
import { filesBelow, isAudioName, isDirectory } from './audio-files.js';
import { finite, outputPathError } from './options.js';

const SAMPLES = 'samples';
const DEFAULT_MAX_MB = 256;
const MB = 1024 * 1024;

const USAGE = `Usage: npm run analyze -- [--json] [--transcribe] [--plot OUT.png|OUT.svg] [--model PATH] [PATH...]
  PATH         an audio file or a folder (searched for audio files); default: the bundled ${SAMPLES}/
  --json       one JSON object per file per line on stdout
  --transcribe also show what was said, via the TRANSCRIBE_* settings (environment or .env, see .env.example)
  --plot OUT   also draw each file's emotion timeline, as the bot attaches it: OUT.png or OUT.svg
               (several files: OUT-<file name>.png or .svg each, as OUT asks)
  --model PATH model file (default: ${DEFAULT_MODEL_PATH})
  --max-seconds N  longest audio accepted, 1-3600 (default: 300)
  --max-mb N   largest file read, 0.001-4096 MB (default: ${DEFAULT_MAX_MB}); only regular files are read
  --timeout N  seconds one file may take to decode and analyze before it is stopped and the next one
               starts, 1-3600 (default: a few times what the longest allowed audio costs)
Exit status: 0 all files analyzed, 1 some failed (the others are still printed), 2 usage or model error.
A transcript that fails is reported on its file's line and does not change the exit status.`;

interface FileError {
  code: string;
  message: string;
}

/** What was said, as printed: the text, or why there is none (the failure's hint for an operator). */
type Transcript = { ok: true; text: string } | { ok: false; code: string; message: string };

interface FileResult {
  analysis: Analysis | { error: FileError };
  /** Present when --transcribe was given and the file decoded. */
  transcript?: Transcript;
}

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** A file to analyze, or a folder entry that could not be listed (reported as that path's error line). */
interface Item {
  path: string;
  error?: FileError;
}

async function expand(paths: string[]): Promise<Item[]> {
  const out: Item[] = [];
  for (const p of paths) {
    if (await isDirectory(p)) {
      const unreadable: Item[] = [];
      const files = await filesBelow(p, (path, e) => unreadable.push({ path, error: { code: 'FOLDER_UNREADABLE', message: `Cannot list this folder (${e.code ?? e.message}).` } }));
      out.push(...files.filter(isAudioName).map((path) => ({ path })), ...unreadable);
    } else {
      out.push({ path: p }); // files are taken as given: the bytes decide whether they are audio
    }
  }
  return out;
}

/**
 * The file's bytes, judged by stat() before anything is read: a device (/dev/zero), FIFO or socket
 * would be read forever or block, and a huge file would be read whole before its length is known.
 * Opened non-blocking, then checked again on the open handle, so a path swapped meanwhile is caught too.
 */
async function readAudioFile(path: string, maxBytes: number): Promise<Uint8Array | FileError> {
  const refuse = (s: { isFile(): boolean; size: number }): FileError | null => {
    if (!s.isFile()) return { code: 'NOT_A_FILE', message: 'Not a regular file (a device, pipe or socket); only audio files are read.' };
    if (s.size > maxBytes) return { code: 'FILE_TOO_BIG', message: `The file is ${(s.size / MB).toFixed(1)} MB; the limit is ${+(maxBytes / MB).toFixed(3)} MB (--max-mb).` };
    return null;
  };
  try {
    const early = refuse(await stat(path));
    if (early) return early;
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const late = refuse(await handle.stat());
      if (late) return late;
      const buf = await handle.readFile();
      if (buf.length > maxBytes) return refuse({ isFile: () => true, size: buf.length })!;
      // A buffer that owns its memory moves to the worker without a copy.
      return buf.byteOffset === 0 && buf.buffer.byteLength === buf.length ? buf : new Uint8Array(buf);
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { code: 'FILE_NOT_FOUND', message: 'No such file.' } : { code: 'FILE_UNREADABLE', message: `Cannot read the file (${code ?? (e as Error).message}).` };
  }
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

function mmss(sec: number): string {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function humanLine(file: string, a: Analysis): string {
  const top3 = a.top3.map((t) => `${t.emotion} ${pct(t.probability)}`).join(', ');
  const note = (a.level === 'uncertain' ? ' — not sure; best guess shown' : '') + (a.synthetic ? "; doesn't sound like a human voice" : '');
  let line = `${file}  ${EMOJI[a.emotion]} ${a.emotion} ${pct(a.confidence)} (${a.level}${note})  top-3: ${top3}  [${a.speechSec.toFixed(1)} s speech of ${a.durationSec.toFixed(1)} s]`;
  if (a.segments.length > 1) line += '\n' + a.segments.map((s) => `    ${mmss(s.start)}–${mmss(s.end)}  ${EMOJI[s.emotion]} ${s.emotion} ${pct(s.confidence)} (${s.level})`).join('\n');
  return line;
}

/** `transcript` when there is one, `transcriptError` ({code, message}) when it failed; nothing without --transcribe. */
function transcriptFields(t: Transcript | undefined): Record<string, unknown> {
  if (!t) return {};
  return t.ok ? { transcript: t.text } : { transcriptError: { code: t.code, message: t.message } };
}

function transcriptLine(t: Transcript): string {
  return t.ok ? `    📝 ${t.text ? JSON.stringify(t.text) : '(no words recognized)'}` : `    📝 transcript unavailable — ${t.code}: ${t.message}`;
}

function jsonLine(file: string, { analysis: result, transcript }: FileResult): string {
  if ('error' in result) return JSON.stringify({ file, error: result.error, ...transcriptFields(transcript) });
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  return JSON.stringify({
    file,
    emotion: result.emotion,
    confidence: r(result.confidence),
    level: result.level,
    top3: result.top3.map((t) => ({ emotion: t.emotion, probability: r(t.probability) })),
    durationSec: r(result.durationSec),
    speechSec: r(result.speechSec),
    gated: result.gated,
    synthetic: result.synthetic ?? false,
    segments: result.segments.map((s) => ({ start: r(s.start), end: r(s.end), emotion: s.emotion, confidence: r(s.confidence), level: s.level })),
    model: result.modelVersion,
    ...transcriptFields(transcript),
  });
}

function fileError(e: unknown, timeoutSec: number): { error: FileError } {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : 'INTERNAL';
  if (code === 'TIMEOUT') return { error: { code, message: `Decoding and analyzing took longer than ${timeoutSec} s, so it was stopped (--timeout).` } };
  return { error: { code, message: typeof err?.message === 'string' ? err.message : String(e) } };
}

/** --transcribe: its settings and the client, loaded only then (with dotenv). */
interface Stt {
  transcribe(wav: Uint8Array): Promise<Transcript>;
  describe(): Record<string, unknown>;
}

interface Run {
  model: EmotionModel;
  /** The worker for files not analyzed in this thread, started (and ffmpeg looked for) by the first such file. */
  pool(): Promise<WorkerPool<AnalysisJob, AnalysisJobResult>>;
  /** Files the project decodes itself are decoded and analyzed in this thread (see analyzeFile), which never
   *  needs ffmpeg; false when --timeout is shorter than --max-seconds' audio may take. */
  inThread: boolean;
  maxDurationSec: number;
  maxBytes: number;
  timeoutSec: number;
  stt: Stt | null;
}

/**
 * A file is decoded and analyzed in this thread when the deadline could not fire anyway: when --max-seconds bounds
 * its cost and run.inThread says that bound, at the pool's allowance per audio-second, fits within --timeout. That
 * holds for every format the project decodes itself: PCM WAV (a longer file is refused from its header), Ogg/Opus
 * and WebM/Opus (packets and samples counted against --max-seconds as they are read, at most 400 packets a
 * second). It spares a run a second V8 isolate loading and compiling the analysis: one Ogg/Opus voice note took
 * half the CPU (10 alternated pairs: 219 -> 108 ms), the bundled samples 464 -> 323 ms. A file that needs ffmpeg,
 * which can stall, is refused here before anything is decoded (this thread has no ffmpeg: FFMPEG_MISSING) and is
 * decoded and analyzed in the worker with a deadline: a file that stalls its decoder costs its own line, never the
 * rest.
 */
async function analyzeFile(path: string, run: Run): Promise<FileResult> {
  const bytes = await readAudioFile(path, run.maxBytes);
  if (!(bytes instanceof Uint8Array)) return { analysis: { error: bytes } };
  let done: { analysis: Analysis; wav?: Uint8Array };
  try {
    done = (run.inThread && (await analyzedHere(bytes, run))) || (await analyzedInWorker(bytes, run));
  } catch (e) {
    return { analysis: fileError(e, run.timeoutSec) };
  }
  const { analysis, wav } = done;
  return run.stt && wav ? { analysis, transcript: await run.stt.transcribe(wav) } : { analysis };
}

/** What the worker would do, here (with --transcribe also the upload the bot sends: the decoded 16 kHz audio as
 *  WAV); null when the file needs ffmpeg. */
async function analyzedHere(bytes: Uint8Array, run: Run): Promise<{ analysis: Analysis; wav?: Uint8Array } | null> {
  try {
    return await analyzeAudio({ bytes }, run.model, { maxDurationSec: run.maxDurationSec }, { ffmpegPath: null, wav: run.stt !== null });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'FFMPEG_MISSING') return null;
    throw e;
  }
}

async function analyzedInWorker(bytes: Uint8Array, run: Run): Promise<{ analysis: Analysis; wav?: Uint8Array }> {
  const result = await (await run.pool()).run({ kind: 'bytes', bytes, maxDurationSec: run.maxDurationSec, ...(run.stt ? { wav: true } : {}) }, [bytes.buffer as ArrayBuffer]);
  return run.stt ? (result as AnalysisWithWav) : { analysis: result as Analysis };
}

/** The file's timeline, the picture /analyze attaches: SVG as drawn, or PNG through the bundled font. */
async function writePlot(out: string, a: Analysis, name: string): Promise<void> {
  // Loaded only for --plot: the rasteriser's native addon is ~20 ms of start-up a plain run does not need.
  const [{ analysisTimeline, laneChart }, { rasterize }] = await Promise.all([import('../src/charts/lanes.js'), import('../src/charts/raster.js')]);
  const { svg } = laneChart(analysisTimeline(a, name));
  await writeFile(out, out.toLowerCase().endsWith('.svg') ? svg : rasterize(svg).png);
}

/** TRANSCRIBE_* from the environment over `.env` (as the bot reads them), or exit 2 saying what is missing. */
async function transcribeSettingsOrExit(): Promise<Stt> {
  // Loaded only for --transcribe: a plain run reads no .env and needs no HTTP client.
  const [{ default: dotenv }, { describeSettings, readTranscribeSettings, TranscribeSettingError }, { operatorHint, transcribe }] = await Promise.all([
    import('dotenv'),
    import('../src/transcribe/settings.js'),
    import('../src/transcribe/client.js'),
  ]);
  const fromFile: Record<string, string> = {};
  dotenv.config({ quiet: true, processEnv: fromFile });
  let settings: TranscribeSettings | null;
  try {
    settings = readTranscribeSettings({ ...fromFile, ...process.env });
  } catch (e) {
    if (!(e instanceof TranscribeSettingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (!settings) {
    process.stderr.write('--transcribe needs TRANSCRIBE_URL (e.g. https://api.openai.com/v1 with TRANSCRIBE_API_KEY, or a local whisper.cpp server); see .env.example.\n');
    process.exit(2);
  }
  const s = settings;
  const printable = (t: TranscribeOutcome): Transcript => (t.ok ? t : { ok: false, code: t.code, message: operatorHint(t) });
  return { transcribe: async (wav) => printable(await transcribe(wav, s)), describe: () => describeSettings(s) };
}

/**
 * The worker for files not analyzed in this thread. Its module (and node:worker_threads) is loaded only now, and
 * ffmpeg looked for only now: a run of WAV, Ogg/Opus or WebM/Opus files needs neither. With node:child_process left
 * unloaded too (ffmpeg.ts), a one-file WAV run took ~9 % less CPU (20 alternated triples, 97 -> 88 ms; it then also
 * stays under V8's first full GC); 30 files were within noise (three sets: 1.017, 1.064, 0.989). Either module
 * alone gained nothing measurable.
 */
async function startPool(modelPath: string, timeoutSec: number): Promise<WorkerPool<AnalysisJob, AnalysisJobResult>> {
  const [{ moduleBeside, WorkerPool }, ffmpegPath] = await Promise.all([import('../src/bot/pool.js'), locateFfmpeg(process.env)]);
  return new WorkerPool<AnalysisJob, AnalysisJobResult>({
    module: moduleBeside(import.meta.url, '../src/bot/worker'),
    size: 1,
    maxQueue: 1,
    workerData: { modelPath, ffmpegPath },
    jobTimeoutMs: timeoutSec * 1000,
    // V8's own young generation, not the bot's 3 MB cap: that cap keeps a long-running bot small, but in a run of a
    // few seconds it only adds scavenges (~1.6 % more CPU on the bundled samples when their Ogg notes still went to
    // the worker, 10 alternated pairs).
    resourceLimits: {},
  });
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        transcribe: { type: 'boolean', default: false },
        model: { type: 'string', default: DEFAULT_MODEL_PATH },
        'max-seconds': { type: 'string', default: '300' },
        plot: { type: 'string' },
        'max-mb': { type: 'string', default: String(DEFAULT_MAX_MB) },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE + '\n'); return; }
  let maxDurationSec = 0;
  let maxBytes = 0;
  let timeoutSec = 0;
  try {
    // Finite and in range: "Infinity" or "1e400" would remove the length limit altogether.
    maxDurationSec = finite('--max-seconds', values['max-seconds']!, 1, 3600);
    maxBytes = Math.floor(finite('--max-mb', values['max-mb']!, 0.001, 4096) * MB);
    timeoutSec = values.timeout === undefined ? analysisDeadlineMs(maxDurationSec) / 1000 : finite('--timeout', values.timeout, 1, 3600);
  } catch (e) {
    usage((e as Error).message);
  }
  const plot = values.plot;
  if (plot !== undefined && !/\.(png|svg)$/i.test(plot)) usage(`--plot needs a file name ending in .png or .svg (got ${plot}).`);
  // Checked before any analysis: a picture that cannot be written would otherwise fail file by file, after the work.
  const plotProblem = plot === undefined ? null : ((await outputPathError('--plot', plot, 'file')) ?? (await isDirectory(dirname(resolve(plot))) ? null : `--plot ${plot}: the folder ${dirname(plot)} does not exist.`));
  if (plotProblem) usage(plotProblem);
  if (values.model!.trim() === '') usage('--model needs a path.');
  const stt = values.transcribe ? await transcribeSettingsOrExit() : null;
  const files = await expand(positionals.length ? positionals : [SAMPLES]);
  if (!files.length) usage(`No audio files found in ${positionals.join(', ') || SAMPLES}.`);
  if (files.length <= SHORT_RUN_FILES) shortRunFlags();

  const modelPath = resolve(values.model!);
  let model: EmotionModel;
  try {
    model = await readModel(modelPath);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  let pool: Promise<WorkerPool<AnalysisJob, AnalysisJobResult>> | undefined;
  const run: Run = {
    model,
    // One pool, started by the first file that needs it.
    pool: () => (pool ??= startPool(modelPath, timeoutSec)),
    inThread: maxDurationSec * ANALYSIS_MS_PER_AUDIO_SECOND <= timeoutSec * 1000,
    maxDurationSec,
    maxBytes,
    timeoutSec,
    stt,
  };
  let failed = 0;
  for (const item of files) {
    // In the text output a name is shown as it is unless it holds control characters (a newline, a terminal escape),
    // which would forge lines or colours: then quoted and escaped. --json escapes them anyway.
    const shown = values.json || !/[\u0000-\u001f\u007f-\u009f]/.test(item.path) ? item.path : JSON.stringify(item.path);
    const file = item.error ? { analysis: { error: item.error } } : await analyzeFile(item.path, run);
    const result = file.analysis;
    if ('error' in result) failed++;
    else if (plot) {
      const out = files.length === 1 ? plot : `${plot.slice(0, -4)}-${basename(item.path, extname(item.path))}${plot.slice(-4)}`;
      try {
        await writePlot(out, result, basename(item.path));
        if (!values.json) process.stderr.write(`timeline: ${out}\n`);
      } catch (e) {
        failed++;
        process.stderr.write(`${out}: cannot write the plot (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      }
    }
    if (values.json) process.stdout.write(jsonLine(shown, file) + '\n');
    else {
      if ('error' in result) process.stdout.write(`${shown}  ✖ ${result.error.code}: ${result.error.message}\n`);
      else process.stdout.write(humanLine(shown, result) + '\n');
      if (file.transcript) process.stdout.write(transcriptLine(file.transcript) + '\n');
    }
  }
  await pool?.then((p) => p.close(), () => {}); // a pool that failed to start failed its files already
  const card = model.card;
  if (!values.json) process.stderr.write(`model ${card.version}: ${pct(card.metrics.accuracy)} accuracy, ${card.split}. Confidence is calibrated: "70 %" is right about 70 % of the time.\n`);
  if (!values.json && stt) {
    const d = stt.describe();
    process.stderr.write(`transcripts: ${d.endpoint} (model ${d.model}, language ${d.language}).\n`);
  }
  process.exitCode = failed ? 1 : 0;
}

// `npm run analyze | head`: the reader went away. Stop quietly, as Unix tools do, instead of an
// unhandled EPIPE and a stack trace; anything else on stdout is still an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

main().catch((e) => {
  process.stderr.write(`analyze failed: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
