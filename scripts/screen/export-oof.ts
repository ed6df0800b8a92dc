// Research (lane acc, issue 12): exports the training rows `npm run train` builds from a warm
// feature cache, the trainer's speaker-grouped folds for several seeds, and the shipped members'
// out-of-fold probabilities, so candidates can be screened in Python on exactly the same rows/folds.
// Usage, from the worktree (the datasets are ../shared/datasets), on a cache `npm run train` filled with the
// shipped command: npx tsx scripts/screen/export-oof.ts OUTDIR CACHEDIR SEED[,SEED...] [THREADS] [SHARE] [BALANCE]
// (SHARE: the robustness share, as --robustness-share; BALANCE: LINEAR,MLP as --corpus-balance; defaults the trainer's).
// Then scripts/screen/harness.py OUTDIR … (Python, Debian's python3-sklearn). On seed 42 the 0.4 / 0.3 / 0.3 blend's
// argmax gives RAVDESS 64.9 % (the card: 65.1 % with each fold's own blend choice).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemberProbs } from '../../src/core/model/ensemble.js';
import { DEFAULT_FOREST } from '../../src/core/model/forest.js';
import { DEFAULT_MLP } from '../../src/core/model/mlp.js';
import { groupedFolds, type Row } from '../../src/core/model/train.js';
import { crossValidateParallel } from '../train/cv.js';
import { PROJECTED_FROM } from '../../src/core/features/spec.js';
import { AUTO_BALANCE, MLP_BAGS, PROJECTION_DIMS, ROBUSTNESS_SHARE } from '../train/recipe.js';
import { warmRows } from './warm-rows.js';

const [out, cacheDir, seedList = '', threadArg, shareArg, balanceArg] = process.argv.slice(2);
const [linearBalance, mlpBalance] = balanceArg ? balanceArg.split(',').map(Number).concat(Number(balanceArg)).slice(0, 2) : [AUTO_BALANCE, AUTO_BALANCE];
if (!out || !cacheDir) throw new Error('usage: export-oof.ts OUTDIR CACHEDIR SEED[,SEED...] [THREADS]');
const seeds = seedList.split(',').filter(Boolean).map(Number);
const threads = Number(threadArg ?? 2);
const { data, usedItems: used } = await warmRows(cacheDir, threads, Number(shareArg ?? ROBUSTNESS_SHARE));
await mkdir(out, { recursive: true });
// Rows: clean, augmented, then each variant; meta says which.
const all: { kind: string; source: number; row: Row }[] = [
  ...data.clean.map((row, i) => ({ kind: 'clean', source: i, row })),
  ...data.augmented.map((a) => ({ kind: 'aug', source: a.source, row: a.row })),
  ...Object.entries(data.variants).flatMap(([v, list]) => list.map((a) => ({ kind: v, source: a.source, row: a.row }))),
];
const d = data.clean[0].x.length;
const X = new Float32Array(all.length * d);
all.forEach((r, k) => X.set(r.row.x, k * d));
await writeFile(join(out, 'X.f32'), X);
await writeFile(join(out, 'meta.json'), JSON.stringify(all.map((r) => {
  const it = used[r.source];
  return { k: r.kind, s: r.source, y: r.row.y, g: r.row.group, c: it.corpus, r: r.row.rmsDb, heard: it.heard ?? null, gender: it.gender, path: it.path };
})));
for (const seed of seeds) {
  const t = process.cpuUsage();
  const foldOf = groupedFolds(data.clean.map((r) => r.group), 5, seed);
  // The shipped recipe on three corpora (`npm run train`'s defaults there): the frame offsets' projection, forest,
  // logistic regression and two bagged networks, the corpora evened out within each class in the last two.
  const { cv } = await crossValidateParallel(data, { folds: 5, seed, forest: { nTrees: DEFAULT_FOREST.nTrees }, linear: { corpusBalance: linearBalance }, mlp: { epochs: DEFAULT_MLP.epochs, bags: MLP_BAGS, corpusBalance: mlpBalance }, split: 'grouped', projection: { from: PROJECTED_FROM, dims: PROJECTION_DIMS } }, threads);
  // Per clip: forest 0–6, logistic 7–13, atypicality 14, MLP 15–21.
  const flat = (ps: MemberProbs[]) => ps.map((m) => [...m.forest, ...m.linear, m.atypicality ?? 0, ...(m.mlp ?? [])]);
  await writeFile(join(out, `oof-${seed}.json`), JSON.stringify({ foldOf, clean: flat(cv.oof), variants: Object.fromEntries(Object.entries(cv.variantOof).map(([k, v]) => [k, flat(v)])) }));
  const u = process.cpuUsage(t);
  process.stderr.write(`seed ${seed}: main-thread cpu ${((u.user + u.system) / 1e6).toFixed(1)} s\n`);
}
