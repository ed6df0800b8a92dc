// Feature extraction's cache must not hand out features computed for other inputs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll } from '../../../scripts/train/extract.js';

const RAVDESS = join(import.meta.dirname, '../../../../shared/datasets/ravdess');
const clip = (actor: string, name: string) => join(RAVDESS, `Actor_${actor}`, name);
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'ser-extract-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('extractAll and its cache', () => {
  it('keys the babble-made variants by the talkers’ files: other talkers, features extracted again', async () => {
    const file = [clip('03', '03-01-05-01-01-01-03.wav')];
    const talkersA = { train: [clip('01', '03-01-01-01-01-01-01.wav')], test: [clip('02', '03-01-01-01-01-01-02.wav')] };
    const talkersB = { train: [clip('04', '03-01-01-01-01-01-04.wav')], test: [clip('05', '03-01-01-01-01-01-05.wav')] };
    const run = (babble: typeof talkersA) => extractAll(file, () => ['clean', 'babble20'], { cacheDir: dir, ffmpegPath: null, threads: 1, babble });
    const a = await run(talkersA);
    expect(a.extracted).toBe(1);
    const again = await run(talkersA);
    expect(again.extracted).toBe(0); // all from the cache
    expect(again.get(0, 'babble20')!.features).toEqual(a.get(0, 'babble20')!.features);
    const b = await run(talkersB);
    expect(b.extracted).toBe(1); // babble20 is not reused from talkers A…
    expect(b.get(0, 'clean')!.features).toEqual(a.get(0, 'clean')!.features); // …clean is the same audio
    expect(b.get(0, 'babble20')!.features).not.toEqual(a.get(0, 'babble20')!.features);
  }, 120_000);

  it('a babble talker that does not decode (or is gone) is left out, not blamed on every file', async () => {
    const { writeFile } = await import('node:fs/promises');
    const empty = join(dir, 'empty-neutral.wav');
    await writeFile(empty, new Uint8Array(0));
    const file = [clip('03', '03-01-05-01-01-01-03.wav')];
    const good = clip('02', '03-01-01-01-01-01-02.wav');
    const run = (train: string[]) => extractAll(file, () => ['clean', 'babble20'], { cacheDir: null, ffmpegPath: null, threads: 1, babble: { train, test: [good] } });
    const damaged = await run([empty, join(dir, 'gone.wav')]);
    expect(damaged.unreadable).toEqual([]);
    // babble20 is made of the held-out talkers only: the same as with no broken training talkers at all.
    expect(damaged.get(0, 'babble20')!.features).toEqual((await run([])).get(0, 'babble20')!.features);
  }, 120_000);

  it('reads many files at once but answers in the files’ order: unreadable ones listed in order, the rest keyed by their own index', async () => {
    const good = [clip('03', '03-01-05-01-01-01-03.wav'), clip('01', '03-01-01-01-01-01-01.wav')];
    const paths = [join(dir, 'missing-1.wav'), good[0], join(dir, 'missing-2.wav'), good[1], ...Array.from({ length: 20 }, (_, i) => join(dir, `missing-${i + 3}.wav`))];
    const seen: number[] = [];
    const ex = await extractAll(paths, (i) => { seen.push(i); return ['clean']; }, { cacheDir: dir, ffmpegPath: null, threads: 1 });
    expect(ex.unreadable.map((u) => u.path)).toEqual(paths.filter((p) => p.includes('missing-')));
    expect(ex.unreadable[0].error).toMatch(/ENOENT/);
    expect(seen.sort((a, b) => a - b)).toEqual([1, 3]);
    expect(ex.hashes.map((h) => h !== '')).toEqual(paths.map((p) => !p.includes('missing-')));
    const alone = await extractAll([good[1]], () => ['clean'], { cacheDir: null, ffmpegPath: null, threads: 1 });
    expect(ex.get(3, 'clean')!.features).toEqual(alone.get(0, 'clean')!.features);
    expect(ex.get(1, 'clean')!.features).not.toEqual(ex.get(3, 'clean')!.features);
    expect(ex.get(0, 'clean')).toBeNull();
  }, 120_000);
});
