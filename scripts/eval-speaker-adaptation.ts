// Does /listen's speaker adaptation help? Out-of-fold on RAVDESS: one simulated session per held-out actor.
// Uses the training feature cache (run `npm run train` once) and the same speaker-grouped folds as training.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EMOTIONS } from '../src/core/emotions.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';
import { argmax } from '../src/core/model/metrics.js';
import { rng, shuffled } from '../src/core/model/random.js';
import { blend } from '../src/core/model/ensemble.js';
import { fit, groupedFolds, predictor, type Row } from '../src/core/model/train.js';
import { SpeakerNormalizer, type AdaptationOptions } from './speaker-normalizer.js';
import { AUGMENT_VARIANTS } from './train/augment.js';
import { listDataset } from './train/dataset.js';
import { contentHash, FeatureCache } from './train/feature-cache.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/datasets/ravdess' },
    cache: { type: 'string', default: '.cache' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    trees: { type: 'string', default: '200' },
    orders: { type: 'string', default: '5' },
  },
});
const folds = Number(args.folds);
const seed = Number(args.seed);
const orders = Number(args.orders);

const listing = await listDataset(args.data!);
const cache = await FeatureCache.forSpec(args.cache!, FEATURE_SPEC.version).load();
interface Clip { row: Row; speechSec: number; aug: Row[] }
const clips: Clip[] = [];
for (const item of listing.items) {
  const hash = contentHash(await readFile(item.path));
  const f = cache.get(hash, 'clean');
  if (!f) throw new Error(`${item.path} is not in the feature cache: run npm run train first`);
  const mk = (x: Float32Array, rmsDb: number): Row => ({ x, y: EMOTIONS.indexOf(item.label), group: item.speaker!, rmsDb });
  const aug = AUGMENT_VARIANTS.map((v) => cache.get(hash, v)).filter((a) => a !== null).map((a) => mk(a!.features, a!.rmsDb));
  clips.push({ row: mk(f.features, f.rmsDb), speechSec: f.speechSec, aug });
}
const foldOf = groupedFolds(clips.map((c) => c.row.group), folds, seed);

/** Variants compared: none, and the adaptation in its modes and orderings. */
interface Variant { name: string; opts: AdaptationOptions | null; includeCurrent: boolean }
const base = { minSpeechSec: 8, minUtterances: 3, prior: 2 };
const variants: Variant[] = [
  { name: 'none', opts: null, includeCurrent: false },
  { name: 'shift, past only', opts: { ...base, mode: 'shift' }, includeCurrent: false },
  { name: 'shift, incl. current', opts: { ...base, mode: 'shift' }, includeCurrent: true },
  { name: 'znorm, past only', opts: { ...base, mode: 'znorm' }, includeCurrent: false },
  { name: 'znorm, incl. current', opts: { ...base, mode: 'znorm' }, includeCurrent: true },
  { name: 'shift, prior 8', opts: { ...base, mode: 'shift', prior: 8 }, includeCurrent: true },
];
// A session is not a balanced corpus: also skewed ones (3 of 4 utterances neutral, or angry), where
// normalising by the speaker's running mean could wash out the emotion itself. Clips repeat in those.
const scenarios = ['balanced', 'mostly neutral', 'mostly angry'] as const;
const right: Record<string, Record<string, { ok: number; n: number; okActive: number; nActive: number; plainActive: number }>> = {};
for (const s of scenarios) right[s] = Object.fromEntries(variants.map((v) => [v.name, { ok: 0, n: 0, okActive: 0, nActive: 0, plainActive: 0 }]));

for (let f = 0; f < folds; f++) {
  const train = clips.filter((_, i) => foldOf[i] !== f).flatMap((c) => [c.row, ...c.aug]);
  const fitted = fit(train, { nTrees: Number(args.trees), seed: seed + f });
  const members = predictor(fitted);
  // The even blend: the shipped model's weight comes from the same kind of out-of-fold data.
  const predictRaw = (x: ArrayLike<number>) => blend(members(x), { forestWeight: 0.5 });
  const actors = [...new Set(clips.filter((_, i) => foldOf[i] === f).map((c) => c.row.group))];
  for (const actor of actors) {
    const own = clips.filter((c) => c.row.group === actor);
    for (let o = 0; o < orders; o++) {
      const rand = rng(seed * 1000 + o);
      for (const scenario of scenarios) {
        let session = shuffled(own, rand);
        if (scenario !== 'balanced') {
          const heavy = EMOTIONS.indexOf(scenario === 'mostly angry' ? 'angry' : 'neutral');
          const main = session.filter((c) => c.row.y === heavy);
          const rest = session.filter((c) => c.row.y !== heavy).slice(0, Math.ceil(main.length / 3));
          session = shuffled([...main, ...main, ...main, ...rest], rand).slice(0, 32);
        }
        const plain = session.map((c) => (argmax(predictRaw(c.row.x)) === c.row.y ? 1 : 0));
        for (const v of variants) {
          const norm = v.opts ? new SpeakerNormalizer(fitted.scaler, v.opts) : null;
          const r = right[scenario]![v.name]!;
          session.forEach((c, k) => {
            if (norm && v.includeCurrent) norm.update(c.row.x, c.speechSec);
            const active = norm?.active ?? false;
            const ok = norm ? (argmax(predictRaw(norm.adapt(c.row.x))) === c.row.y ? 1 : 0) : plain[k]!;
            if (norm && !v.includeCurrent) norm.update(c.row.x, c.speechSec);
            r.ok += ok;
            r.n++;
            if (active) { r.okActive += ok; r.nActive++; r.plainActive += plain[k]!; }
          });
        }
      }
    }
  }
  process.stderr.write(`fold ${f + 1}/${folds} done\n`);
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
for (const s of scenarios) {
  console.log(`\n${s} sessions (${orders} orders per actor, out of fold):`);
  console.log('| variant | accuracy, all utterances | adapted utterances: with / without adaptation | share adapted |');
  console.log('|---|---|---|---|');
  for (const v of variants) {
    const r = right[s]![v.name]!;
    console.log(`| ${v.name} | ${pct(r.ok, r.n)} | ${v.opts ? `${pct(r.okActive, r.nActive)} / ${pct(r.plainActive, r.nActive)}` : '—'} | ${pct(r.nActive, r.n)} |`);
  }
}
