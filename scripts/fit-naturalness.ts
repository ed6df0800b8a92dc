// `npm run fit:naturalness`: fits the synthetic-voice checks (src/core/naturalness.ts) and scores them on held-out voices and speakers.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { decodeAudio } from '../src/core/audio/decode.js';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { slicePcm, utterances } from '../src/core/audio/vad.js';
import { clipFeatures } from '../src/core/clip-features.js';
import { decide, toProbabilities } from '../src/core/decision.js';
import { FEATURE_SPEC, FRAME_OCCUPANCY } from '../src/core/features/spec.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { readModel, type EmotionModel } from '../src/core/model/io.js';
import { detectorFor, Z_LIMIT, type SyntheticCheck, type SyntheticDetector } from '../src/core/naturalness.js';
import { pcm } from '../src/core/pcm.js';
import { MUSIC_GENERATOR_NAMES, music, type MusicGenerator } from './music-like.js';
import { applyVariant, type Variant } from './train/augment.js';
import { listCorpora } from './train/corpora.js';
import { DatasetError } from './train/dataset.js';

const USAGE = `Usage: npm run fit:naturalness -- --data DIR [--data DIR …] [options]
  --data DIR       human speech in any layout training reads (RAVDESS, CREMA-D, labels.csv, folders); repeatable
  --neutral DIR    ordinary human speech (DIR/<speaker>/*); repeatable
  --every N        use every Nth clip of each acted speaker (default 12; ordinary speech: every other)
  --write          write src/core/naturalness-weights.ts (otherwise only the held-out report)
Synthesizes espeak-ng voices (every variant, every language voice, a pitch and speed grid) and music and
tones in code (scripts/music-like.ts), fits two logistic checks of "not a human voice" vs human speech on clean,
Opus and realistic-mix copies (voices and music on the 431 utterance features; held notes on how steady the sound is), and
reports them on folds that hold out whole voices, generators and speakers, under conditions they were not fitted
on, on espeak-ng sentences and settings and music generators they never saw, and counts the music clips on three
sets of 2,100 fresh seeds that keep a confident answer. Needs espeak-ng (and flite, if installed,
as a synthesizer it never saw).`;

const FIT_CONDITIONS: Variant[] = ['clean', 'opus', 'mix1'];
/** The features before the frame mixture's (spec.ts): what the voices-and-music check reads. */
const UTTERANCE_FEATURES = FEATURE_SPEC.names.slice(0, FEATURE_SPEC.names.indexOf(FRAME_OCCUPANCY[0]));
const HELD_OUT_CONDITIONS: Variant[] = ['noise20', 'phone', 'reverb'];
/**
 * Share of the human fitting rows allowed above each check's threshold. The voices-and-music check: 0.2 % until the
 * ninth round; at 0.4 % with 96 music seeds, music and espeak-ng both keep fewer high answers held out (fresh music
 * 16 → 8 of 2,100 clips), and people lose 6 of 1,171 high answers held out instead of 3 (models/EXPERIMENTS.md).
 */
const FALSE_ALARM = 0.004;
/**
 * The held-notes check reads only how steady a sound is: its level over time, its spectrum from frame to frame, how
 * harmonic it is, and how its pitch moves. The music still answered with confidence after the first check (sustained
 * harmonic tones with vibrato, a sung vowel line) sits outside 99.9 % of people's utterances on exactly these: a median
 * frame within 2.5 dB of the loudest, less spectral flux (models/EXPERIMENTS.md, tenth round). Twenty features and
 * music only, so one hyperplane does not have to cover espeak-ng's voices as well, and has little room to learn a
 * speaker (a music check on all 431 features flagged some held-out speakers in every condition).
 */
