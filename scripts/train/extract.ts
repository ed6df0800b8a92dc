// Features of many files × variants: decoded and computed on worker threads, cached by content hash.
import { readFile } from 'node:fs/promises';
import { FEATURE_SPEC } from '../../src/core/features/spec.js';
import { AUGMENT_VERSION, USES_TALKERS, type Variant } from './augment.js';
import type { ExtractInput, ExtractOutput } from './extract-worker.js';
import { contentHash, FeatureCache, type CachedFeatures } from './feature-cache.js';
import { runParallel } from './parallel.js';
import { progress } from './progress.js';

/** Files read (and hashed) concurrently before extraction: enough to hide each read's round trip. */
const READS_IN_FLIGHT = 16;

export interface ExtractOptions {
  cacheDir: string | null;
  ffmpegPath: string | null;
  threads?: number;
  babble?: ExtractInput['babble'];
  label?: string;
}

export interface Extracted {
  /** Features of item i's variant v, or null if it could not be read. */
  get(i: number, v: Variant): CachedFeatures | null;
  unreadable: { path: string; error: string }[];
  /** Content hash of each item ('' when unreadable): a stable per-file seed and subset key. */
  hashes: string[];
  extracted: number;
  cacheHits: number;
  seconds: number;
}

export async function extractAll(paths: readonly string[], variantsOf: (i: number, hash: string) => readonly Variant[], o: ExtractOptions): Promise<Extracted> {
  const t0 = Date.now();
  const cache = o.cacheDir === null ? new FeatureCache('') : await FeatureCache.forSpec(o.cacheDir, `${FEATURE_SPEC.version}.${AUGMENT_VERSION}`).load();
  // Babble is made of other talkers' files, which depend on the datasets given (RAVDESS alone or with
  // LibriSpeech, --max-speakers…): the variants that use them are cached under those files' content.
  const talkers = o.babble ? contentHash(new TextEncoder().encode(await talkerHashes(o.babble))) : 'none';
  const keyOf = (v: Variant) => (USES_TALKERS.has(v) ? `${v}@${talkers}` : v);
  const hashes: string[] = new Array(paths.length).fill('');
  const errors: (string | null)[] = new Array(paths.length).fill(null);
  const jobAt: ({ item: number; input: ExtractInput; transfer: ArrayBuffer[] } | null)[] = new Array(paths.length).fill(null);
  // Several files read at once: one at a time, a warm run's workers sat ~1 s idle on the reads' round trips.
  let nextPath = 0;
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, paths.length) }, async () => {
    while (nextPath < paths.length) {
      const i = nextPath++;
      const bytes = await readFile(paths[i]).catch((e: Error) => { errors[i] = e.message; return null; });
      if (!bytes) continue;
      const hash = (hashes[i] = contentHash(bytes));
      const wanted = variantsOf(i, hash);
      const missing = o.cacheDir === null ? wanted : wanted.filter((v) => !cache.has(hash, keyOf(v)));
      if (missing.length) {
        const own = new Uint8Array(bytes); // its own ArrayBuffer, safe to transfer
        jobAt[i] = { item: i, input: { bytes: own, variants: [...missing], seed: parseInt(hash.slice(0, 8), 16), ffmpegPath: o.ffmpegPath, babble: o.babble }, transfer: [own.buffer] };
      }
    }
  }));
  const jobs = jobAt.filter((j) => j !== null);
  const bar = progress(o.label ?? 'features', jobs.length);
  const fresh = new Map<string, CachedFeatures>();
  // Saved every few hundred files as well as at the end: a long cold run that is stopped keeps its work.
  let sinceSave = 0;
  let saving: Promise<void> = Promise.resolve();
  await runParallel<ExtractInput, ExtractOutput>(new URL('./extract-worker.ts', import.meta.url), jobs.map((j) => ({ input: j.input, transfer: j.transfer })), (k, out) => {
    const item = jobs[k].item;
    if (!out.ok) errors[item] = out.error;
    else for (const r of out.results) {
      const v = { features: r.features, rmsDb: r.rmsDb, speechSec: r.speechSec };
      fresh.set(`${item}:${r.variant}`, v);
      if (o.cacheDir !== null) cache.set(hashes[item], keyOf(r.variant), v);
    }
    if (o.cacheDir !== null && ++sinceSave >= 400) { sinceSave = 0; saving = saving.then(() => cache.save()); }
    bar.tick();
  }, o.threads);
  bar.done();
  // In the files' order, whatever order the reads and the workers finished in.
  const unreadable: Extracted['unreadable'] = paths.flatMap((path, i) => (errors[i] === null ? [] : [{ path, error: errors[i]! }]));
  await saving;
  if (o.cacheDir !== null) await cache.save();
  return {
    get: (i, v) => fresh.get(`${i}:${v}`) ?? (hashes[i] && o.cacheDir !== null ? cache.get(hashes[i], keyOf(v)) : null),
    unreadable,
    hashes,
    extracted: jobs.length,
    cacheHits: cache.hits,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** The content hashes of the babble talkers' files, training set then held-out set. */
async function talkerHashes(babble: NonNullable<ExtractOptions['babble']>): Promise<string> {
  // An unreadable talker is left out of the babble (extract-worker.ts), and keyed as such.
  const list = async (paths: string[]) => (await Promise.all(paths.map((p) => readFile(p).then(contentHash, () => 'unreadable')))).join(',');
  return `${await list(babble.train)}|${await list(babble.test)}`;
}

/** A fixed, content-based share of the files (the same files every run): robustness is scored on it to bound the cost. */
export function inShare(hash: string, share: number): boolean {
  return share >= 1 || parseInt(hash.slice(8, 16), 16) / 2 ** 32 < share;
}
