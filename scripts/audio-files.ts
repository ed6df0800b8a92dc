// Which files count as audio when a front door walks a folder (by name only; decoding sniffs the bytes).
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const AUDIO_EXTENSIONS = new Set(['.wav', '.ogg', '.oga', '.opus', '.webm', '.mp3', '.flac', '.m4a', '.aac', '.mp4']);

export function isAudioName(path: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * Every file below `dir`, depth-first, sorted by name so runs are repeatable. Symbolic links are followed (a
 * folder of links to one's recordings is a common way to pick them), each folder once by its real path, so a link
 * back up the tree does not loop; a dangling link is left out. With `onError`, a folder that cannot be listed (no
 * permission, a name that is not valid UTF-8 and so cannot be reopened) is reported there and skipped; without it,
 * the error is thrown.
 */
export async function filesBelow(dir: string, onError?: (path: string, error: NodeJS.ErrnoException) => void, seen = new Set<string>()): Promise<string[]> {
  let entries;
  try {
    const real = await realpath(dir);
    if (seen.has(real)) return [];
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (!onError) throw e;
    onError(dir, e as NodeJS.ErrnoException);
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    const target = e.isSymbolicLink() ? await stat(p).catch(() => null) : e; // a link: what it points at (none: dangling)
    if (target?.isDirectory()) out.push(...(await filesBelow(p, onError, seen)));
    else if (target?.isFile()) out.push(p);
  }
  return out;
}

export async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}
