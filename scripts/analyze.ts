// `npm run analyze -- [--json] [--model PATH] PATH...`: the core's answer for files, without Discord.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Analysis } from '../src/core/analysis.js';
import { analyze } from '../src/core/analyze.js';
import { decodeAudio } from '../src/core/audio/decode.js';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { EMOJI } from '../src/core/emotions.js';
import { isSerError } from '../src/core/errors.js';
import { readModel, type EmotionModel } from '../src/core/model/io.js';
import { filesBelow, isAudioName, isDirectory } from './audio-files.js';

const DEFAULT_MODEL = 'models/ser-model.json.gz';
const SAMPLES = 'samples';

const USAGE = `Usage: npm run analyze -- [--json] [--model PATH] [PATH...]
  PATH         an audio file or a folder (searched for audio files); default: the bundled ${SAMPLES}/
  --json       one JSON object per file per line on stdout
  --model PATH model file (default: ${DEFAULT_MODEL})
  --max-seconds N  longest audio accepted (default: 300)
Exit status: 0 all files analyzed, 1 some failed (the others are still printed), 2 usage or model error.`;

interface FileError {
  code: string;
  message: string;
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

function jsonLine(file: string, result: Analysis | { error: FileError }): string {
  if ('error' in result) return JSON.stringify({ file, error: result.error });
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
  });
}

async function analyzeFile(path: string, model: EmotionModel, ffmpegPath: string | null, maxDurationSec: number): Promise<Analysis | { error: FileError }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: { code: code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', message: code === 'ENOENT' ? 'No such file.' : `Cannot read the file (${code}).` } };
  }
  try {
    const pcm = await decodeAudio(bytes, { ffmpegPath, maxDurationSec });
    return analyze(pcm, model, { maxDurationSec });
  } catch (e) {
    if (isSerError(e)) return { error: { code: e.code, message: e.message } };
    return { error: { code: 'INTERNAL', message: (e as Error).message } };
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        model: { type: 'string', default: DEFAULT_MODEL },
        'max-seconds': { type: 'string', default: '300' },
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
    const result = await analyzeFile(path, model, ffmpegPath, maxDurationSec);
    if ('error' in result) failed++;
    if (values.json) process.stdout.write(jsonLine(shown, result) + '\n');
    else if ('error' in result) process.stdout.write(`${shown}  ✖ ${result.error.code}: ${result.error.message}\n`);
    else process.stdout.write(humanLine(shown, result) + '\n');
  }
  if (!values.json) process.stderr.write(`model ${model.card.version}: ${pct(model.card.metrics.accuracy)} accuracy, ${model.card.split}. Confidence is calibrated: "70 %" is right about 70 % of the time.\n`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`analyze failed: ${(e as Error).stack ?? e}\n`);
  process.exit(2);
});
