// Worker: decode one file's bytes and compute clip features for each requested variant.
import { parentPort } from 'node:worker_threads';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { clipFeatures } from '../../src/core/clip-features.js';
import { pcm } from '../../src/core/pcm.js';
import { applyVariant, variantSeed, type Variant } from './augment.js';

export interface ExtractInput {
  bytes: Uint8Array;
  variants: Variant[];
  seed: number;
  ffmpegPath: string | null;
}

export type ExtractOutput =
  | { ok: true; results: { variant: Variant; features: Float32Array; rmsDb: number; speechSec: number }[] }
  | { ok: false; error: string };

parentPort!.on('message', async ({ id, input }: { id: number; input: ExtractInput }) => {
  let output: ExtractOutput;
  try {
    const decoded = await decodeAudio(input.bytes, { ffmpegPath: input.ffmpegPath });
    const results = input.variants.map((variant) => ({ variant, ...clipFeatures(pcm(applyVariant(decoded.samples, variant, variantSeed(input.seed, variant)))) }));
    output = { ok: true, results };
  } catch (e) {
    output = { ok: false, error: `${(e as { code?: string }).code ?? 'ERROR'}: ${(e as Error).message}` };
  }
  parentPort!.postMessage({ id, output });
});
