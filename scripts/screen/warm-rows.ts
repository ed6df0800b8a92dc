// The training rows `npm run train` builds for the shipped three-corpus command, read from a warm feature cache:
// what the screening scripts start from.
import { locateFfmpeg } from '../../src/core/audio/ffmpeg.js';
import type { TrainingSet } from '../../src/core/model/train.js';
import { DEFAULT_AUGMENT, type Variant } from '../train/augment.js';
import { babbleTalkers, listCorpora, type CorpusItem } from '../train/corpora.js';
import { extractAll } from '../train/extract.js';
import { ROBUSTNESS_SHARE } from '../train/recipe.js';
import { assembleRows, variantsFor } from '../train/rows.js';

/** The README's three corpora from ../shared/datasets beside the repository, intended labels, in the trainer's order. */
export async function screenItems(): Promise<CorpusItem[]> {
  const D = '../shared/datasets';
  const corpora = await listCorpora([`${D}/ravdess`, `${D}/crema-d`], [`${D}/librispeech-mini`], 'intended');
  return corpora.flatMap((c) => c.items);
}

/** From the repository; the robustness share is the trainer's default unless given. */
export async function warmRows(cacheDir: string, threads = 2, share = ROBUSTNESS_SHARE): Promise<{ data: TrainingSet; usedItems: CorpusItem[] }> {
  const items = await screenItems();
  const augmentations = DEFAULT_AUGMENT as Variant[];
  const ex = await extractAll(items.map((i) => i.path), (_, hash) => variantsFor(hash, augmentations, share), {
    // ffmpeg as `npm run train` finds it: on a cold cache some CREMA-D FLAC files need it (65 were dropped without).
    cacheDir, ffmpegPath: await locateFfmpeg(process.env), threads, babble: babbleTalkers(items),
  });
  process.stderr.write(`extracted ${ex.extracted} (0 on a warm cache), unreadable ${ex.unreadable.length}\n`);
  return assembleRows(items, ex, augmentations, share);
}
