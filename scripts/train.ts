// `npm run train`: dataset → features (parallel, cached) → speaker-grouped CV → calibration → model + card + plots.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { DEFAULT_RULES, decide, toProbabilities } from '../src/core/decision.js';
import { EMOTIONS } from '../src/core/emotions.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';
import { applyBlend, blend, chooseBlend } from '../src/core/model/ensemble.js';
import { DEFAULT_FOREST } from '../src/core/model/forest.js';
import { writeModel } from '../src/core/model/io.js';
import { argmax } from '../src/core/model/metrics.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelFile } from '../src/core/model/model-file.js';
import { chooseGate, chooseUncertain, crossFittedChoices, foldAccuracies, foldsOf, mergeFolds, metricsOf, type Fitted, type FoldResult, type Row, type TrainingSet } from '../src/core/model/train.js';
import type { CvJob, CvOutput } from './train/cv-worker.js';
import { AUGMENT_VARIANTS, AUGMENT_VERSION, DEFAULT_AUGMENT, TEST_VARIANTS, type Variant } from './train/augment.js';
import { DatasetError, listDataset, type DatasetItem } from './train/dataset.js';
import type { ExtractInput, ExtractOutput } from './train/extract-worker.js';
import { contentHash, FeatureCache } from './train/feature-cache.js';
import { runParallel } from './train/parallel.js';
import { progress } from './train/progress.js';
import { pct, writeReport, type TrainReport } from './train/report.js';

