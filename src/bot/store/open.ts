// Opens the store DATABASE_URL names, and brings in the opt-out list of older versions (a JSON file) once.
import { readFile, rename } from 'node:fs/promises';
import type { PostgresOptions } from './postgres.js';
import { SqliteStore, type SqliteOptions } from './sqlite.js';
import type { Store } from './store.js';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export const DEFAULT_DATABASE_URL = 'sqlite:data/ser-bot.db';

/** Parses DATABASE_URL: `sqlite:<path>` (or `file:<path>`), or `postgres://` / `postgresql://`. Null = not one of those. */
export function parseDatabaseUrl(raw: string): StoreLocation | null {
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      return null;
    }
    return { kind: 'postgres', url: raw };
  }
  const m = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(raw);
  return m ? { kind: 'sqlite', path: m[1]! } : null;
}

export interface OpenOptions extends SqliteOptions, PostgresOptions {
  /** The JSON opt-out list earlier versions kept (OPTOUT_PATH): imported once, then renamed to `.imported`. */
  legacyOptOutPath?: string | null;
}

export async function openStore(at: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  // pg (and what it loads: ~13 MB RSS and ~45 ms of start-up CPU) only for a bot that uses PostgreSQL.
  const store = at.kind === 'sqlite' ? await SqliteStore.open(at.path, opts) : await (await import('./postgres.js')).PostgresStore.open(at.url, opts);
  try {
    if (opts.legacyOptOutPath) await importLegacyOptOuts(store, opts.legacyOptOutPath);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

/** The old opt-out list (OPTOUT_PATH) could not be imported: its own problem, not the store's. */
export class OptOutImportError extends Error {}

/** Nobody who opted out before the store existed is forgotten by the upgrade. */
async function importLegacyOptOuts(store: Store, path: string): Promise<void> {
  let ids: unknown;
  try {
    ids = (JSON.parse(await readFile(path, 'utf8')) as { optedOut?: unknown } | null)?.optedOut;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OptOutImportError(`the old opt-out list ${path} (OPTOUT_PATH) cannot be read: ${(e as Error).message}; fix or remove it`);
  }
  if (!Array.isArray(ids)) throw new OptOutImportError(`${path} (OPTOUT_PATH) is not an opt-out list; fix or remove it`);
  for (const id of ids) if (typeof id === 'string') await store.optOut(id);
  await rename(path, `${path}.imported`);
}
