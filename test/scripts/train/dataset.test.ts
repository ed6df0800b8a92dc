import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCorpora } from '../../../scripts/train/corpora.js';
import { listDataset, parseCremaName, parseRavdessName, speakerFromName } from '../../../scripts/train/dataset.js';

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

  it('reads RAVDESS or CREMA-D files straight in the folder, with no subfolders (a few picked for eval)', async () => {
    await touch('ravdess', '03-01-05-01-01-01-07.wav');
    await touch('ravdess', '03-01-04-01-01-01-08.wav');
    await touch('ravdess', 'readme.txt');
    const r = await listDataset(join(dir, 'ravdess'));
    expect(r.layout).toBe('ravdess');
    expect(r.items.map((i) => [i.label, i.speaker, i.gender])).toEqual([['sad', 'actor08', 'female'], ['angry', 'actor07', 'male']]); // by file name
    await touch('crema', '1001_DFA_ANG_XX.wav');
    const c = await listDataset(join(dir, 'crema'));
    expect(c.layout).toBe('crema-d');
    expect(c.items.map((i) => [i.label, i.speaker])).toEqual([['angry', '1001']]);
  });

  it('follows links: Actor_NN links, and emotion folders that are links', async () => {
    await touch('store', 'Actor_03', '03-01-03-01-01-01-03.wav');
    await touch('store', 'mine', 'a.wav');
    await mkdir(join(dir, 'picked'));
    await symlink(join(dir, 'store/Actor_03'), join(dir, 'picked/Actor_03'));
    const r = await listDataset(join(dir, 'picked'));
    expect(r.layout).toBe('ravdess');
    expect(r.items.map((i) => [i.label, i.speaker])).toEqual([['happy', 'actor03']]);
    await mkdir(join(dir, 'mine'));
    await symlink(join(dir, 'store/mine'), join(dir, 'mine/happy'));
    await symlink(join(dir, 'store/mine/a.wav'), join(dir, 'store/Actor_03/linked.wav')); // not a RAVDESS name: skipped, said why
    const f = await listDataset(join(dir, 'mine'));
    expect(f.layout).toBe('folders');
    expect(f.items.map((i) => [i.label, i.path])).toEqual([['happy', join(dir, 'mine/happy/a.wav')]]);
    expect((await listDataset(join(dir, 'picked'))).skipped).toEqual([{ path: 'Actor_03/linked.wav', reason: expect.stringContaining('not a RAVDESS file name') }]);
  });

  it('explains the expected layout when the folder is missing or empty', async () => {
    await expect(listDataset(join(dir, 'nope'))).rejects.toThrow(/does not exist[\s\S]*Actor_NN[\s\S]*zenodo/);
    await expect(listDataset(dir)).rejects.toThrow(/No usable audio files[\s\S]*<emotion>/);
  });
});

describe('more corpora', () => {
  const SHARED = join(import.meta.dirname, '../../../../shared/datasets');

  it('parses CREMA-D names', () => {
    expect(parseCremaName('1001_DFA_ANG_XX.flac')).toEqual({ label: 'angry', actor: '1001' });
    expect(parseCremaName('1091_IEO_SAD_HI.wav')).toEqual({ label: 'sad', actor: '1091' });
    expect(parseCremaName('1001_DFA_XYZ_XX.flac')).toEqual({ error: expect.stringContaining('unknown emotion') });
    expect(parseCremaName('03-01-05-02-01-01-12.wav')).toEqual({ error: expect.stringContaining('not a CREMA-D') });
  });

  it('reads CREMA-D names without a labels.csv', async () => {
    await touch('1001', '1001_DFA_ANG_XX.flac');
    await touch('1002', '1002_IEO_NEU_LO.flac');
    const l = await listDataset(dir);
    expect(l.layout).toBe('crema-d');
    expect(l.items.map((i) => [i.label, i.speaker])).toEqual([['angry', '1001'], ['neutral', '1002']]);
  });

  it('reads a labels.csv (quoted fields, absolute or relative paths; unknown labels, rows without a path and repeats skipped)', async () => {
    await writeFile(join(dir, 'labels.csv'), 'path,label,speaker\na.wav,Angry,ann\n"b, c.wav",happiness,bo\nd.wav,bored,x\n/abs/e.wav,sad,\n,angry,x\n./a.wav,sad,ann\n');
    const l = await listDataset(dir);
    expect(l.layout).toBe('labels.csv');
    expect(l.items.map((i) => [i.path, i.label, i.speaker])).toEqual([[join(dir, 'a.wav'), 'angry', 'ann'], [join(dir, 'b, c.wav'), 'happy', 'bo'], ['/abs/e.wav', 'sad', null]]);
    expect(l.skipped).toEqual([
      { path: 'd.wav', reason: expect.stringContaining('bored') },
      { path: 'row 6', reason: 'no path' },
      { path: './a.wav', reason: 'listed again (first on row 2)' },
    ]);
    await writeFile(join(dir, 'labels.csv'), 'file,emotion\na.wav,angry\n');
    await expect(listDataset(dir)).rejects.toThrow(/"path" and "label"/);
  });

  it('reads the shared CREMA-D with its listener votes, and LibriSpeech as ordinary neutral speech', async () => {
    const crema = await listDataset(join(SHARED, 'crema-d'));
    expect(crema.layout).toBe('crema-d');
    expect(crema.items).toHaveLength(3103);
    expect(new Set(crema.items.map((i) => i.speaker)).size).toBe(38);
    expect(crema.items.filter((i) => i.heard === i.label).length).toBeLessThan(crema.items.length * 0.6);
    const libri = await listDataset(join(SHARED, 'librispeech-mini'), { ordinary: true });
    expect(libri.layout).toBe('ordinary');
    expect(libri.items).toHaveLength(140);
    expect(new Set(libri.items.map((i) => i.speaker)).size).toBe(28);
    expect(libri.items.every((i) => i.label === 'neutral')).toBe(true);
  });

  it('keeps speakers apart across corpora, and can keep only listener-agreed clips', async () => {
    const both = await listCorpora([join(SHARED, 'crema-d')], [join(SHARED, 'librispeech-mini')], 'intended');
    expect(both.map((c) => [c.name, c.layout])).toEqual([['crema-d', 'crema-d'], ['librispeech-mini', 'ordinary']]);
    expect(both[0].items[0].speaker).toBe('crema-d:1001');
    expect(both[1].items.every((i) => i.ordinary && i.speaker!.startsWith('librispeech-mini:'))).toBe(true);
    const agreed = await listCorpora([join(SHARED, 'crema-d')], [], 'agreed');
    expect(agreed[0].items.length).toBeLessThan(both[0].items.length * 0.6);
    expect(agreed[0].items.every((i) => i.heard === i.label)).toBe(true);
  });
});
