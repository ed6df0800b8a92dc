// Packages a bot with the default settings never uses are not loaded (issue 15: a 150 MB bot): pg (~13 MB RSS,
// ~45 ms of start-up CPU) only for a PostgreSQL store, prom-client (~18 MB, ~100 ms) only with METRICS_PORT set.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const APP = new URL('../../src/bot/app.ts', import.meta.url).href;
const OPEN = new URL('../../src/bot/store/open.ts', import.meta.url).href;

/** Runs `body` in a fresh Node (the bot's module graph through tsx) and lists the modules it loaded from `packages`. */
async function packagesLoaded(body: string, packages: string[]): Promise<Record<string, number>> {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    ${body}
    const count = (p) => loaded.filter((u) => u.includes('/node_modules/' + p + '/')).length;
    console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(packages)}.map((p) => [p, count(p)]))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

describe('what the bot loads', () => {
  it('its module graph has neither pg nor prom-client (discord.js as a check that the graph was recorded)', async () => {
    const loaded = await packagesLoaded(`await import(${JSON.stringify(APP)});`, ['pg', 'prom-client', 'discord.js']);
    expect(loaded).toMatchObject({ pg: 0, 'prom-client': 0 });
    expect(loaded['discord.js']).toBeGreaterThan(0);
  }, 90_000);

  it('opening SQLite loads no pg; opening PostgreSQL does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ser-lazy-pg-'));
    const open = (at: object) => `
      const { openStore } = await import(${JSON.stringify(OPEN)});
      try { const store = await openStore(${JSON.stringify(at)}); await store.close(); } catch {}`;
    try {
      expect(await packagesLoaded(open({ kind: 'sqlite', path: join(dir, 'bot.db') }), ['pg'])).toEqual({ pg: 0 });
      // Port 1 on loopback refuses at once; by then the client has been loaded.
      const pg = await packagesLoaded(open({ kind: 'postgres', url: 'postgres://ser@127.0.0.1:1/none' }), ['pg']);
      expect(pg.pg).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
