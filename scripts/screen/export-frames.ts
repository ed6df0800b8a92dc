// Research (issue 12, twelfth round): each clip's speech frames as the analysis itself sees them, for
// scripts/screen/frame-occupancy.py (`--frames analysis`): the same VAD cut, level normalisation, −30 dB floor,
// 512-point spectrogram, 40 mel bands, MFCCs, deltas and 35-dB speech mask as extractFeatures(), so the frames
// drift under a condition exactly as far as the shipped analysis lets them. Per frame: c1–c19, their deltas, and
// the frame's level relative to the clip's loud frames. Written as raw float32 / int32 (np.fromfile).
// Usage, after export-clean.ts OUTDIR: npx tsx scripts/screen/export-frames.ts OUTDIR [OOFDIR | aug]
// With OOFDIR (export-oof.ts rows), the trainer's minus24, noise20 and phone copies of its condition share;
// with `aug`, every clip's augmented training copy (mix1, the same audio the trainer extracts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { speechOnly } from '../../src/core/audio/vad.js';
import { moments } from '../../src/core/dsp/signal-passes.js';
import { deltas } from '../../src/core/features/deltas.js';
import { addFloorInto } from '../../src/core/features/extract.js';
import { logMel } from '../../src/core/features/mel.js';
import { mfcc } from '../../src/core/features/mfcc.js';
import { N_MFCC } from '../../src/core/features/spec.js';
import { spectrogram } from '../../src/core/features/spectrogram.js';
import { loudLevelDb, normalisation, normalised, powerDb, speechMask } from '../../src/core/features/temporal.js';
import { locateFfmpeg } from '../../src/core/audio/ffmpeg.js';
import { pcm } from '../../src/core/pcm.js';
import { applyVariant, variantSeed, type BabbleBeds, type Variant } from '../train/augment.js';
import { babbleTalkers } from '../train/corpora.js';
import { contentHash } from '../train/feature-cache.js';
import { decodeForTraining } from '../train/flac.js';
import { screenItems } from './warm-rows.js';

const WIDTH = 2 * (N_MFCC - 1) + 1;

/** clipFeatures()'s VAD cut, then extractFeatures()'s first steps, which it does not export (kept in step by hand). */
function framesOf(samples: Float32Array): Float32Array {
  const cut = speechOnly(pcm(samples));
  const s = cut.samples.length ? cut.samples : samples;
  if (s.length === 0) return new Float32Array(0);
  const { shift, scale } = normalisation(s, moments(s).slice());
  const x = addFloorInto(new Float32Array(s.length), s, shift, scale);
  const spec = spectrogram(x);
  const frames = spec.frames;
  const levelDb = powerDb(spec.meanSquare);
  const loud = loudLevelDb(levelDb);
  const speech = speechMask(levelDb, loud);
  const c = mfcc(logMel(spec), frames);
  const d = deltas(c, N_MFCC, frames);
  const rows: number[] = [];
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    for (let k = 1; k < N_MFCC; k++) rows.push(c[k * frames + t]);
    for (let k = 1; k < N_MFCC; k++) rows.push(d[k * frames + t]);
    rows.push(levelDb[t] - loud);
  }
  return Float32Array.from(rows);
}

async function write(out: string, name: string, jobs: { path: string; variant: Variant }[], beds?: BabbleBeds): Promise<void> {
  const parts: Float32Array[] = [];
  const lens = new Int32Array(jobs.length);
  for (const [i, { path, variant }] of jobs.entries()) {
    const bytes = readFileSync(path);
    const seed = parseInt(contentHash(bytes).slice(0, 8), 16);
    const f = framesOf(applyVariant(await decode(bytes), variant, variantSeed(seed, variant), beds));
    parts.push(f);
    lens[i] = f.length / WIDTH;
    if (i % 500 === 0) process.stderr.write(`${name}: ${i}/${jobs.length}\n`);
  }
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  writeFileSync(join(out, `frames-${name}.f32`), all);
  writeFileSync(join(out, `lens-${name}.i32`), lens);
}

const [out, oofDir] = process.argv.slice(2);
if (!out) throw new Error('usage: export-frames.ts OUTDIR [OOFDIR | aug]');
const rows: { path: string }[] = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')).rows;
// ffmpeg as `npm run train` finds it (some CREMA-D FLAC files need it).
const ffmpeg = await locateFfmpeg(process.env);
const decode = async (bytes: Uint8Array) => (await decodeForTraining(bytes, ffmpeg)).samples;
if (oofDir === 'aug') {
  // The trainer's babble talkers, from the same corpora as the rows.
  const talkers = babbleTalkers(await screenItems());
  const load = (paths: string[]) => Promise.all(paths.map(async (p) => normalised(await decode(readFileSync(p)))));
  await write(out, 'mix1', rows.map((r) => ({ path: r.path, variant: 'mix1' as Variant })), { train: await load(talkers.train), test: await load(talkers.test) });
} else if (!oofDir) await write(out, 'clean', rows.map((r) => ({ path: r.path, variant: 'clean' as Variant })));
else {
  const oof: { k: string; s: number }[] = JSON.parse(readFileSync(join(oofDir, 'meta.json'), 'utf8'));
  const share = [...new Set(oof.filter((m) => m.k === 'minus24').map((m) => m.s))].sort((a, b) => a - b);
  writeFileSync(join(out, 'share.i32'), Int32Array.from(share));
  for (const v of ['minus24', 'noise20', 'phone'] as Variant[]) await write(out, v, share.map((s) => ({ path: rows[s].path, variant: v })));
}
