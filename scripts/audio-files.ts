// Which files count as audio when a front door walks a folder (by name only; decoding sniffs the bytes).
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const AUDIO_EXTENSIONS = new Set(['.wav', '.ogg', '.oga', '.opus', '.webm', '.mp3', '.flac', '.m4a', '.aac', '.mp4']);

export function isAudioName(path: string): boolean {
  return AUDIO_EXTENSIONS.has(extname(path).toLowerCase());
}

/** Every file below `dir`, depth-first, sorted by name so runs are repeatable. */
export async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesBelow(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}
