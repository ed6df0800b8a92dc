import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDataset, parseRavdessName, speakerFromName } from '../../../scripts/train/dataset.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ser-ds-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

async function touch(...parts: string[]) {
  await mkdir(join(dir, ...parts.slice(0, -1)), { recursive: true });
  await writeFile(join(dir, ...parts), 'x');
}

describe('RAVDESS names', () => {
  it('parses emotion and actor, merging calm into neutral', () => {
    expect(parseRavdessName('03-01-05-02-01-01-12.wav')).toEqual({ label: 'angry', actor: 12 });
    expect(parseRavdessName('03-01-02-01-01-01-01.wav')).toEqual({ label: 'neutral', actor: 1 });
    expect(parseRavdessName('03-01-08-01-01-01-24.WAV')).toEqual({ label: 'surprised', actor: 24 });
  });

  it.each([
    ['03-02-05-02-01-01-12.wav', 'not speech'],
    ['01-01-05-02-01-01-12.wav', 'not audio-only'],
    ['03-01-09-02-01-01-12.wav', 'unknown emotion'],
    ['angry.wav', 'not a RAVDESS file name'],
  ])('rejects %s (%s)', (name, why) => {
    expect(parseRavdessName(name)).toEqual({ error: expect.stringContaining(why) });
  });
});

describe('listDataset', () => {
  it('reads the official zip layout, with speakers and genders', async () => {
    await touch('Audio_Speech_Actors_01-24', 'Actor_01', '03-01-05-01-01-01-01.wav');
    await touch('Audio_Speech_Actors_01-24', 'Actor_02', '03-01-02-01-01-01-02.wav');
    await touch('Audio_Speech_Actors_01-24', 'Actor_02', 'notes.txt');
    await touch('Audio_Speech_Actors_01-24', 'Actor_02', 'bad-name.wav');
    const l = await listDataset(dir);
    expect(l.layout).toBe('ravdess');
    expect(l.items.map((i) => [i.label, i.speaker, i.gender])).toEqual([['angry', 'actor01', 'male'], ['neutral', 'actor02', 'female']]);
    expect(l.skipped).toEqual([{ path: expect.stringContaining('bad-name.wav'), reason: expect.any(String) }]);
  });

  it('reads Actor_NN folders directly (the shared dataset)', async () => {
    const l = await listDataset(join(import.meta.dirname, '../../../../shared/datasets/ravdess'));
    expect(l.items).toHaveLength(1200);
    expect(new Set(l.items.map((i) => i.speaker)).size).toBe(20);
    expect(l.items.filter((i) => i.label === 'neutral')).toHaveLength(240); // per actor 4 neutral + 8 calm
  });

  it('reads emotion folders, with speakers from a CSV or the file name', async () => {
    await touch('angry', 'spk-bob-01.wav');
    await touch('Calm', 'take1.ogg');
    await touch('sad', 'take2.mp3');
    await touch('misc', 'x.wav');
    await writeFile(join(dir, 'speakers.csv'), 'file,speaker\nCalm/take1.ogg,alice\n');
    const l = await listDataset(dir);
    expect(l.layout).toBe('folders');
    expect(l.items.map((i) => [i.label, i.speaker])).toEqual([['angry', 'bob'], ['neutral', 'alice'], ['sad', null]]);
    expect(l.skipped[0]).toMatchObject({ path: 'misc/', reason: expect.stringContaining('not an emotion') });
    expect(speakerFromName('speaker_carol_3.wav')).toBe('carol');
  });

  it('explains the expected layout when the folder is missing or empty', async () => {
    await expect(listDataset(join(dir, 'nope'))).rejects.toThrow(/does not exist[\s\S]*Actor_NN[\s\S]*zenodo/);
    await expect(listDataset(dir)).rejects.toThrow(/No usable audio files[\s\S]*<emotion>/);
  });
});
