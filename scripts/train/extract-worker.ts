// Worker: decode one file's bytes and compute clip features for each requested variant.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { clipFeatures } from '../../src/core/clip-features.js';
import { normalised } from '../../src/core/features/temporal.js';
import { pcm } from '../../src/core/pcm.js';
import { applyVariant, variantSeed, type BabbleBeds, type Variant } from './augment.js';
import { decodeForTraining } from './flac.js';

export interface ExtractInput {
  bytes: Uint8Array;
  variants: Variant[];
  seed: number;
  ffmpegPath: string | null;
  /** Files whose speech makes the babble noise: training talkers and disjoint held-out ones. */
  babble?: { train: string[]; test: string[] };
}

export type ExtractOutput =
  | { ok: true; results: { variant: Variant; features: Float32Array; rmsDb: number; speechSec: number }[] }
  | { ok: false; error: string };

let beds: { key: string; beds: Promise<BabbleBeds> } | null = null;

/** Decoded once per worker and reused: the same talker files come with every job. */
function babbleBeds(input: ExtractInput): Promise<BabbleBeds> {
  const key = JSON.stringify(input.babble ?? null);
  if (beds?.key !== key) {
    const load = async (paths: string[]) => Promise.all(paths.map(async (p) => normalised((await decodeForTraining(await readFile(p), input.ffmpegPath)).samples)));
    beds = { key, beds: (async () => ({ train: await load(input.babble?.train ?? []), test: await load(input.babble?.test ?? []) }))() };
  }
  return beds.beds;
}

parentPort!.on('message', async ({ id, input }: { id: number; input: ExtractInput }) => {
  let output: ExtractOutput;
  try {
    const decoded = await decodeForTraining(input.bytes, input.ffmpegPath);
    const talkers = await babbleBeds(input);
    const results = input.variants.map((variant) => ({ variant, ...clipFeatures(pcm(applyVariant(decoded.samples, variant, variantSeed(input.seed, variant), talkers))) }));
    output = { ok: true, results };
  } catch (e) {
    output = { ok: false, error: `${(e as { code?: string }).code ?? 'ERROR'}: ${(e as Error).message}` };
  }
  parentPort!.postMessage({ id, output });
});
