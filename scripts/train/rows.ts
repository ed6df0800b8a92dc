// Training rows from extracted features: clean clips, their augmented copies, the held-out test variants.
// One place, so `npm run train` and the research exports (scripts/screen/warm-rows.ts) extract and build the same rows.
import { EMOTIONS } from '../../src/core/emotions.js';
import type { Row, TrainingSet } from '../../src/core/model/train.js';
import { augmentsFor, TEST_VARIANTS, type Variant } from './augment.js';
import type { CorpusItem } from './corpora.js';
import { inShare, type Extracted } from './extract.js';

/** The variants of a clip to extract for assembleRows(): clean, its augmented copies, and the test conditions when its hash is in `testShare`. */
export function variantsFor(hash: string, augmentations: readonly Variant[], testShare: number | null): Variant[] {
  return ['clean', ...augmentsFor(hash, augmentations), ...(testShare !== null && inShare(hash, testShare) ? TEST_VARIANTS : [])];
}

/**
 * Items whose clean clip was read become rows, in list order (`usedItems[k]` is `data.clean[k]`'s item).
 * `testShare` null: no test variants (no robustness evaluation).
 */
export function assembleRows(items: readonly CorpusItem[], ex: Pick<Extracted, 'get' | 'hashes'>, augmentations: readonly Variant[], testShare: number | null, disagreedTrust = 1): { data: TrainingSet; usedItems: CorpusItem[] } {
  const data: TrainingSet = { clean: [], augmented: [], variants: {} };
  const usedItems: CorpusItem[] = [];
  const corpora = [...new Set(items.map((it) => it.corpus))];
  const rowOf = (i: number, v: Variant): Row | null => {
    const f = ex.get(i, v);
    // A clip whose listeners heard another emotion than the acted one (CREMA-D's votes) counts `disagreedTrust` in training.
    const disagreed = disagreedTrust !== 1 && items[i].heard != null && items[i].heard !== items[i].label;
    return f ? { x: f.features, y: EMOTIONS.indexOf(items[i].label), group: items[i].speaker ?? `file${i}`, rmsDb: f.rmsDb, corpus: corpora.indexOf(items[i].corpus), ...(disagreed ? { trust: disagreedTrust } : {}) } : null;
  };
  items.forEach((item, i) => {
    const clean = rowOf(i, 'clean');
    if (!clean) return;
    const source = data.clean.length;
    data.clean.push(clean);
    usedItems.push(item);
    for (const v of augmentsFor(ex.hashes[i], augmentations)) { const r = rowOf(i, v); if (r) data.augmented.push({ source, row: r }); }
    if (testShare !== null && inShare(ex.hashes[i], testShare)) for (const v of TEST_VARIANTS) { const r = rowOf(i, v); if (r) (data.variants[v] ??= []).push({ source, row: r }); }
  });
  return { data, usedItems };
}
