// The PostgreSQL client is loaded only by a bot that uses PostgreSQL: pg and its modules cost ~13 MB RSS and ~45 ms
// of start-up CPU, and the default store is SQLite (issue 15: a 150 MB bot).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const OPEN = new URL('../../src/bot/store/open.ts', import.meta.url).href;

/** Opens a store in a fresh Node and lists the pg modules it loaded. */
async function pgModulesAfterOpening(location: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    const { openStore } = await import(${JSON.stringify(OPEN)});
    try { const store = await openStore(${location}); await store.close(); } catch {}
    console.log(JSON.stringify(loaded.filter((u) => u.includes('/node_modules/pg/'))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

describe('the store', () => {
  it('opens SQLite without loading pg, and PostgreSQL with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ser-lazy-pg-'));
    try {
      const sqlite = { kind: 'sqlite', path: join(dir, 'bot.db') };
      expect(await pgModulesAfterOpening(JSON.stringify(sqlite))).toEqual([]);
      // Port 1 on loopback refuses at once; by then the client has been loaded.
      const postgres = { kind: 'postgres', url: 'postgres://ser@127.0.0.1:1/none' };
      expect((await pgModulesAfterOpening(JSON.stringify(postgres))).length).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