const HELD_NOTE_FEATURES = [
  'flux_mean', 'flux_std', 'rmsdb_std', 'rmsdb_p50', 'rmsdb_p10', 'level_p25_below_loud', 'level_p50_below_loud',
  'level_p75_below_loud', 'near_loud_share', 'voiced_level_std', 'hpss_harm_ratio_mean', 'hpss_harm_ratio_std',
  'f0_second_diff', 'f0_run_slope_abs', 'f0_rate_abs', 'jitter', 'shimmer', 'pause_ratio', 'voiced_fraction',
  'voiced_run_max',
];
/** 0.2 %: no fresh music clip at high on 6,300, for one more held-out person's high answer lost of 1,171 (0.1 %: 1–2 left per 2,100). */
const HELD_NOTE_FALSE_ALARM = 0.002;
/** Twenty features need less of a leash than 431: at L2 100 it left 3–7 fresh clips of 2,100, at 10 none (tenth round). */
const HELD_NOTE_L2 = 10;
/** L2 penalty (on the summed, not averaged, loss): strong, so the check leans on what all synthetic voices share. */
const L2 = 100;
const FOLDS = 5;

const FIT_SENTENCES = [
  'The meeting is scheduled for Tuesday afternoon in the small conference room.',
  'Please remember to bring the documents and the keys when you leave the house.',
  'I walked to the station this morning and the train was a little late.',
];
const HELD_OUT_SENTENCES = [
  'Could you tell me where the nearest post office is, please?',
  'We are going to need more chairs for the guests tonight.',
  'The weather report says it will rain again tomorrow morning.',
  'I have never seen so many people waiting for one bus.',
];

interface Clip {
  source: 'human' | 'espeak' | 'espeak-held-out' | 'flite' | 'music' | 'music-held-out';
  corpus: string;
  group: string;
  /** A file, or audio made in code (music and tones). */
  path: string;
  make?: () => Float32Array;
}

interface Row {
  clip: Clip;
  condition: Variant;
  features: Float32Array;
  high: boolean;
}

const run = promisify(execFile);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function has(tool: string): Promise<boolean> {
  return run(tool, ['--help']).then(() => true, () => false);
}

