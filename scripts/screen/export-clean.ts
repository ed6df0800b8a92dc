// Research (issue 12, eleventh round): the clean rows `npm run train` builds from a warm feature cache, each row's
// label, speaker, corpus and file, and the trainer's speaker-grouped folds for fold seeds 42, 7, 1, 3 and 5, for
// scripts/screen/frame-occupancy.py. Unlike export-oof.ts it fits nothing, so it takes seconds.
// Usage, from the repository with ../shared/datasets beside it: npx tsx scripts/screen/export-clean.ts OUTDIR [CACHEDIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupedFolds } from '../../src/core/model/train.js';
import { warmRows } from './warm-rows.js';

const [out, cacheDir = '.cache'] = process.argv.slice(2);
if (!out) throw new Error('usage: export-clean.ts OUTDIR [CACHEDIR]');
const { data, usedItems } = await warmRows(cacheDir);
mkdirSync(out, { recursive: true });
const d = data.clean[0].x.length;
const X = new Float32Array(data.clean.length * d);
data.clean.forEach((r, i) => X.set(r.x, i * d));
writeFileSync(join(out, 'X.f32'), X);
const folds = Object.fromEntries([42, 7, 1, 3, 5].map((s) => [s, groupedFolds(data.clean.map((r) => r.group), 5, s)]));
writeFileSync(join(out, 'meta.json'), JSON.stringify({ d, rows: data.clean.map((r, i) => ({ y: r.y, g: r.group, c: usedItems[i].corpus, path: usedItems[i].path })), folds }));
