// CI proof of the training pipeline: a small model on a few RAVDESS actors, end to end.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analyze.js';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { readModel } from '../../../src/core/model/io.js';
import { asV7 } from '../../core/model/older-formats.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const RAVDESS = join(ROOT, '../shared/datasets/ravdess');
const CREMA = join(ROOT, '../shared/datasets/crema-d');
const LIBRI = join(ROOT, '../shared/datasets/librispeech-mini');
let dir: string;

function train(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/train.ts'), ...args], { cwd: ROOT, timeout: 240_000 });
}

const small = () => ['--data', RAVDESS, '--max-speakers', '3', '--folds', '3', '--trees', '20', '--no-augment', '--no-robustness', '--cache', join(dir, 'cache')];

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ser-train-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('npm run train (3 actors)', () => {
  it('trains, reports speaker-grouped metrics, and is byte-identical on a warm second run', async () => {
    const first = await train(...small(), '--out', join(dir, 'a.bin'), '--report', join(dir, 'ra'));
    expect(first.stdout).toMatch(/speaker-grouped 3-fold CV \(3 speakers/);
    expect(first.stdout).toMatch(/accuracy [\d.]+ %.*macro-F1 [\d.]+.*ECE/);
    expect(first.stdout).toMatch(/features [\d.]+ s for 180 files/);
    expect(first.stdout).not.toMatch(/MLP/); // one corpus: --mlp auto leaves the neural member out
    const second = await train(...small(), '--out', join(dir, 'b.bin'), '--report', join(dir, 'rb'));
    expect(second.stdout).toMatch(/features [\d.]+ s for 0 files/); // all from the cache
    const [a, b] = await Promise.all([readFile(join(dir, 'a.bin')), readFile(join(dir, 'b.bin'))]);
    expect(a.equals(b)).toBe(true);
    for (const f of ['MODEL_CARD.md', 'report/confusion.svg', 'report/reliability.svg', 'report/metrics.json']) expect((await stat(join(dir, 'ra', f))).size).toBeGreaterThan(100);
    const card = await readFile(join(dir, 'ra', 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('speaker-grouped 3-fold CV');
    expect(card).toContain('CC BY-NC-SA 4.0');
  }, 480_000);

  it('the model it writes loads and analyzes a real clip', async () => {
    const model = await readModel(join(dir, 'a.bin'));
    const clip = await decodeAudio(await readFile(join(RAVDESS, 'Actor_10/03-01-05-02-01-01-10.wav')));
    const a = analyze(clip, model);
    expect(a.top3).toHaveLength(3);
    expect(a.confidence).toBeGreaterThan(0);
  });

  it('augmented copies do not depend on which other variants were asked for (same data + seed → same model)', async () => {
    const aug = (order: string, cache: string, name: string) =>
      train('--data', RAVDESS, '--max-speakers', '2', '--folds', '2', '--trees', '10', '--no-robustness', '--augment', order, '--cache', join(dir, cache), '--out', join(dir, `${name}.bin`), '--report', join(dir, `r-${name}`));
    await aug('speed,opus32,gain,quiet16', 'cache-shared', 'a'); // fills the cache from four-variant jobs
    await aug('gain,quiet16,speed', 'cache-shared', 'b'); // all cached
    await aug('quiet16,speed,gain', 'cache-fresh', 'c'); // extracted anew, in another job layout and order
    const [b, c] = await Promise.all([readFile(join(dir, 'b.bin')), readFile(join(dir, 'c.bin'))]);
    expect(b.equals(c)).toBe(true);
  }, 600_000);

  it('a random split must be asked for, and is labelled as leaking', async () => {
    const r = await train(...small(), '--random-split', '--out', join(dir, 'c.bin'), '--report', join(dir, 'rc'));
    expect(r.stdout).toMatch(/RANDOM 3-fold split \(speakers leak/);
  });

  it('trains one model on several corpora, with per-corpus results, held-out conditions and every licence', async () => {
    const r = await train('--data', RAVDESS, '--data', CREMA, '--neutral', LIBRI, '--max-speakers', '1', '--folds', '3', '--trees', '10', '--augment', 'mix1', '--robustness-share', '0.1', '--cache', join(dir, 'cache'), '--out', join(dir, 'multi.bin'), '--report', join(dir, 'rm'));
    expect(r.stdout).toMatch(/speaker-grouped 3-fold CV \(3 speakers/);
    expect(r.stdout).toMatch(/^ravdess: accuracy [\d.]+ %/m);
    expect(r.stdout).toMatch(/^crema-d: accuracy .*listener-agreed \d+ clips/m);
    expect(r.stdout).toMatch(/^librispeech-mini: .*neutral or unsure [\d.]+ %, non-neutral at high [\d.]+ %/m);
    for (const c of ['noise20', 'babble20', 'reverb', 'phone', 'quiet', 'opus', 'minus24']) expect(r.stdout).toMatch(new RegExp(`robustness ${c}: accuracy`));
    expect(r.stdout).not.toMatch(/robustness peaknorm/); // features equal to clean: not worth extracting
    const card = await readFile(join(dir, 'rm', 'MODEL_CARD.md'), 'utf8');
    for (const text of ['CC BY-NC-SA 4.0', 'Open Database License', 'CC BY 4.0', '| crema-d |', 'listener-agreed subset']) expect(card).toContain(text);
    // Several corpora: --mlp auto adds the neural member, reported beside the others, stored and pooled in log space.
    expect(r.stdout).toMatch(/, MLP [\d.]+ % \(macro-F1 [\d.]+\); log pool [\d.]+ forest, [\d.]+ MLP, [\d.]+ logistic/);
    expect(card).toContain('pooled as a weighted geometric mean');
    // …and the several-corpora recipe: two bagged networks of 128 units, the corpora evened out fully within each class.
    expect(card).toContain('one hidden layer of 256 ReLU units (2 networks of 128 from different seeds');
    expect(card).toContain('weighted toward an equal share (strength 1;');
    const model = await readModel(join(dir, 'multi.bin'));
    expect((model.file.card.training as { mlp: { bags: number; corpusBalance: number } }).mlp).toMatchObject({ bags: 2, corpusBalance: 1 });
    expect(model.file).toMatchObject({ pool: 'log', poolEps: expect.any(Number) });
    expect(model.file.guard!.above).toBeGreaterThan(0.5);
    expect(model.file.mlpWeight).toBeGreaterThanOrEqual(0);
    expect(model.file.mlpWeight! + model.file.forestWeight).toBeLessThanOrEqual(1);
  }, 300_000);

  it('npm run eval scores a model on a labelled folder, clean and under a condition', async () => {
    const data = join(dir, 'mine');
    await (await import('node:fs/promises')).mkdir(data, { recursive: true });
    const clips = ['Actor_10/03-01-05-02-01-01-10.wav', 'Actor_10/03-01-04-01-01-01-10.wav', 'Actor_11/03-01-01-01-01-01-11.wav', 'Actor_11/03-01-03-02-02-01-11.wav'];
    await writeFile(join(data, 'labels.csv'), `path,label,speaker\n${clips.map((c, i) => `${join(RAVDESS, c)},${['angry', 'sad', 'neutral', 'happy'][i]},${c.slice(0, 8)}`).join('\n')}\n`);
    const evalCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/eval.ts'), ...args], { cwd: ROOT, timeout: 120_000 });
    const r = await evalCli('--data', data, '--model', join(dir, 'a.bin'), '--condition', 'noise20,minus24', '--cache', join(dir, 'cache'), '--json');
    const out = JSON.parse(r.stdout);
    expect(out.overall.n).toBe(4);
    expect(out.overall.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(4);
    expect(Object.keys(out.overall.recall)).toHaveLength(7);
    expect(out.overall.recall.surprised).toBeNull();
    expect(out.conditions.noise20).toMatchObject({ n: 4, accuracy: expect.any(Number), unchanged: expect.any(Number), ece: expect.any(Number) });
    expect(out.conditions.minus24.n).toBe(4);
    expect(out.warnings).toEqual([]);
    const human = await evalCli('--data', data, '--model', join(dir, 'a.bin'), '--cache', join(dir, 'cache'));
    expect(human.stdout).toMatch(/all: 4 clips — accuracy [\d.]+ %, macro-F1/);
    expect(human.stdout).not.toMatch(/warning/);
    expect(out.inTraining).toBe(0);
    // Two clips the model was trained on (actors 01–03) beside one it never heard: counted by content, and scored apart.
    const mixed = join(dir, 'mixed');
    await (await import('node:fs/promises')).mkdir(mixed, { recursive: true });
    const seen = ['Actor_01/03-01-05-01-01-01-01.wav', 'Actor_02/03-01-04-01-01-01-02.wav'];
    await writeFile(join(mixed, 'labels.csv'), `path,label,speaker\n${join(RAVDESS, seen[0])},angry,a1\n${join(RAVDESS, seen[1])},sad,a2\n${join(RAVDESS, clips[0])},angry,a10\n`);
    const flagged = await evalCli('--data', mixed, '--model', join(dir, 'a.bin'), '--cache', join(dir, 'cache'));
    expect(flagged.stdout).toMatch(/^warning: 2 of 3 clips are in this model's training data .*not held out/m);
    expect(flagged.stdout).toMatch(/^held out \(clips not in the training data\): 1 clips — accuracy/m);
    const flaggedJson = JSON.parse((await evalCli('--data', mixed, '--model', join(dir, 'a.bin'), '--cache', join(dir, 'cache'), '--json')).stdout);
    expect(flaggedJson).toMatchObject({ inTraining: 2, heldOut: { n: 1 } });
    // A model file that does not list its clips (as v7 wrote it): a folder named as one it was trained on is flagged by name.
    await writeFile(join(dir, 'a-v7.bin'), asV7(await readFile(join(dir, 'a.bin'))));
    const same = join(dir, 'again', 'ravdess');
    await (await import('node:fs/promises')).mkdir(same, { recursive: true });
    await writeFile(join(same, 'labels.csv'), `path,label,speaker\n${join(RAVDESS, clips[0])},angry,a\n${join(RAVDESS, clips[1])},sad,a\n`);
    const byName = await evalCli('--data', same, '--model', join(dir, 'a-v7.bin'), '--cache', join(dir, 'cache'));
    expect(byName.stdout).toMatch(/^warning: this model was trained on a dataset also named "ravdess": .*not held out/m);
    const bad = await evalCli('--data', data, '--condition', 'underwater').catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown underwater[\s\S]*noise20/);
    const none = await evalCli().catch((e) => e);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--data or --neutral/);
  }, 300_000);

  it('refuses, before any work, outputs it could not write and options it cannot take; and a set of one emotion', async () => {
    const fs = await import('node:fs/promises');
    await writeFile(join(dir, 'a-file'), 'x');
    const refusal = async (...args: string[]) => {
      const err = await train(...small(), ...args).catch((e) => e);
      expect(err.code).toBe(2);
      expect(err.stderr).not.toMatch(/Dataset |at .*\.ts:\d+/); // no data read, no stack
      return err.stderr as string;
    };
    expect(await refusal('--out', dir)).toMatch(/^--out .* is a folder; it must be a file\./);
    expect(await refusal('--report', join(dir, 'a-file'))).toMatch(/^--report .*a-file is a file; it must be a folder\./);
    expect(await refusal('--out', join(dir, 'a-file', 'm.bin'))).toMatch(/a-file is a file, not a folder/);
    expect(await refusal('--mlp', 'maybe')).toMatch(/^--mlp must be auto, on or off/);
    expect(await refusal('--threads', '1000')).toMatch(/^--threads must be at most 64/);
    // 16 angry clips of two actors (in the cache since the first test): nothing to tell apart.
    const angry = join(dir, 'angry-only');
    await fs.mkdir(angry, { recursive: true });
    const names = (await fs.readdir(join(RAVDESS, 'Actor_01'))).filter((n) => n.split('-')[2] === '05');
    await writeFile(join(angry, 'labels.csv'), `path,label,speaker\n${['01', '02'].flatMap((a) => names.map((n) => `${join(RAVDESS, `Actor_${a}`, n.replace(/-01\.wav$/, `-${a}.wav`))},angry,${a}`)).join('\n')}\n`);
    const one = await train('--data', angry, '--folds', '2', '--no-augment', '--no-robustness', '--cache', join(dir, 'cache'), '--out', join(dir, 'one.bin'), '--report', join(dir, 'rone')).catch((e) => e);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/Every readable clip is angry: a model needs clips of at least two emotions/);
    await expect(fs.stat(join(dir, 'one.bin'))).rejects.toThrow();
  }, 300_000);

  it('eval: a folder where nothing is audio exits 1 saying so; a file given as a folder says what to do', async () => {
    const evalCli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/eval.ts'), ...args], { cwd: ROOT, timeout: 120_000 }).catch((e) => e);
    const junk = join(dir, 'junk', 'angry');
    await (await import('node:fs/promises')).mkdir(junk, { recursive: true });
    await writeFile(join(junk, 'a.wav'), 'not audio');
    await writeFile(join(junk, 'b.wav'), new Uint8Array(0));
    await (await import('node:fs/promises')).mkdir(join(dir, 'junk', 'misc'), { recursive: true });
    await writeFile(join(dir, 'junk', 'misc', 'c.wav'), 'x');
    const r = await evalCli('--data', join(dir, 'junk'), '--no-cache');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skipped misc\/: not used: .*not an emotion[\s\S]*skipped .*a\.wav: [\s\S]*skipped .*b\.wav: [\s\S]*No clip could be scored: none of the 2 files could be read as audio/);
    const file = await evalCli('--data', join(RAVDESS, 'Actor_10/03-01-05-02-01-01-10.wav'));
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/is a file: give the folder that holds the labelled recordings \(one file: `npm run analyze -- /);
    const cache = await evalCli('--data', join(dir, 'junk'), '--cache', join(dir, 'a-file'));
    expect(cache.code).toBe(2);
    expect(cache.stderr).toMatch(/^--cache .* is a file; it must be a folder\./);
  }, 120_000);

  it('a missing dataset is a clear error with the expected layout, exit 2', async () => {
    const err = await train('--data', join(dir, 'nothing-here')).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/does not exist[\s\S]*Actor_NN[\s\S]*<emotion>/);
  });
});
