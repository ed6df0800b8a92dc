// `npm run train`: dataset → features (parallel, cached) → speaker-grouped CV → calibration → model + card + plots.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { DEFAULT_RULES, decide, toProbabilities } from '../src/core/decision.js';
import { EMOTIONS } from '../src/core/emotions.js';
import { FEATURE_SPEC, FRAME_OFFSETS, PROJECTED_FROM } from '../src/core/features/spec.js';
import { applyBlend, blend, linearShare } from '../src/core/model/ensemble.js';
import { applyGuard, chooseGuard } from '../src/core/model/guard.js';
import { DEFAULT_FOREST } from '../src/core/model/forest.js';
import { DEFAULT_MLP } from '../src/core/model/mlp.js';
import { writeModel } from '../src/core/model/io.js';
import { argmax } from '../src/core/model/metrics.js';
import { clipKey, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelFile } from '../src/core/model/model-file.js';
import { chooseGate, chooseUncertain, foldAccuracies, metricsOf } from '../src/core/model/train.js';
import { AUGMENT_SHARE, AUGMENT_VARIANTS, DEFAULT_AUGMENT, TEST_VARIANTS, type Variant } from './train/augment.js';
import { babbleTalkers, listCorpora, type Corpus, type CorpusItem } from './train/corpora.js';
import { DATASET_OPTIONS, DatasetError } from './train/dataset.js';
import { extractAll } from './train/extract.js';
import { AUTO_BALANCE, MLP_BAGS, PROJECTION_DIMS, ROBUSTNESS_SHARE } from './train/recipe.js';
import { assembleRows, variantsFor } from './train/rows.js';
import { crossValidateParallel, startCvWorkers } from './train/cv.js';
import { pct, writeReport, type TrainReport } from './train/report.js';
import { scoreCondition, scoreSet } from './train/scores.js';
import { DEFAULT_MODEL_PATH } from '../src/core/model/default-path.js';
import { failureText, MAX_THREADS, outputPathError } from './options.js';

