// Several datasets as one list: each item tagged with its corpus, speakers made unique across corpora.
import { basename, resolve } from 'node:path';
import { DatasetError, listDataset, type DatasetItem, type Listing } from './dataset.js';

export interface CorpusItem extends DatasetItem {
  /** The dataset folder's name (e.g. "ravdess", "crema-d", "librispeech-mini"). */
  corpus: string;
  /** Ordinary, un-acted speech given with --neutral: labelled neutral, scored for how little emotion it gets. */
  ordinary: boolean;
}

export interface Corpus {
  name: string;
  dir: string;
  layout: Listing['layout'];
  items: CorpusItem[];
  skipped: Listing['skipped'];
}

/**
 * How a dataset with listener votes (CREMA-D) is labelled: `intended` keeps every clip with the
 * emotion the actor was asked for; `agreed` keeps only the clips whose listeners heard that emotion.
 */
export type LabelPolicy = 'intended' | 'agreed';

export async function listCorpora(data: readonly string[], neutral: readonly string[], policy: LabelPolicy = 'intended'): Promise<Corpus[]> {
  const out: Corpus[] = [];
  const names = new Set<string>();
  for (const [dir, ordinary] of [...data.map((d) => [d, false] as const), ...neutral.map((d) => [d, true] as const)]) {
    let name = basename(resolve(dir)) || 'data';
    while (names.has(name)) name += "'";
    names.add(name);
    const listing = await listDataset(dir, { ordinary });
    const items = listing.items
      .filter((it) => policy === 'intended' || it.heard === undefined || it.heard === it.label)
      .map((it) => ({ ...it, corpus: name, ordinary, speaker: it.speaker === null ? null : `${name}:${it.speaker}` }));
    if (!items.length) throw new DatasetError(`No clips left in ${dir} with --labels ${policy}.`);
    out.push({ name, dir, layout: listing.layout, items, skipped: listing.skipped });
  }
  return out;
}

/** Talkers for babble noise: a neutral clip from each of 16 speakers, alternately for training copies and the held-out condition. */
export function babbleTalkers(items: readonly CorpusItem[]): { train: string[]; test: string[] } {
  const pool = items.some((i) => i.ordinary) ? items.filter((i) => i.ordinary) : items.filter((i) => i.label === 'neutral');
  const first = new Map<string, string>();
  for (const it of pool) if (it.speaker && !first.has(it.speaker)) first.set(it.speaker, it.path);
  const paths = [...first.keys()].sort().slice(0, 16).map((s) => first.get(s)!);
  return { train: paths.filter((_, k) => k % 2 === 0), test: paths.filter((_, k) => k % 2 === 1) };
}
