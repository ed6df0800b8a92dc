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
});