const USAGE = `Usage: npm run train -- [options]
  --data DIR          dataset folder (default: dataset/) — RAVDESS Actor_NN/ or <emotion>/ folders
  --out FILE          model file to write (default: models/ser-model.json.gz)
  --report DIR        model card + plots folder (default: models/)
  --folds N           speaker-grouped folds (default: 5)
  --seed N            random seed (default: 42); same data + seed → byte-identical model
  --trees N           trees in the forest (default: ${DEFAULT_FOREST.nTrees})
  --max-speakers N    use only the first N speakers (quick runs, CI)
  --augment LIST      augmented copies added to training folds, comma-separated from
                      ${AUGMENT_VARIANTS.join(',')} (default: ${DEFAULT_AUGMENT.join(',')})
  --no-augment        train without augmented copies
  --no-robustness     skip the Opus / gain robustness evaluation
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
        data: { type: 'string', default: 'dataset' },
        out: { type: 'string', default: 'models/ser-model.json.gz' },
        report: { type: 'string', default: 'models' },
        folds: { type: 'string', default: '5' },
        seed: { type: 'string', default: '42' },
        trees: { type: 'string', default: String(DEFAULT_FOREST.nTrees) },
        'max-speakers': { type: 'string' },
        augment: { type: 'string', default: DEFAULT_AUGMENT.join(',') },
        'no-augment': { type: 'boolean', default: false },
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
  const augment = args['no-augment'] ? [] : args.augment!.split(',').filter(Boolean);
  const unknown = augment.filter((a) => !(AUGMENT_VARIANTS as readonly string[]).includes(a));
  if (unknown.length) fail(`--augment: unknown variant ${unknown.join(', ')} (known: ${AUGMENT_VARIANTS.join(', ')}).\n${USAGE}`);
  // Canonical order: the rows (and so the model) must not depend on how the list was typed.
  const augmentations = AUGMENT_VARIANTS.filter((v) => augment.includes(v)) as Variant[];
  const threads = args.threads ? int('threads', args.threads, 1) : undefined;
  const t0 = Date.now();

  let listing;
  try {
    listing = await listDataset(args.data!);
  } catch (e) {
    if (e instanceof DatasetError) fail(e.message);
    throw e;
  }
  let items = listing.items;
  if (args['max-speakers']) {
    const keep = new Set([...new Set(items.map((i) => i.speaker ?? '?'))].sort().slice(0, int('max-speakers', args['max-speakers'], 1)));
    items = items.filter((i) => keep.has(i.speaker ?? '?'));
  }
  const speakers = new Set(items.map((i) => i.speaker));
  const grouped = !args['random-split'];
  if (grouped && (speakers.has(null) || speakers.size < folds)) {
    fail(`Speaker-grouped ${folds}-fold evaluation needs a speaker for every file and at least ${folds} speakers (found ${speakers.size}${speakers.has(null) ? ', some unknown' : ''}).\nAdd DIR/speakers.csv, use fewer --folds, or pass --random-split (which leaks speakers and inflates accuracy).`);
  }
  process.stderr.write(`Dataset ${args.data}: ${items.length} files (${listing.layout}), ${speakers.size} speakers${listing.skipped.length ? `, ${listing.skipped.length} skipped` : ''}\n`);

  // Features, in parallel and cached.
  const wanted = [...new Set<Variant>(['clean', ...augmentations, ...(args['no-robustness'] ? [] : TEST_VARIANTS)])];
  const cache = args['no-cache'] ? new FeatureCache('') : await FeatureCache.forSpec(args.cache!, `${FEATURE_SPEC.version}.${AUGMENT_VERSION}`).load();
  const ffmpegPath = await locateFfmpeg(process.env);
  const tExtract = Date.now();
  const hashes: string[] = [];
  const jobs: { item: number; input: ExtractInput; transfer: ArrayBuffer[] }[] = [];
  const unreadable: { path: string; error: string }[] = [];
  for (const [i, item] of items.entries()) {
    const bytes = await readFile(item.path).catch((e: Error) => { unreadable.push({ path: item.path, error: e.message }); return null; });
    if (!bytes) { hashes.push(''); continue; }
    const hash = contentHash(bytes);
    hashes.push(hash);
    const missing = args['no-cache'] ? wanted : wanted.filter((v) => !cache.get(hash, v));
    if (missing.length) {
      const own = new Uint8Array(bytes); // its own ArrayBuffer, safe to transfer
      jobs.push({ item: i, input: { bytes: own, variants: missing, seed: parseInt(hash.slice(0, 8), 16), ffmpegPath }, transfer: [own.buffer] });
    }
  }
  const bar = progress('features', jobs.length);
  const fresh = new Map<string, { features: Float32Array; rmsDb: number; speechSec: number }>();
  await runParallel<ExtractInput, ExtractOutput>(new URL('./train/extract-worker.ts', import.meta.url), jobs.map((j) => ({ input: j.input, transfer: j.transfer })), (k, out) => {
    const item = jobs[k].item;
    if (!out.ok) unreadable.push({ path: items[item].path, error: out.error });
    else for (const r of out.results) {
      const v = { features: r.features, rmsDb: r.rmsDb, speechSec: r.speechSec };
      fresh.set(`${item}:${r.variant}`, v);
      if (!args['no-cache']) cache.set(hashes[item], r.variant, v);
    }
    bar.tick();
  }, threads);
  bar.done();
  if (!args['no-cache']) await cache.save();
  const extractSec = (Date.now() - tExtract) / 1000;
  for (const u of unreadable) process.stderr.write(`skipped ${u.path}: ${u.error}\n`);

  // Assemble rows.
  const get = (i: number, v: Variant) => fresh.get(`${i}:${v}`) ?? (hashes[i] && !args['no-cache'] ? cache.get(hashes[i], v) : null);
  const data: TrainingSet = { clean: [], augmented: [], variants: {} };
  const usedItems: DatasetItem[] = [];
  const rowOf = (i: number, v: Variant): Row | null => {
    const f = get(i, v);
    return f ? { x: f.features, y: EMOTIONS.indexOf(items[i].label), group: items[i].speaker ?? `file${i}`, rmsDb: f.rmsDb } : null;
  };
  items.forEach((item, i) => {
    const clean = rowOf(i, 'clean');
    if (!clean) return;
    const source = data.clean.length;
    data.clean.push(clean);
    usedItems.push(item);
    for (const v of augmentations) { const r = rowOf(i, v); if (r) data.augmented.push({ source, row: r }); }
    if (!args['no-robustness']) for (const v of TEST_VARIANTS) { const r = rowOf(i, v); if (r) (data.variants[v] ??= []).push({ source, row: r }); }
  });
  if (data.clean.length < 2 * EMOTIONS.length) fail(`Only ${data.clean.length} files could be read: too few to train.`);

  // Evaluation.
  const tCv = Date.now();
  const forestOpts = { nTrees: trees };
  const opts = { folds, seed, forest: forestOpts, split: grouped ? ('grouped' as const) : ('random' as const) };
  // The folds and the final fit are independent forests: they run side by side on the worker threads.
  const foldOf = foldsOf(data, opts);
  const cvJobs: CvJob[] = [{ kind: 'final', data, opts }, ...Array.from({ length: folds }, (_, fold): CvJob => ({ kind: 'fold', data, opts, foldOf, fold }))];
  const outputs: CvOutput[] = new Array(cvJobs.length);
  const cvBar = progress('cross-validation + final fit', cvJobs.length);
  await runParallel<CvJob, CvOutput>(new URL('./train/cv-worker.ts', import.meta.url), cvJobs.map((input) => ({ input })), (k, out) => { outputs[k] = out; cvBar.tick(); }, threads);
  cvBar.done();
  const fitted = outputs[0] as Fitted;
  const cv = mergeFolds(data, foldOf, outputs.slice(1) as (FoldResult | null)[]);
  const y = data.clean.map((r) => r.y);
  const choices = crossFittedChoices(cv.oof, y, cv.foldOf, folds);
  const cal = cv.oof.map((m, i) => applyBlend(m, choices[cv.foldOf[i]]));
  const final = chooseBlend(cv.oof, y);
  // Before calibration, with the same per-fold blend weights, so the two ECEs compare like with like.
  const raw = metricsOf(cv.oof.map((m, i) => blend(m, choices[cv.foldOf[i]].forestWeight)), y);
  const calibrated = metricsOf(cal, y);
  const members = { forest: metricsOf(cv.oof.map((m) => m.forest), y), linear: metricsOf(cv.oof.map((m) => m.linear), y) };
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
  const robustness: TrainReport['robustness'] = {};
  for (const [name, list] of Object.entries(data.variants)) {
    const probs = cv.variantOof[name].map((m, j) => applyBlend(m, choices[cv.foldOf[list[j].source]]));
    const acc = list.filter((v, j) => argmax(probs[j]) === v.row.y).length / list.length;
    const same = list.filter((v, j) => decide(toProbabilities(probs[j]), v.row.rmsDb, rules).emotion === decided[v.source].emotion).length / list.length;
    const cleanAcc = list.filter((v) => argmax(cal[v.source]) === v.row.y).length / list.length;
    robustness[name] = { accuracy: acc, cleanAccuracy: cleanAcc, unchanged: same };
  }
  const fitSec = (Date.now() - tCv) / 1000;
  const foldStd = Math.sqrt(foldAccuracy.reduce((s, a) => s + (a - calibrated.accuracy) ** 2, 0) / foldAccuracy.length);
  const split = grouped ? `speaker-grouped ${folds}-fold CV (${speakers.size} speakers; no speaker in both train and test)` : `RANDOM ${folds}-fold split (speakers leak between train and test: inflated)`;
  const modelHash = createHash('sha256').update(JSON.stringify(fitted)).digest('hex').slice(0, 8);
  const file: ModelFile = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    classes: [...EMOTIONS],
    featureSpec: { version: FEATURE_SPEC.version, names: [...FEATURE_SPEC.names] },
    calibration: final.calibration,
    rules,
    card: {
      version: `${FEATURE_SPEC.version}-${modelHash}`,
      trainedOn: listing.layout === 'ravdess' ? `RAVDESS speech, ${speakers.size} actors, ${data.clean.length} clips` : `${data.clean.length} clips in emotion folders`,
      nSamples: data.clean.length,
      split,
      metrics: { accuracy: calibrated.accuracy, macroF1: calibrated.macroF1, uar: calibrated.uar, ece: calibrated.ece, accuracyStd: foldStd },
      licence: listing.layout === 'ravdess' ? 'CC BY-NC-SA 4.0 (derivative of RAVDESS, Livingstone & Russo 2018)' : 'as the training data',
      training: { trees, folds, seed, augment: augmentations.length > 0, augmentations, features: FEATURE_SPEC.names.length },
    },
    forestWeight: final.forestWeight,
    scaler: fitted.scaler,
    linear: fitted.linear,
    forest: fitted.forest,
  };
  const bytes = await writeModel(args.out!, file);
  const totalSec = (Date.now() - t0) / 1000;
  const report: TrainReport = {
    file, modelBytes: bytes.length, raw, calibrated, members, decidedAccuracy: finalAcc, foldAccuracy, byGender, robustness,
    gateTable, uncertain, skipped: unreadable.length, timings: { totalSec, extractSec, fitSec, extracted: jobs.length, cacheHits: cache.hits },
    defaultRules: DEFAULT_RULES,
  };
  await writeReport(args.report!, report);
  process.stdout.write(
    `\n${split}\n` +
      `accuracy ${pct(calibrated.accuracy)} ± ${pct(foldStd)}  macro-F1 ${calibrated.macroF1.toFixed(3)}  UAR ${pct(calibrated.uar)}  ECE ${raw.ece.toFixed(3)} raw → ${calibrated.ece.toFixed(3)} calibrated\n` +
      `members alone: forest ${pct(members.forest.accuracy)} (macro-F1 ${members.forest.macroF1.toFixed(3)}), logistic ${pct(members.linear.accuracy)} (macro-F1 ${members.linear.macroF1.toFixed(3)}); blend ${final.forestWeight.toFixed(1)} forest\n` +
      `per-class recall: ${EMOTIONS.map((e, c) => `${e} ${pct(calibrated.perClass[c].recall)}`).join(', ')}\n` +
      `by gender: ${Object.entries(byGender).map(([g, a]) => `${g} ${pct(a)}`).join(', ')}\n` +
      Object.entries(robustness).map(([n, r]) => `robustness ${n}: accuracy ${pct(r.accuracy)} (clean ${pct(r.cleanAccuracy)}), prediction unchanged ${pct(r.unchanged)}\n`).join('') +
      `energy gate: ${gate ? `angry/fearful ×${gate.factor} below ${gate.belowDb} dBFS` : 'none (no level passed the accuracy check)'}; uncertain below ${pct(uncertain.uncertainBelow)}\n` +
      `model ${args.out} (${(bytes.length / 1e6).toFixed(2)} MB, version ${file.card.version}); card and plots in ${args.report}/\n` +
      `time ${totalSec.toFixed(1)} s (features ${extractSec.toFixed(1)} s for ${jobs.length} files, cross-validation + final fit ${fitSec.toFixed(1)} s)\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`train failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
