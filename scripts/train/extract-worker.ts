// Worker: decode one file's bytes and compute clip features for each requested variant.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { clipFeatures } from '../../src/core/clip-features.js';
import { normalised } from '../../src/core/features/temporal.js';
import { pcm } from '../../src/core/pcm.js';
import { applyVariant, USES_TALKERS, variantSeed, type BabbleBeds, type Variant } from './augment.js';
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
const NO_TALKERS: BabbleBeds = { train: [], test: [] };

/**
 * Decoded once per worker and reused: the same talker files come with every job. A talker file that does not decode
 * is left out (every worker leaves out the same ones, so the features stay the same run to run): one damaged neutral
 * clip must not fail every other file's job. With none left, babble falls back to pink noise.
 */
function babbleBeds(input: ExtractInput): Promise<BabbleBeds> {
  const key = JSON.stringify(input.babble ?? null);
  if (beds?.key !== key) {
    const load = async (paths: string[]) => {
      const talkers: Float32Array[] = [];
      for (const p of paths) {
        const decoded = await readFile(p).then((bytes) => decodeForTraining(bytes, input.ffmpegPath)).catch(() => null);
        if (decoded) talkers.push(normalised(decoded.samples));
      }
      return talkers;
    };
    beds = { key, beds: (async () => ({ train: await load(input.babble?.train ?? []), test: await load(input.babble?.test ?? []) }))() };
  }
  return beds.beds;
}

parentPort!.on('message', async ({ id, input }: { id: number; input: ExtractInput }) => {
  let output: ExtractOutput;
  try {
    const decoded = await decodeForTraining(input.bytes, input.ffmpegPath);
    // Only variants made of other talkers read them (a clean-only job, as eval's, never does).
    const talkers = input.variants.some((v) => USES_TALKERS.has(v)) ? await babbleBeds(input) : NO_TALKERS;
    const results = input.variants.map((variant) => ({ variant, ...clipFeatures(pcm(applyVariant(decoded.samples, variant, variantSeed(input.seed, variant), talkers))) }));
    output = { ok: true, results };
  } catch (e) {
    output = { ok: false, error: `${(e as { code?: string }).code ?? 'ERROR'}: ${(e as Error).message}` };
  }
  parentPort!.postMessage({ id, output });
});
