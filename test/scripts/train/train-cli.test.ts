// CI proof of the training pipeline: a small model on a few RAVDESS actors, end to end.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analyze.js';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { readModel } from '../../../src/core/model/io.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const RAVDESS = join(ROOT, '../shared/datasets/ravdess');
let dir: string;

function train(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/train.ts'), ...args], { cwd: ROOT, timeout: 240_000 });
}

const small = () => ['--data', RAVDESS, '--max-speakers', '3', '--folds', '3', '--trees', '20', '--no-augment', '--no-robustness', '--cache', join(dir, 'cache')];

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ser-train-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('npm run train (3 actors)', () => {
  it('trains, reports speaker-grouped metrics, and is byte-identical on a warm second run', async () => {
    const first = await train(...small(), '--out', join(dir, 'a.json.gz'), '--report', join(dir, 'ra'));
    expect(first.stdout).toMatch(/speaker-grouped 3-fold CV \(3 speakers/);
    expect(first.stdout).toMatch(/accuracy [\d.]+ %.*macro-F1 [\d.]+.*ECE/);
    expect(first.stdout).toMatch(/features [\d.]+ s for 180 files/);
    const second = await train(...small(), '--out', join(dir, 'b.json.gz'), '--report', join(dir, 'rb'));
    expect(second.stdout).toMatch(/features [\d.]+ s for 0 files/); // all from the cache
    const [a, b] = await Promise.all([readFile(join(dir, 'a.json.gz')), readFile(join(dir, 'b.json.gz'))]);
    expect(a.equals(b)).toBe(true);
    for (const f of ['MODEL_CARD.md', 'report/confusion.svg', 'report/reliability.svg', 'report/metrics.json']) expect((await stat(join(dir, 'ra', f))).size).toBeGreaterThan(100);
    const card = await readFile(join(dir, 'ra', 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('speaker-grouped 3-fold CV');
    expect(card).toContain('CC BY-NC-SA 4.0');
  });

  it('the model it writes loads and analyzes a real clip', async () => {
    const model = await readModel(join(dir, 'a.json.gz'));
    const clip = await decodeAudio(await readFile(join(RAVDESS, 'Actor_10/03-01-05-02-01-01-10.wav')));
    const a = analyze(clip, model);
    expect(a.top3).toHaveLength(3);
    expect(a.confidence).toBeGreaterThan(0);
  });

  it('augmented copies do not depend on which other variants were asked for (same data + seed → same model)', async () => {
    const aug = (order: string, cache: string, name: string) =>
      train('--data', RAVDESS, '--max-speakers', '2', '--folds', '2', '--trees', '10', '--no-robustness', '--augment', order, '--cache', join(dir, cache), '--out', join(dir, `${name}.json.gz`), '--report', join(dir, `r-${name}`));
    await aug('speed,opus32,gain', 'cache-shared', 'a'); // fills the cache from three-variant jobs
    await aug('gain,speed', 'cache-shared', 'b'); // all cached
    await aug('speed,gain', 'cache-fresh', 'c'); // extracted anew, in another job layout and order
    const [b, c] = await Promise.all([readFile(join(dir, 'b.json.gz')), readFile(join(dir, 'c.json.gz'))]);
    expect(b.equals(c)).toBe(true);
  });

  it('a random split must be asked for, and is labelled as leaking', async () => {
    const r = await train(...small(), '--random-split', '--out', join(dir, 'c.json.gz'), '--report', join(dir, 'rc'));
    expect(r.stdout).toMatch(/RANDOM 3-fold split \(speakers leak/);
  });

  it('a missing dataset is a clear error with the expected layout, exit 2', async () => {
    const err = await train('--data', join(dir, 'nothing-here')).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/does not exist[\s\S]*Actor_NN[\s\S]*<emotion>/);
  });
});