/** espeak-ng: every variant with the fitting sentences, every language voice, and a pitch × speed grid. */
async function synthesize(dir: string): Promise<Clip[]> {
  const clips: Clip[] = [];
  const say = async (source: Clip['source'], group: string, name: string, args: string[], text: string) => {
    const path = join(dir, `${name}.wav`);
    await run('espeak-ng', [...args, '-w', path, text]);
    clips.push({ source, corpus: source, group, path });
  };
  const list = async (arg: string) =>
    (await run('espeak-ng', [arg])).stdout.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((c) => c.length >= 4);
  const variants = (await list('--voices=variant')).map((c) => c[4].replace(/^!v\//, ''));
  const languages = (await list('--voices')).map((c) => c[1]);
  for (const [k, v] of variants.entries()) {
    await say('espeak', `variant:${v}`, `v${k}a`, ['-v', `en-us+${v}`], FIT_SENTENCES[0]);
    await say('espeak', `variant:${v}`, `v${k}b`, ['-v', `en+${v}`], FIT_SENTENCES[1]);
    // Held out: other sentences, another accent, pitch and speed off the defaults.
    await say('espeak-held-out', `variant:${v}`, `h${k}`, ['-v', `en-gb+${v}`, '-p', String(((k * 37) % 90) + 5), '-s', String(((k * 53) % 120) + 110)], HELD_OUT_SENTENCES[k % 4]);
  }
  // A few listed voices cannot be selected by their language tag; they are skipped.
  for (const [k, l] of languages.entries()) await say('espeak', `language:${l}`, `l${k}`, ['-v', l], FIT_SENTENCES[2]).catch(() => undefined);
  for (const p of [10, 50, 90]) for (const s of [100, 220]) await say('espeak', `grid:${p}:${s}`, `g${p}_${s}`, ['-v', 'en-us', '-p', String(p), '-s', String(s)], FIT_SENTENCES[2]);
  if (await has('flite')) {
    for (const v of ['kal', 'kal16', 'awb', 'rms', 'slt']) {
      for (const [k, text] of HELD_OUT_SENTENCES.entries()) {
        const path = join(dir, `flite_${v}_${k}.wav`);
        await run('flite', ['-voice', v, '-t', text, '-o', path]);
        clips.push({ source: 'flite', corpus: 'flite', group: `flite:${v}`, path });
      }
    }
  }
  return clips;
}

/** Generators never fitted on: the check must catch them from what the others taught it. */
const HELD_OUT_MUSIC: readonly MusicGenerator[] = ['band'];
/** Seeds per generator: the first FITTED_MUSIC_SEEDS are fitted on (fitted generators only), the rest only scored. */
const MUSIC_SEEDS = 108;
const FITTED_MUSIC_SEEDS = 96;

/**
 * Music and tones made in code (scripts/music-like.ts): the fitted generators with seeds 0…95, and as held-out
 * rows the same generators with seeds 1096…1107 plus the held-out generators. One fold group per generator, so
 * cross-validation scores each generator with a check that never saw it. With 12 fitted seeds per generator, 10 of
 * 280 fresh music clips kept a high-confidence moment; with 48, 2. Counted on 2,100 (freshMusicReport), 48 seeds left
 * 16 and 96 leave 12; 96 with FALSE_ALARM at 0.4 %, 8 (models/EXPERIMENTS.md).
 */
function musicClips(): Clip[] {
  const clips: Clip[] = [];
  for (const kind of MUSIC_GENERATOR_NAMES) {
    const heldOut = HELD_OUT_MUSIC.includes(kind);
    for (let seed = 0; seed < MUSIC_SEEDS; seed++) {
      const source = heldOut || seed >= FITTED_MUSIC_SEEDS ? 'music-held-out' : 'music';
      const s = source === 'music' ? seed : 1000 + seed;
      clips.push({ source, corpus: `${heldOut ? 'held-out generator' : 'music'} ${kind}${source === 'music' ? '' : ', new seeds'}`, group: `music:${kind}`, path: `${kind}#${s}`, make: () => music(kind, s) });
    }
  }
  return clips;
}

/**
 * Seeds no fit or test uses (the test's are 5000–5009): how many 4-s clips of every generator still have an
 * utterance at high confidence with the check fitted on everything. The CV table scores utterances; a listener
 * hears a clip, and one confident moment in it is one too many.
 */
const FRESH_MUSIC_SEEDS = [
  { from: 7000, to: 7300 },
  // The held-notes check was designed on what 7000–7299 still let through, and its budget and L2 chosen on 7000–8299;
  // 9000–9299 were looked at only after that choice.
  { from: 8000, to: 8300 },
  { from: 9000, to: 9300 },
];

async function freshMusicReport(detector: SyntheticDetector, model: EmotionModel, ffmpegPath: string | null): Promise<string> {
  const lines: string[] = [];
  for (const { from, to } of FRESH_MUSIC_SEEDS) {
    const clips: Clip[] = MUSIC_GENERATOR_NAMES.flatMap((kind) =>
      Array.from({ length: to - from }, (_, i) => {
        const seed = from + i;
        return { source: 'music-held-out' as const, corpus: kind, group: `music:${kind}`, path: `${kind}#${seed}`, make: () => music(kind, seed) };
      }),
    );
    const rows = await extract(clips, ['clean'], model, ffmpegPath);
    const confident = new Set(rows.filter((r) => r.high && !detector.soundsSynthetic(r.features)).map((r) => r.clip));
    const before = new Set(rows.filter((r) => r.high).map((r) => r.clip));
    const byKind = MUSIC_GENERATOR_NAMES.map((k) => `${k} ${[...confident].filter((c) => c.corpus === k).length}`).join(', ');
    lines.push(`Music on fresh seeds ${from}–${to - 1}: ${confident.size} of ${clips.length} clips keep a high-confidence utterance (${before.size} without the check; ${byKind})`);
  }
  return lines.join('\n');
}

async function humans(data: string[], neutral: string[], every: number): Promise<Clip[]> {
  const clips: Clip[] = [];
  for (const corpus of await listCorpora(data, neutral)) {
    const seen = new Map<string, number>();
    for (const it of corpus.items) {
      const speaker = it.speaker ?? it.path;
      const n = seen.get(speaker) ?? 0;
      seen.set(speaker, n + 1);
      // Ordinary speech comes in long utterances from few speakers per corpus: every other one.
      if (n % (it.ordinary ? 2 : every) === 0) clips.push({ source: 'human', corpus: corpus.name, group: speaker, path: it.path });
    }
  }
  return clips;
}

/** One row per utterance, as analyze() cuts and scores it, for each condition. */
async function extract(clips: Clip[], conditions: Variant[], model: EmotionModel, ffmpegPath: string | null): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [k, clip] of clips.entries()) {
    const clean = clip.make?.() ?? (await decodeAudio(await readFile(clip.path), { ffmpegPath })).samples;
    for (const condition of conditions) {
      const p = pcm(applyVariant(clean, condition, (k + 1) * 7919 + condition.length));
      for (const seg of utterances(p)) {
        const c = clipFeatures(slicePcm(p, seg));
        if (c.speechSec <= 0) continue;
        const high = decide(toProbabilities(model.predict(c.features)), c.rmsDb, model.rules).level === 'high';
        rows.push({ clip, condition, features: c.features, high });
      }
    }
    if ((k + 1) % 100 === 0) process.stderr.write(`  ${k + 1}/${clips.length} clips\n`);
  }
  return rows;
}