const USAGE = `Usage: npm run train -- [options]
  --data DIR          a labelled dataset; repeat for several (default: dataset/) — RAVDESS Actor_NN/,
                      CREMA-D (its labels.csv or names), DIR/labels.csv, or <emotion>/ folders
  --neutral DIR       ordinary, un-acted speech (DIR/<speaker>/*, e.g. LibriSpeech), labelled neutral; repeatable
  --labels POLICY     datasets with listener votes (CREMA-D): intended (every clip, the acted emotion;
                      default) or agreed (only clips whose listeners heard the acted emotion)
  --out FILE          model file to write (default: ${DEFAULT_MODEL_PATH})
  --report DIR        model card + plots folder (default: models/)
  --folds N           speaker-grouped folds (default: 5)
  --seed N            random seed (default: 42); same data + seed → byte-identical model
  --trees N           trees in the forest (default: ${DEFAULT_FOREST.nTrees})
  --mlp MODE          the neural member beside the forest and the logistic regression: on, off, or
                      auto (default: on when the data spans several corpora, where it was measured to
                      help; on RAVDESS alone it gained nothing and cost a third more training time)
  --mlp-epochs N      the neural member's training epochs (default: ${DEFAULT_MLP.epochs})
  --mlp-bags N        neural networks fitted from different seeds, averaged as one (default: ${MLP_BAGS})
  --disagreed-weight W  training weight (0–1) of the logistic regression's and the neural member's rows
                      whose listeners heard another emotion than the acted one (CREMA-D; default: 1)
  --corpus-balance S  with several datasets, weight the logistic regression's and the neural member's
                      rows so each dataset counts alike within each class: 0 (off) to 1 (fully even),
                      LINEAR,MLP for the two apart, or auto (default: ${AUTO_BALANCE} with several labelled
                      datasets, else 0)
  --projection N      principal axes the ${FRAME_OFFSETS.length} frame offsets are reduced to, fitted on each fold's
                      training clips (default: ${PROJECTION_DIMS})
  --max-speakers N    use only the first N speakers of each dataset (quick runs, CI)
  --augment LIST      augmented copies added to training folds, comma-separated from
                      ${AUGMENT_VARIANTS.join(',')} (default: ${DEFAULT_AUGMENT.join(',')})
  --no-augment        train without augmented copies
  --robustness-share F  score the held-out conditions (${TEST_VARIANTS.join(', ')}) on this
                      share of the clips (default: ${ROBUSTNESS_SHARE}; 1 = all)
  --no-robustness     skip the robustness evaluation
  --no-cache          do not read or write the feature cache
  --cache DIR         feature cache folder (default: .cache)
  --random-split      evaluate on a RANDOM split (leaks speakers, inflates accuracy; labelled as such)
  --threads N         worker threads for feature extraction (default: all cores)`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        ...DATASET_OPTIONS,
        out: { type: 'string', default: DEFAULT_MODEL_PATH },
        report: { type: 'string', default: 'models' },
        folds: { type: 'string', default: '5' },
        seed: { type: 'string', default: '42' },
        trees: { type: 'string', default: String(DEFAULT_FOREST.nTrees) },
        mlp: { type: 'string', default: 'auto' },
        'mlp-epochs': { type: 'string', default: String(DEFAULT_MLP.epochs) },
        'corpus-balance': { type: 'string', default: 'auto' },
        'mlp-bags': { type: 'string', default: String(MLP_BAGS) },
        'disagreed-weight': { type: 'string', default: '1' },
        'max-speakers': { type: 'string' },
        projection: { type: 'string', default: String(PROJECTION_DIMS) },
        augment: { type: 'string', default: DEFAULT_AUGMENT.join(',') },
        'no-augment': { type: 'boolean', default: false },
        'robustness-share': { type: 'string', default: String(ROBUSTNESS_SHARE) },
        'no-robustness': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        cache: { type: 'string', default: '.cache' },
        'random-split': { type: 'boolean', default: false },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (args.help) { process.stdout.write(USAGE + '\n'); return; }
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min} (got ${v}).\n${USAGE}`);
    return n;
  };
  const folds = int('folds', args.folds, 2);
  const seed = int('seed', args.seed, 0);
  const trees = int('trees', args.trees, 1);
  const mlpEpochs = int('mlp-epochs', args['mlp-epochs'], 1);
  const mlpBags = int('mlp-bags', args['mlp-bags'], 1);
  const projectionDims = int('projection', args.projection, 1);
  if (projectionDims > FRAME_OFFSETS.length) fail(`--projection must be at most ${FRAME_OFFSETS.length} (got ${projectionDims}).\n${USAGE}`);
  const augment = args['no-augment'] ? [] : args.augment!.split(',').filter(Boolean);
  const unknown = augment.filter((a) => !(AUGMENT_VARIANTS as readonly string[]).includes(a));
  if (unknown.length) fail(`--augment: unknown variant ${unknown.join(', ')} (known: ${AUGMENT_VARIANTS.join(', ')}).\n${USAGE}`);
  if (args.labels !== 'intended' && args.labels !== 'agreed') fail(`--labels must be intended or agreed (got ${args.labels}).\n${USAGE}`);
  const balance = args['corpus-balance'] === 'auto' ? null : args['corpus-balance']!.split(',').map(Number);
  if (balance && (balance.length > 2 || !balance.every((b) => b >= 0 && b <= 1))) fail(`--corpus-balance must be auto, a number in [0, 1] or two of them, LINEAR,MLP (got ${args['corpus-balance']}).\n${USAGE}`);
  const disagreedWeight = Number(args['disagreed-weight']);
  if (!(disagreedWeight >= 0 && disagreedWeight <= 1)) fail(`--disagreed-weight must be a number in [0, 1] (got ${args['disagreed-weight']}).\n${USAGE}`);
  const share = Number(args['robustness-share']);
  if (!(share > 0 && share <= 1)) fail(`--robustness-share must be a number in (0, 1] (got ${args['robustness-share']}).\n${USAGE}`);
  // Canonical order: the rows (and so the model) must not depend on how the list was typed.
  const augmentations = AUGMENT_VARIANTS.filter((v) => augment.includes(v)) as Variant[];
  const threads = args.threads ? int('threads', args.threads, 1) : undefined;
  if (threads !== undefined && threads > MAX_THREADS) fail(`--threads must be at most ${MAX_THREADS} (got ${threads}).\n${USAGE}`);
  if (!['auto', 'on', 'off'].includes(args.mlp!)) fail(`--mlp must be auto, on or off (got ${args.mlp}).\n${USAGE}`);
  // Where the results go, checked before minutes of work rather than after.
  const outputs: [string, string, 'file' | 'folder'][] = [['--out', args.out!, 'file'], ['--report', args.report!, 'folder']];
  if (!args['no-cache']) outputs.push(['--cache', args.cache!, 'folder']);
  for (const [name, path, want] of outputs) {
    const why = await outputPathError(name, path, want);
    if (why) fail(why);
  }
  const t0 = Date.now();

  let corpora: Corpus[];
  try {
    corpora = await listCorpora(args.data?.length || args.neutral?.length ? (args.data ?? []) : ['dataset'], args.neutral ?? [], args.labels);
  } catch (e) {
    if (e instanceof DatasetError) fail(e.message);
    throw e;
  }
  let items: CorpusItem[] = [];
  for (const c of corpora) {
    let list = c.items;
    if (args['max-speakers']) {
      const keep = new Set([...new Set(list.map((i) => i.speaker ?? '?'))].sort().slice(0, int('max-speakers', args['max-speakers'], 1)));
      list = list.filter((i) => keep.has(i.speaker ?? '?'));
    }
    items = items.concat(list);
  }
  const speakers = new Set(items.map((i) => i.speaker));
  const grouped = !args['random-split'];
  if (grouped && (speakers.has(null) || speakers.size < folds)) {
    fail(`Speaker-grouped ${folds}-fold evaluation needs a speaker for every file and at least ${folds} speakers (found ${speakers.size}${speakers.has(null) ? ', some unknown' : ''}).\nAdd DIR/speakers.csv, use fewer --folds, or pass --random-split (which leaks speakers and inflates accuracy).`);
  }
  for (const c of corpora) {
    const mine = items.filter((i) => i.corpus === c.name);
    process.stderr.write(`Dataset ${c.dir}: ${mine.length} files (${c.layout}), ${new Set(mine.map((i) => i.speaker)).size} speakers${c.skipped.length ? `, ${c.skipped.length} skipped` : ''}\n`);
  }

  // Features, in parallel and cached. Babble is made of other speakers: one set of talkers for the
  // training copies, a disjoint set for the held-out babble condition.
  const babble = babbleTalkers(items);
  const robust = !args['no-robustness'];
  // The model-fitting workers load their modules while the features are read (or extracted).
  const cvWorkers = startCvWorkers(threads);
  const ex = await extractAll(items.map((i) => i.path), (_, hash) => variantsFor(hash, augmentations, robust ? share : null), {
    cacheDir: args['no-cache'] ? null : args.cache!,
    ffmpegPath: await locateFfmpeg(process.env),
    threads,
    babble,
  });
  for (const u of ex.unreadable) process.stderr.write(`skipped ${u.path}: ${u.error}\n`);

  const { data, usedItems } = assembleRows(items, ex, augmentations, robust ? share : null, disagreedWeight);
  if (data.clean.length < 2 * EMOTIONS.length) fail(`Only ${data.clean.length} files could be read: too few to train.`);
  // A model of one emotion would answer it for everything, and its cross-validation would call that calibrated.
  const present = EMOTIONS.filter((_, c) => data.clean.some((r) => r.y === c));
  if (present.length < 2) fail(`Every readable clip is ${present[0] ?? 'unlabelled'}: a model needs clips of at least two emotions to tell them apart.`);
  const absent = EMOTIONS.filter((e) => !present.includes(e));
  if (absent.length) process.stderr.write(`note: no clips of ${absent.join(', ')}: the model will never answer ${absent.length > 1 ? 'them' : 'it'}\n`);

  // Evaluation.
  const tCv = Date.now();
  const forestOpts = { nTrees: trees };
  const labelledCorpora = corpora.filter((c) => c.layout !== 'ordinary').length;
  const [linearBalance, mlpBalance = linearBalance] = balance ?? [labelledCorpora > 1 ? AUTO_BALANCE : 0];
  const mlp: { epochs: number; bags?: number; corpusBalance?: number } | false = args.mlp === 'on' || (args.mlp === 'auto' && labelledCorpora > 1) ? { epochs: mlpEpochs, ...(mlpBags > 1 ? { bags: mlpBags } : {}), ...(mlpBalance > 0 ? { corpusBalance: mlpBalance } : {}) } : false;
  const linear = linearBalance > 0 ? { corpusBalance: linearBalance } : {};
  const opts = { folds, seed, forest: forestOpts, linear, mlp, split: grouped ? ('grouped' as const) : ('random' as const), projection: { from: PROJECTED_FROM, dims: projectionDims } };
  const { fitted, cv, choices, final, explained } = await crossValidateParallel(data, opts, threads, cvWorkers);
  const y = data.clean.map((r) => r.y);
  // The out-of-distribution threshold from held-out speakers' clean speech: 99.5 % of it passes untouched.
  const guard = chooseGuard(cv.oof.map((m) => m.atypicality ?? 0));
  const cal = cv.oof.map((m, i) => applyGuard(applyBlend(m, choices[cv.foldOf[i]]), m.atypicality, guard));
  // Before calibration, with the same per-fold blend weights, so the two ECEs compare like with like.
  const raw = metricsOf(cv.oof.map((m, i) => blend(m, choices[cv.foldOf[i]])), y);
  const calibrated = metricsOf(cal, y);
  const members = {
    forest: metricsOf(cv.oof.map((m) => m.forest), y),
    linear: metricsOf(cv.oof.map((m) => m.linear), y),
    ...(fitted.mlp ? { mlp: metricsOf(cv.oof.map((m) => m.mlp!), y) } : {}),
  };
  const foldAccuracy = foldAccuracies(cal, y, cv.foldOf, folds);
  const { gate, table: gateTable } = chooseGate(cal, y, data.clean.map((r) => r.rmsDb));
  const uncertain = chooseUncertain(cal, y);
  const rules = { uncertainBelow: uncertain.uncertainBelow, gate };
  const decided = cal.map((p, i) => decide(toProbabilities(p), data.clean[i].rmsDb, rules));
  const finalAcc = decided.filter((d, i) => EMOTIONS.indexOf(d.emotion) === y[i]).length / y.length;
  const byGender: Record<string, number> = {};
  for (const g of ['male', 'female'] as const) {
    const idx = usedItems.map((it, i) => (it.gender === g ? i : -1)).filter((i) => i >= 0);
    if (idx.length) byGender[g] = idx.filter((i) => argmax(cal[i]) === y[i]).length / idx.length;
  }
  // Per corpus, out of fold: the same scoring `npm run eval` applies to a model and a folder.
  const byCorpus: TrainReport['byCorpus'] = {};
  for (const c of corpora) {
    const idx = usedItems.map((it, i) => (it.corpus === c.name ? i : -1)).filter((i) => i >= 0);
    if (idx.length) byCorpus[c.name] = scoreSet(idx.map((i) => cal[i]), idx.map((i) => usedItems[i]), idx.map((i) => data.clean[i].rmsDb), rules);
  }
  const robustness: TrainReport['robustness'] = {};
  for (const [name, list] of Object.entries(data.variants)) {
    const probs = cv.variantOof[name].map((m, j) => applyGuard(applyBlend(m, choices[cv.foldOf[list[j].source]]), m.atypicality, guard));
    robustness[name] = scoreCondition(list.map((v, j) => ({ p: probs[j], clean: cal[v.source], y: v.row.y, rmsDb: v.row.rmsDb, cleanRmsDb: data.clean[v.source].rmsDb })), rules);
  }
  const fitSec = (Date.now() - tCv) / 1000;
  const foldStd = Math.sqrt(foldAccuracy.reduce((s, a) => s + (a - calibrated.accuracy) ** 2, 0) / foldAccuracy.length);
  const split = grouped ? `speaker-grouped ${folds}-fold CV (${speakers.size} speakers; no speaker in both train and test)` : `RANDOM ${folds}-fold split (speakers leak between train and test: inflated)`;
  // What the model answers: its members, their blend and calibration, the rules and the guard (a new calibration is a new version).
  const modelHash = createHash('sha256').update(JSON.stringify([fitted, final, rules, guard])).digest('hex').slice(0, 8);
  const file: ModelFile = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    classes: [...EMOTIONS],
    featureSpec: { version: FEATURE_SPEC.version, names: [...FEATURE_SPEC.names] },
    calibration: final.calibration,
    rules,
    guard,
    card: {
      version: `${FEATURE_SPEC.version}-${modelHash}`,
      trainedOn: corpora.map((c) => `${c.name} (${c.layout}${c.layout === 'crema-d' ? `, ${args.labels} labels` : ''}): ${byCorpus[c.name]?.n ?? 0} clips, ${new Set(usedItems.filter((i) => i.corpus === c.name).map((i) => i.speaker)).size} speakers`).join('; '),
      nSamples: data.clean.length,
      split,
      metrics: { accuracy: calibrated.accuracy, macroF1: calibrated.macroF1, uar: calibrated.uar, ece: calibrated.ece, accuracyStd: foldStd },
      ...licenceOf(corpora),
      training: { trees, folds, seed, augment: augmentations.length > 0, augmentations, features: FEATURE_SPEC.names.length, ...(fitted.projection ? { projection: { dims: axesOf(fitted.projection), explained: explained[0] } } : {}), labels: args.labels, corpora: corpora.map((c) => c.name), ...(linearBalance > 0 ? { linear } : {}), ...(disagreedWeight !== 1 ? { disagreedWeight } : {}), ...(mlp ? { mlp: { ...DEFAULT_MLP, ...mlp, seed } } : {}) },
    },
    forestWeight: final.forestWeight,
    ...(fitted.mlp ? { mlpWeight: final.mlpWeight ?? 0 } : {}),
    ...(final.pool ? { pool: final.pool, poolEps: final.poolEps } : {}),
    // Which clips it learned from, so `npm run eval` can say which of its clips are not held out.
    trainedClips: [...new Set(items.flatMap((_, i) => (ex.get(i, 'clean') ? [clipKey(ex.hashes[i])] : [])))],
    ...(fitted.projection ? { projection: fitted.projection } : {}),
    scaler: fitted.scaler,
    linear: fitted.linear,
    forest: fitted.forest,
    ...(fitted.mlp ? { mlp: fitted.mlp } : {}),
  };
  const bytes = await writeModel(args.out!, file);
  const totalSec = (Date.now() - t0) / 1000;
  const report: TrainReport = {
    file, modelBytes: bytes.length, raw, calibrated, members, decidedAccuracy: finalAcc, foldAccuracy, byGender, byCorpus, robustness, robustnessShare: share, augmentShare: AUGMENT_SHARE as Record<string, number>,
    gateTable, uncertain, skipped: ex.unreadable.length, timings: { totalSec, extractSec: ex.seconds, fitSec, extracted: ex.extracted, cacheHits: ex.cacheHits },
    defaultRules: DEFAULT_RULES,
    command: `npm run train -- ${process.argv.slice(2).join(' ')}`.trim(),
  };
  await writeReport(args.report!, report);
  process.stdout.write(
    `\n${split}\n` +
      `accuracy ${pct(calibrated.accuracy)} ± ${pct(foldStd)}  macro-F1 ${calibrated.macroF1.toFixed(3)}  UAR ${pct(calibrated.uar)}  ECE ${raw.ece.toFixed(3)} raw → ${calibrated.ece.toFixed(3)} calibrated\n` +
      `members alone: forest ${pct(members.forest.accuracy)} (macro-F1 ${members.forest.macroF1.toFixed(3)}), logistic ${pct(members.linear.accuracy)} (macro-F1 ${members.linear.macroF1.toFixed(3)})` +
      (members.mlp ? `, MLP ${pct(members.mlp.accuracy)} (macro-F1 ${members.mlp.macroF1.toFixed(3)})` : '') +
      `; ${final.pool === 'log' ? 'log pool' : 'blend'} ${final.forestWeight.toFixed(2)} forest${fitted.mlp ? `, ${(final.mlpWeight ?? 0).toFixed(2)} MLP` : ''}, ${linearShare(final).toFixed(2)} logistic\n` +
      (fitted.projection ? `frame offsets: ${axesOf(fitted.projection)} principal axes, ${pct(explained[0]!)} of their variance (folds: ${explained.slice(1).filter((e) => e !== null).map((e) => pct(e!)).join(', ')})\n` : '') +
      `per-class recall: ${EMOTIONS.map((e, c) => `${e} ${pct(calibrated.perClass[c].recall)}`).join(', ')}\n` +
      Object.entries(byCorpus).map(([n, c]) => `${n}: accuracy ${pct(c.accuracy)} (own classes ${pct(c.accuracyOwnClasses)}), macro-F1 ${c.macroF1.toFixed(3)}, ECE ${c.ece.toFixed(3)}` +
        (c.listenerAgreed ? `; listener-agreed ${c.listenerAgreed.n} clips: ${pct(c.listenerAgreed.accuracy)} (own classes ${pct(c.listenerAgreed.accuracyOwnClasses)})` : '') +
        (c.ordinary ? `; neutral or unsure ${pct(c.ordinary.neutralOrUnsure)}, non-neutral at high ${pct(c.ordinary.nonNeutralHigh)}` : '') + '\n').join('') +
      Object.entries(robustness).map(([n, r]) => `robustness ${n}: accuracy ${pct(r.accuracy)} (clean ${pct(r.cleanAccuracy)}), answer unchanged ${pct(r.unchanged)}, ECE ${r.ece.toFixed(3)}\n`).join('') +
      `energy gate: ${gate ? `angry/fearful ×${gate.factor} below ${gate.belowDb} dBFS` : 'none (no level passed the accuracy check)'}; uncertain below ${pct(uncertain.uncertainBelow)}\n` +
      `model ${args.out} (${(bytes.length / 1e6).toFixed(2)} MB, version ${file.card.version}); card and plots in ${args.report}/\n` +
      `time ${totalSec.toFixed(1)} s (features ${ex.seconds.toFixed(1)} s for ${ex.extracted} files, cross-validation + final fit ${fitSec.toFixed(1)} s)\n`,
  );
}

/** The axes a fitted projection kept: as asked, or fewer on a dataset with fewer clips (projection.ts). */
function axesOf(p: { mean: ArrayLike<number>; loadings: ArrayLike<number> }): number {
  return p.loadings.length / p.mean.length;
}

/** The model is a derivative of every dataset it was trained on: their licences (short, for /about) and citations (the card). */
function licenceOf(corpora: readonly Corpus[]): { licence: string; citations: string[] } {
  const found = corpora.map((c) => ({ c, k: KNOWN_DATASETS.find((k) => k.match.test(c.name) || k.layout === c.layout) }));
  const known = [...new Set(found.map((f) => f.k).filter((k) => k !== undefined))];
  const unknown = found.filter((f) => !f.k).map((f) => `${f.c.name}: its own licence (check it before sharing the model)`);
  return { licence: [...known.map((k) => k.licence), ...unknown].join(' · '), citations: [...known.map((k) => k.citation), ...unknown] };
}

const KNOWN_DATASETS: { match: RegExp; layout?: string; licence: string; citation: string }[] = [
  {
    match: /ravdess/i,
    layout: 'ravdess',
    licence: 'CC BY-NC-SA 4.0 (derivative of RAVDESS, Livingstone & Russo 2018)',
    citation: 'RAVDESS — CC BY-NC-SA 4.0. Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). PLoS ONE 13(5): e0196391, https://doi.org/10.1371/journal.pone.0196391',
  },
  {
    match: /crema/i,
    layout: 'crema-d',
    licence: 'ODbL 1.0 / DbCL 1.0 (CREMA-D, Cao et al. 2014)',
    citation: 'CREMA-D — Open Database License 1.0, contents under the Database Contents License 1.0. Cao H, Cooper DG, Keutmann MK, Gur RC, Nenkova A, Verma R (2014) CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset. IEEE Trans. Affective Computing 5(4): 377–390, https://doi.org/10.1109/TAFFC.2014.2336244',
  },
  {
    match: /libri/i,
    licence: 'CC BY 4.0 (LibriSpeech, Panayotov et al. 2015)',
    citation: 'LibriSpeech — CC BY 4.0. Panayotov V, Chen G, Povey D, Khudanpur S (2015) LibriSpeech: an ASR corpus based on public domain audio books. ICASSP 2015, https://www.openslr.org/12',
  },
];

main().catch((e) => {
  process.stderr.write(`train failed: ${failureText(e)}\n`);
  process.exit(1);
});
