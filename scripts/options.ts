// Command-line options, validated: numbers finite, in range, and the whole string a number ("1e400", "Infinity", "12abc"
// are refused); output paths of the kind they must be.
import { stat } from 'node:fs/promises';
import { decimal } from '../src/core/decimal.js';
import { dirname } from 'node:path';

/** `text` as a finite number in [min, max], or a RangeError naming the option. */
export function finite(name: string, text: string, min: number, max: number): number {
  const v = decimal(text);
  if (!Number.isFinite(v) || v < min || v > max) throw new RangeError(`${name} must be a number from ${min} to ${max} (got ${JSON.stringify(text)}).`);
  return v;
}

/** `text` as an integer in [min, max]. */
export function positiveInt(name: string, text: string, max: number, min = 1): number {
  const v = finite(name, text, min, max);
  if (!Number.isInteger(v)) throw new RangeError(`${name} must be a whole number (got ${JSON.stringify(text)}).`);
  return v;
}

/** Worker threads asked for: more than this only costs memory (each worker holds its own heap and buffers). */
export const MAX_THREADS = 64;

/**
 * Why an output option cannot be used as given, or null: checked before any work, so a typo costs nothing. `want`:
 * what the path must be (or become); a file's folder must not be a file either.
 */
export async function outputPathError(name: string, path: string, want: 'file' | 'folder'): Promise<string | null> {
  const kind = (p: string) => stat(p).then((s) => (s.isDirectory() ? 'folder' : 'file'), () => null);
  if (path.trim() === '') return `${name} needs a path.`;
  const is = await kind(path);
  if (is && is !== want) return `${name} ${path} is a ${is}; it must be a ${want}.`;
  if (want === 'file' && (await kind(dirname(path))) === 'file') return `${name} ${path}: ${dirname(path)} is a file, not a folder.`;
  return null;
}

/** A command's last-resort error line: a file system error names its call and path, only a bug needs its stack. */
export function failureText(e: unknown): string {
  return (e as NodeJS.ErrnoException | null)?.syscall ? (e as Error).message : String((e as Error | null)?.stack ?? e);
}
