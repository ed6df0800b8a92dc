// How the front doors walk a folder: sorted, into subfolders, through symbolic links, never around a loop.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesBelow } from '../../scripts/audio-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ser-walk-'));
  // recordings/: the real files; picked/: links to some of them, as someone choosing clips for eval would make.
  await mkdir(join(dir, 'recordings/happy'), { recursive: true });
  await writeFile(join(dir, 'recordings/happy/b.wav'), 'b');
  await writeFile(join(dir, 'recordings/a.wav'), 'a');
  await mkdir(join(dir, 'picked'));
  await symlink(join(dir, 'recordings/a.wav'), join(dir, 'picked/one.wav'));
  await symlink(join(dir, 'recordings/happy'), join(dir, 'picked/happy'));
  await symlink(join(dir, 'nowhere.wav'), join(dir, 'picked/dangling.wav'));
  await symlink(dir, join(dir, 'picked/up')); // a loop back to the top
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('filesBelow', () => {
  it('follows links to files and folders, leaves out a dangling link', async () => {
    expect(await filesBelow(join(dir, 'picked/happy'))).toEqual([join(dir, 'picked/happy/b.wav')]);
    const files = await filesBelow(join(dir, 'picked'));
    expect(files.slice(0, 2)).toEqual([join(dir, 'picked/happy/b.wav'), join(dir, 'picked/one.wav')]);
    expect(files).not.toContain(join(dir, 'picked/dangling.wav'));
  });

  it('walks each real folder once, so a link back up the tree ends', async () => {
    const files = await filesBelow(join(dir, 'picked'));
    // Through picked/up: the top folder's recordings/ (a.wav, and happy/ already seen through picked/happy).
    expect(files).toEqual([join(dir, 'picked/happy/b.wav'), join(dir, 'picked/one.wav'), join(dir, 'picked/up/recordings/a.wav')]);
  });
});