/** Binary logistic regression by Newton's method on standardised, clipped features; humans set the scale. */
function fitCheck(rows: readonly { features: ArrayLike<number>; synthetic: boolean }[], names: readonly string[], name: string, falseAlarm: number, l2: number): SyntheticCheck {
  const d = names.length;
  const at = names.map((n) => FEATURE_SPEC.names.indexOf(n));
  if (at.includes(-1)) throw new Error(`${name}: a feature is not in spec ${FEATURE_SPEC.version}`);
  const human = rows.filter((r) => !r.synthetic);
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of human) for (let j = 0; j < d; j++) mean[j] += r.features[at[j]] / human.length;
  for (const r of human) for (let j = 0; j < d; j++) scale[j] += (r.features[at[j]] - mean[j]) ** 2 / human.length;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;
  const z = rows.map((r) => Float64Array.from({ length: d + 1 }, (_, j) => (j === d ? 1 : Math.max(-Z_LIMIT, Math.min(Z_LIMIT, (r.features[at[j]] - mean[j]) / scale[j])))));
  const y = rows.map((r) => (r.synthetic ? 1 : 0));
  const nSynthetic = y.reduce((a: number, b) => a + b, 0);
  // Balanced: each side weighs half.
  const w = y.map((v) => (v ? 0.5 / nSynthetic : 0.5 / (rows.length - nSynthetic)) * rows.length);
  const beta = new Float64Array(d + 1);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Float64Array(d + 1);
    const h = Array.from({ length: d + 1 }, () => new Float64Array(d + 1));
    for (let i = 0; i < rows.length; i++) {
      let s = 0;
      for (let j = 0; j <= d; j++) s += z[i][j] * beta[j];
      const p = 1 / (1 + Math.exp(-s));
      const a = w[i] * (p - y[i]);
      const b = w[i] * p * (1 - p);
      for (let j = 0; j <= d; j++) {
        g[j] += a * z[i][j];
        const bz = b * z[i][j];
        for (let k = 0; k <= j; k++) h[j][k] += bz * z[i][k];
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += l2 * beta[j];
      h[j][j] += l2;
    }
    for (let j = 0; j <= d; j++) for (let k = j + 1; k <= d; k++) h[j][k] = h[k][j];
    const step = solve(h, g);
    let max = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] -= step[j];
      max = Math.max(max, Math.abs(step[j]));
    }
    if (max < 1e-8) break;
  }
  // Seven significant digits keep the generated file readable; the threshold is set on the rounded weights.
  const round = (v: number) => Number(v.toPrecision(7));
  const check: SyntheticCheck = {
    name,
    spec: FEATURE_SPEC.version,
    names: [...names],
    mean: mean.map(round),
    scale: scale.map(round),
    weights: Array.from(beta.subarray(0, d), round),
    bias: round(beta[d]),
    threshold: 0,
    humanFalseAlarm: falseAlarm,
  };
  const detector = detectorFor([check])!;
  const scores = human.map((r) => detector.margin(r.features)).sort((a, b) => a - b);
  check.threshold = round(scores[Math.min(scores.length - 1, Math.ceil((1 - falseAlarm) * scores.length) - 1)]);
  return check;
}

