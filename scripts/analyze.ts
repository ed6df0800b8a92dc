// `npm run analyze -- [--json] [--transcribe] [--model PATH] PATH...`: the core's answer for files, without Discord.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { analysisTimeline, laneChart } from '../src/charts/lanes.js';
import { rasterize } from '../src/charts/raster.js';
import type { Analysis } from '../src/core/analysis.js';
import { analyze } from '../src/core/analyze.js';
import { decodeAudio } from '../src/core/audio/decode.js';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { EMOJI } from '../src/core/emotions.js';
import { isSerError } from '../src/core/errors.js';
import { readModel, type EmotionModel } from '../src/core/model/io.js';
import { operatorHint, transcribe, type TranscribeOutcome } from '../src/transcribe/client.js';
import { describeSettings, readTranscribeSettings, TranscribeSettingError, type TranscribeSettings } from '../src/transcribe/settings.js';
import { encodeWav16 } from '../src/transcribe/wav.js';
import { filesBelow, isAudioName, isDirectory } from './audio-files.js';

const DEFAULT_MODEL = 'models/ser-model.json.gz';
const SAMPLES = 'samples';

const USAGE = `Usage: npm run analyze -- [--json] [--transcribe] [--plot OUT.png|OUT.svg] [--model PATH] [PATH...]
  PATH         an audio file or a folder (searched for audio files); default: the bundled ${SAMPLES}/
  --json       one JSON object per file per line on stdout
  --transcribe also show what was said, via the TRANSCRIBE_* settings (environment or .env, see .env.example)
  --plot OUT   also draw each file's emotion timeline, as the bot attaches it: OUT.png or OUT.svg
               (several files: OUT-<file name>.png each)
  --model PATH model file (default: ${DEFAULT_MODEL})
  --max-seconds N  longest audio accepted (default: 300)
Exit status: 0 all files analyzed, 1 some failed (the others are still printed), 2 usage or model error.
A transcript that fails is reported on its file's line and does not change the exit status.`;

interface FileError {
  code: string;
  message: string;
}

interface FileResult {
  analysis: Analysis | { error: FileError };
  /** Present when --transcribe was given and the file decoded. */
  transcript?: TranscribeOutcome;
}

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (await isDirectory(p)) out.push(...(await filesBelow(p)).filter(isAudioName));
    else out.push(p); // files are taken as given: the bytes decide whether they are audio
  }
  return out;
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

function mmss(sec: number): string {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function humanLine(file: string, a: Analysis): string {
  const top3 = a.top3.map((t) => `${t.emotion} ${pct(t.probability)}`).join(', ');
  const note = a.level === 'uncertain' ? ' — not sure; best guess shown' : '';
  let line = `${file}  ${EMOJI[a.emotion]} ${a.emotion} ${pct(a.confidence)} (${a.level}${note})  top-3: ${top3}  [${a.speechSec.toFixed(1)} s speech of ${a.durationSec.toFixed(1)} s]`;
  if (a.segments.length > 1) line += '\n' + a.segments.map((s) => `    ${mmss(s.start)}–${mmss(s.end)}  ${EMOJI[s.emotion]} ${s.emotion} ${pct(s.confidence)} (${s.level})`).join('\n');
  return line;
}

/** `transcript` when there is one, `transcriptError` ({code, message}) when it failed; nothing without --transcribe. */
function transcriptFields(t: TranscribeOutcome | undefined): Record<string, unknown> {
  if (!t) return {};
  return t.ok ? { transcript: t.text } : { transcriptError: { code: t.code, message: operatorHint(t) } };
}

function transcriptLine(t: TranscribeOutcome): string {
  return t.ok ? `    📝 ${t.text ? JSON.stringify(t.text) : '(no words recognized)'}` : `    📝 transcript unavailable — ${t.code}: ${operatorHint(t)}`;
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
    segments: result.segments.map((s) => ({ start: r(s.start), end: r(s.end), emotion: s.emotion, confidence: r(s.confidence), level: s.level })),
    model: result.modelVersion,
    ...transcriptFields(transcript),
  });
}

