// `npm run fit:frame-mixture`: fits the fixed mixture of read-speech frames the f10 features score each clip's
// frames against (src/core/features/frame-mixture.ts), on ordinary speech with no emotion label.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { locateFfmpeg } from '../src/core/audio/ffmpeg.js';
import { clipFrameVectors } from '../src/core/clip-features.js';
import { compile, FRAME_DIMS, posteriors, type FrameMixture } from '../src/core/features/frame-mixture.js';
import { N_FRAME_OCCUPANCY } from '../src/core/features/spec.js';
import { rng } from '../src/core/model/random.js';
import { pcm } from '../src/core/pcm.js';
import { listCorpora } from './train/corpora.js';
import { decodeForTraining } from './train/flac.js';

const USAGE = `Usage: npm run fit:frame-mixture -- [--neutral DIR] [--write]
  --neutral DIR   ordinary speech, one folder per speaker (default ../shared/datasets/librispeech-mini)
  --write         write src/core/features/frame-mixture-table.ts (otherwise only the fit's report)
Every speech frame of every clip, as the analysis sees it (VAD cut, level, floor, MFCC c1–c19 and deltas), a
sample of ${60_000} of them, k-means++ and Lloyd to start, then EM for a ${N_FRAME_OCCUPANCY}-Gaussian diagonal mixture.
Changing the table changes the features: bump FEATURE_SPEC's version and retrain.`;

/** Frames the fit uses: enough for 32 × 38 diagonal Gaussians, few enough for seconds of EM. */
const SAMPLE = 60_000;
const LLOYD = 10;
const EM = 50;
/** No variance below this share of the frames' own variance in that dimension (a Gaussian on a few frames). */
const VARIANCE_FLOOR = 1e-3;
const SEED = 12;

/** k-means++ starts, Lloyd, then EM: the mixture of `x` (row-major, FRAME_DIMS wide) with k Gaussians. */
export function fitMixture(x: Float64Array, k: number, seed: number, iterations = EM): { mixture: FrameMixture; logLikelihood: number } {
  const D = FRAME_DIMS, n = x.length / D, rand = rng(seed);
  const globalMean = new Float64Array(D), globalVar = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) globalMean[d] += x[i * D + d] / n;
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) globalVar[d] += (x[i * D + d] - globalMean[d]) ** 2 / n;
  const dist = (i: number, means: Float64Array, j: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += (x[i * D + d] - means[j * D + d]) ** 2 / globalVar[d];
    return s;
  };
  // k-means++ on variance-scaled distances.
  const means = new Float64Array(k * D);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rand() * n);
  for (let j = 0; j < k; j++) {
    means.set(x.subarray(pick * D, pick * D + D), j * D);
    let total = 0;
    for (let i = 0; i < n; i++) { nearest[i] = Math.min(nearest[i], dist(i, means, j)); total += nearest[i]; }
    let r = rand() * total;
    for (pick = 0; pick < n - 1 && (r -= nearest[pick]) > 0; pick++);
  }
  const assigned = new Int32Array(n);
  for (let it = 0; it < LLOYD; it++) {
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let j = 0; j < k; j++) { const dj = dist(i, means, j); if (dj < bestD) { bestD = dj; best = j; } }
      assigned[i] = best;
    }
    const count = new Float64Array(k);
    const sum = new Float64Array(k * D);
    for (let i = 0; i < n; i++) { count[assigned[i]]++; for (let d = 0; d < D; d++) sum[assigned[i] * D + d] += x[i * D + d]; }
    for (let j = 0; j < k; j++) if (count[j] > 0) for (let d = 0; d < D; d++) means[j * D + d] = sum[j * D + d] / count[j];
  }
  const weights = new Float64Array(k).fill(1 / k);
  const variances = new Float64Array(k * D);
  for (let j = 0; j < k; j++) variances.set(globalVar, j * D);
  let logLikelihood = -Infinity;
  for (let it = 0; it < iterations; it++) {
    const g = compile({ weights: [...weights], means: [...means], variances: [...variances] });
    const resp = new Float64Array(k);
    const s1 = new Float64Array(k * D), s2 = new Float64Array(k * D);
    logLikelihood = posteriors(g, x, resp, (i, post) => {
      for (let j = 0; j < k; j++) {
        const p = post[j];
        if (p < 1e-12) continue;
        for (let d = 0; d < D; d++) { const v = x[i * D + d]; s1[j * D + d] += p * v; s2[j * D + d] += p * v * v; }
      }
    }) / n;
    for (let j = 0; j < k; j++) {
      const r = Math.max(resp[j], 1e-9);
      weights[j] = r / n;
      for (let d = 0; d < D; d++) {
        const mu = s1[j * D + d] / r;
        means[j * D + d] = mu;
        variances[j * D + d] = Math.max(s2[j * D + d] / r - mu * mu, VARIANCE_FLOOR * globalVar[d]);
      }
    }
  }
  return { mixture: { weights: [...weights], means: [...means], variances: [...variances] }, logLikelihood };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { neutral: { type: 'string', default: '../shared/datasets/librispeech-mini' }, write: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  if (args.help) { console.log(USAGE); return; }
  const [corpus] = await listCorpora([], [args.neutral!]);
  const ffmpeg = await locateFfmpeg(process.env);
  const clips: Float64Array[] = [];
  for (const item of corpus.items) clips.push(clipFrameVectors(pcm((await decodeForTraining(await readFile(item.path), ffmpeg)).samples)));
  const all = clips.reduce((n, c) => n + c.length / FRAME_DIMS, 0);
  // A seeded partial Fisher–Yates: the same frames every run.
  const rand = rng(SEED), index = Int32Array.from({ length: all }, (_, i) => i);
  const take = Math.min(SAMPLE, all);
  for (let i = 0; i < take; i++) { const j = i + Math.floor(rand() * (all - i)); [index[i], index[j]] = [index[j], index[i]]; }
  const flat = new Float64Array(all * FRAME_DIMS);
  let o = 0;
  for (const c of clips) { flat.set(c, o); o += c.length; }
  const sample = new Float64Array(take * FRAME_DIMS);
  for (let i = 0; i < take; i++) sample.set(flat.subarray(index[i] * FRAME_DIMS, (index[i] + 1) * FRAME_DIMS), i * FRAME_DIMS);
  const t0 = Date.now();
  const { mixture, logLikelihood } = fitMixture(sample, N_FRAME_OCCUPANCY, SEED);
  console.log(`${corpus.items.length} clips, ${all} speech frames, fitted on ${take}: mean log-likelihood ${logLikelihood.toFixed(3)} per frame, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`weights: ${mixture.weights.map((w) => w.toFixed(3)).join(' ')}`);
  if (!args.write) return;
  const list = (a: readonly number[]) => a.map((v) => Number(v.toPrecision(7))).join(',');
  await writeFile(new URL('../src/core/features/frame-mixture-table.ts', import.meta.url), `// Generated by \`npm run fit:frame-mixture -- --write\` (scripts/fit-frame-mixture.ts) on ${corpus.items.length} clips of ${corpus.name}. Regenerate, don't edit.
import type { FrameMixture } from './frame-mixture.js';

export const FRAME_MIXTURE: FrameMixture = {
  weights: [${list(mixture.weights)}],
  means: [${list(mixture.means)}],
  variances: [${list(mixture.variances)}],
};
`);
  console.log('wrote src/core/features/frame-mixture-table.ts');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