/**
 * Both checks on these rows: voices and music on the 431 utterance features (f8's; on f10 with the frame occupancy too,
 * 463, it lost 14 of 1,306 people's high answers held out instead of 9, for espeak-ng through the realistic mix 2.9 %
 * at high instead of 5.3 %: models/EXPERIMENTS.md, thirteenth round); held notes on music against people, on
 * steadiness alone.
 */
function fitChecks(rows: readonly Row[]): SyntheticCheck[] {
  const labelled = (rs: readonly Row[]) => rs.map((r) => ({ features: r.features, synthetic: r.clip.source !== 'human' }));
  return [
    fitCheck(labelled(rows), UTTERANCE_FEATURES, 'voices and music', FALSE_ALARM, L2),
    fitCheck(labelled(rows.filter((r) => r.clip.source === 'human' || r.clip.source === 'music')), HELD_NOTE_FEATURES, 'held notes', HELD_NOTE_FALSE_ALARM, HELD_NOTE_L2),
  ];
}

/** Gaussian elimination with partial pivoting (the Hessian is small: features + 1). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => Float64Array.from([...row, b[i]]));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      if (f !== 0) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

function foldOf(group: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 0x01000193);
  return (h >>> 0) % FOLDS;
}

interface Line {
  set: string;
  rows: number;
  flagged: number;
  highBefore: number;
  highAfter: number;
}

function line(set: string, rows: Row[], flagged: (r: Row) => boolean): Line {
  const n = rows.length || 1;
  return {
    set,
    rows: rows.length,
    flagged: rows.filter(flagged).length / n,
    highBefore: rows.filter((r) => r.high).length / n,
    highAfter: rows.filter((r) => r.high && !flagged(r)).length / n,
  };
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { data: { type: 'string', multiple: true }, neutral: { type: 'string', multiple: true }, every: { type: 'string' }, write: { type: 'boolean' }, help: { type: 'boolean' } },
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const every = Number(values.every ?? 12);
  if (!values.data?.length || !(Number.isInteger(every) && every >= 1)) fail(USAGE);
  if (!(await has('espeak-ng'))) fail('espeak-ng is needed (apt-get install espeak-ng).');
  const model = await readModel(DEFAULT_MODEL_PATH);
  const ffmpegPath = await locateFfmpeg(process.env);
  const people = await humans(values.data, values.neutral ?? [], every).catch((e: unknown) => (e instanceof DatasetError ? fail(e.message) : Promise.reject(e)));
  const dir = await mkdtemp(join(tmpdir(), 'ser-naturalness-'));
  try {
    const synthetic = [...(await synthesize(dir)), ...musicClips()];
    process.stderr.write(`${people.length} human clips, ${synthetic.length} synthetic; extracting…\n`);
    const fitRows = await extract([...people, ...synthetic.filter((c) => c.source === 'espeak' || c.source === 'music')], FIT_CONDITIONS, model, ffmpegPath);
    const heldOutRows = [
      // Every other person, to keep the run short.
      ...(await extract(people.filter((_, k) => k % 2 === 0), HELD_OUT_CONDITIONS, model, ffmpegPath)),
      ...(await extract(synthetic.filter((c) => c.source !== 'espeak' && c.source !== 'music'), ['clean', 'opus'], model, ffmpegPath)),
    ];
    // Cross-validation: whole voices and speakers held out; the held-out conditions are scored with the fold that left the speaker out.
    const flaggedCv = new Map<Row, boolean>();
    for (let f = 0; f < FOLDS; f++) {
      const detector = detectorFor(fitChecks(fitRows.filter((r) => foldOf(r.clip.group) !== f)))!;
      for (const r of [...fitRows, ...heldOutRows]) if (foldOf(r.clip.group) === f) flaggedCv.set(r, detector.soundsSynthetic(r.features));
    }
    const cv = (r: Row) => flaggedCv.get(r) ?? false;
    const lines: Line[] = [];
    const all = [...fitRows, ...heldOutRows];
    const sets = [...new Set(all.map((r) => `${r.clip.corpus} / ${r.condition}`))].sort();
    for (const s of sets) lines.push(line(s, all.filter((r) => `${r.clip.corpus} / ${r.condition}` === s), cv));
    const humanAll = all.filter((r) => r.clip.source === 'human');
    lines.push(line('all human speech', humanAll, cv));
    lines.push(line('all music and tones', all.filter((r) => r.clip.source.startsWith('music')), cv));
    lines.push(line('music: held-out generators', all.filter((r) => r.clip.corpus.startsWith('held-out generator')), cv));
    const pctOf = (v: number) => `${(100 * v).toFixed(1)} %`;
    const table = [
      '| audio / condition | utterances | judged synthetic | high confidence before | after |',
      '|---|---|---|---|---|',
      ...lines.map((l) => `| ${l.set} | ${l.rows} | ${pctOf(l.flagged)} | ${pctOf(l.highBefore)} | ${pctOf(l.highAfter)} |`),
    ].join('\n');
    process.stdout.write(`Held out (5 folds by voice and speaker; conditions noise20/phone/reverb, espeak-held-out and flite never fitted on):\n${table}\n`);
    const musicHigh = all.filter((r) => r.clip.source.startsWith('music') && r.high && !cv(r));
    process.stdout.write(`Music/tone utterances still at high confidence: ${musicHigh.length}${musicHigh.map((r) => ` ${r.clip.path}/${r.condition}`).join('')}\n`);
    process.stdout.write(`Human utterances that lost a high-confidence answer: ${humanAll.filter((r) => r.high && cv(r)).length} of ${humanAll.filter((r) => r.high).length}\n`);
    const checks = fitChecks(fitRows);
    for (const c of checks) {
      const m = detectorFor([c])!;
      process.stdout.write(`Check "${c.name}" (${c.names.length} features): flags ${pctOf(humanAll.filter((r) => m.soundsSynthetic(r.features)).length / humanAll.length)} of human utterances fitted on everything\n`);
    }
    process.stdout.write(`${await freshMusicReport(detectorFor(checks)!, model, ffmpegPath)}\n`);
    if (values.write) {
      const fields = checks.flatMap((c) => ['  {', ...Object.entries(c).map(([k, v]) => `    ${k}: ${JSON.stringify(v)},`), '  },']);
      const body = [
        "// Generated by `npm run fit:naturalness -- --write` (scripts/fit-naturalness.ts): the synthetic-voice checks' weights. Regenerate, don't edit.",
        "import type { SyntheticCheck } from './naturalness.js';",
        '',
        'export const SYNTHETIC_CHECKS: readonly SyntheticCheck[] = [',
        ...fields,
        '];',
        '',
      ].join('\n');
      await writeFile(join(import.meta.dirname, '../src/core/naturalness-weights.ts'), body);
      process.stdout.write('Wrote src/core/naturalness-weights.ts\n');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