function fileError(e: unknown): { error: FileError } {
  if (isSerError(e)) return { error: { code: e.code, message: e.message } };
  return { error: { code: 'INTERNAL', message: (e as Error).message } };
}

async function analyzeFile(path: string, model: EmotionModel, ffmpegPath: string | null, maxDurationSec: number, stt: TranscribeSettings | null): Promise<FileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { analysis: { error: { code: code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', message: code === 'ENOENT' ? 'No such file.' : `Cannot read the file (${code}).` } } };
  }
  let pcm;
  try {
    pcm = await decodeAudio(bytes, { ffmpegPath, maxDurationSec });
  } catch (e) {
    return { analysis: fileError(e) };
  }
  // The same upload the bot sends: the decoded 16 kHz audio as WAV, started before the analysis runs.
  const transcript = stt ? transcribe(encodeWav16(pcm.samples), stt) : undefined;
  let analysis: FileResult['analysis'];
  try {
    analysis = analyze(pcm, model, { maxDurationSec });
  } catch (e) {
    analysis = fileError(e);
  }
  return transcript ? { analysis, transcript: await transcript } : { analysis };
}

/** The file's timeline, the picture /analyze attaches: SVG as drawn, or PNG through the bundled font. */
async function writePlot(out: string, a: Analysis, name: string): Promise<void> {
  const { svg } = laneChart(analysisTimeline(a, name));
  await writeFile(out, out.toLowerCase().endsWith('.svg') ? svg : rasterize(svg).png);
}

/** TRANSCRIBE_* from the environment over `.env` (as the bot reads them), or exit 2 saying what is missing. */
function transcribeSettingsOrExit(): TranscribeSettings {
  const fromFile: Record<string, string> = {};
  dotenv.config({ quiet: true, processEnv: fromFile });
  let s: TranscribeSettings | null;
  try {
    s = readTranscribeSettings({ ...fromFile, ...process.env });
  } catch (e) {
    if (!(e instanceof TranscribeSettingError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (s) return s;
  process.stderr.write('--transcribe needs TRANSCRIBE_URL (e.g. https://api.openai.com/v1 with TRANSCRIBE_API_KEY, or a local whisper.cpp server); see .env.example.\n');
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        transcribe: { type: 'boolean', default: false },
        model: { type: 'string', default: DEFAULT_MODEL },
        'max-seconds': { type: 'string', default: '300' },
        plot: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE + '\n'); return; }
  const maxDurationSec = Number(values['max-seconds']);
  if (!(maxDurationSec > 0)) usage(`--max-seconds must be a positive number (got ${values['max-seconds']}).`);
  const plot = values.plot;
  if (plot !== undefined && !/\.(png|svg)$/i.test(plot)) usage(`--plot needs a file name ending in .png or .svg (got ${plot}).`);
  const stt = values.transcribe ? transcribeSettingsOrExit() : null;
  const files = await expand(positionals.length ? positionals : [SAMPLES]);
  if (!files.length) usage(`No audio files found in ${positionals.join(', ') || SAMPLES}.`);

  let model: EmotionModel;
  try {
    model = await readModel(values.model!);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const ffmpegPath = await locateFfmpeg(process.env);
  let failed = 0;
  for (const path of files) {
    const shown = path;
    const file = await analyzeFile(path, model, ffmpegPath, maxDurationSec, stt);
    const result = file.analysis;
    if ('error' in result) failed++;
    else if (plot) {
      const out = files.length === 1 ? plot : `${plot.slice(0, -4)}-${basename(path, extname(path))}${plot.slice(-4)}`;
      try {
        await writePlot(out, result, basename(path));
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
  if (!values.json) process.stderr.write(`model ${model.card.version}: ${pct(model.card.metrics.accuracy)} accuracy, ${model.card.split}. Confidence is calibrated: "70 %" is right about 70 % of the time.\n`);
  if (!values.json && stt) {
    const d = describeSettings(stt);
    process.stderr.write(`transcripts: ${d.endpoint} (model ${d.model}, language ${d.language}).\n`);
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`analyze failed: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
