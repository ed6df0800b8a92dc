// One contract, two back ends: SQLite (a temp file) and a real PostgreSQL server this test starts itself.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { openStore, parseDatabaseUrl, type StoreLocation } from '../../src/bot/store/open.js';
import { SCHEMA_VERSION } from '../../src/bot/store/migrations.js';
import { DEFAULT_GUILD_SETTINGS, type Store } from '../../src/bot/store/store.js';
import { PgServer } from './pg-server.js';

let dir: string;
let server: PgServer;
let dbs = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-store-'));
  server = await new PgServer().start();
});

afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Backend {
  name: string;
  /** A new, empty store location (each test gets its own). */
  fresh(): Promise<StoreLocation>;
}

const backends: Backend[] = [
  { name: 'sqlite', fresh: async () => ({ kind: 'sqlite', path: join(dir, `s${++dbs}`, 'ser-bot.db') }) },
  { name: 'postgres', fresh: async () => ({ kind: 'postgres', url: await server.createDatabase(`t${++dbs}`) }) },
];

const open = (at: StoreLocation, o = {}): Promise<Store> => openStore(at, { pollMs: 50, heartbeatMs: 200, reconnectMs: 100, ...o });

describe.each(backends)('store contract: $name', (b) => {
  it('starts empty, migrated to the latest version; opening again keeps the data and migrates nothing twice', async () => {
    const at = await b.fresh();
    const s = await open(at);
    expect(s.reachable).toBe(true);
    expect(s.mayAnalyze('111')).toBe(true);
    expect(await s.guildSettings('g1')).toEqual(DEFAULT_GUILD_SETTINGS);
    expect(await s.optOut('111')).toBe(true);
    await s.close();
    const again = await open(at);
    expect(again.mayAnalyze('111')).toBe(false);
    await again.close();
    expect(await schemaVersions(at)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('opt-out and opt-in: idempotent, effective at once in this process', async () => {
    const s = await open(await b.fresh());
    const seen: string[] = [];
    s.on('optOut', (id) => seen.push(id));
    expect(await s.optOut('111')).toBe(true);
    expect(await s.optOut('111')).toBe(false);
    expect(s.mayAnalyze('111')).toBe(false);
    expect(s.mayAnalyze('222')).toBe(true);
    expect(await s.optIn('111')).toBe(true);
    expect(await s.optIn('111')).toBe(false);
    expect(s.mayAnalyze('111')).toBe(true);
    expect(seen).toEqual(['111']);
    await s.close();
  });

  it('an opt-out made through another connection reaches this one, with an event, within a second', async () => {
    const at = await b.fresh();
    const a = await open(at);
    const other = await open(at);
    const heard = new Promise<string>((r) => a.once('optOut', r));
    const t0 = performance.now();
    await other.optOut('333');
    expect(await heard).toBe('333');
    const ms = performance.now() - t0;
    expect(a.mayAnalyze('333')).toBe(false);
    await other.optIn('333');
    await vi.waitFor(() => expect(a.mayAnalyze('333')).toBe(true), { timeout: 5_000 });
    console.log(`store ${b.name}: opt-out seen by another connection after ${ms.toFixed(1)} ms`);
    await a.close();
    await other.close();
  });

  it('settings: partial updates keep the other fields, per server', async () => {
    const s = await open(await b.fresh());
    expect(await s.updateGuildSettings('g1', { listenRoleId: '123456789012345678', maxMinutes: 30 })).toEqual({ ...DEFAULT_GUILD_SETTINGS, listenRoleId: '123456789012345678', maxMinutes: 30 });
    await s.updateGuildSettings('g1', { transcribeAllowed: false, language: 'de', defaultMinutes: 5 });
    await s.updateGuildSettings('g1', { listenRoleId: null });
    expect(await s.guildSettings('g1')).toEqual({ listenRoleId: null, transcribeAllowed: false, defaultMinutes: 5, maxMinutes: 30, language: 'de' });
    expect(await s.guildSettings('g2')).toEqual(DEFAULT_GUILD_SETTINGS);
    // Many updates at once (two admins, two shards): none is lost.
    await Promise.all([s.updateGuildSettings('g3', { maxMinutes: 20 }), s.updateGuildSettings('g3', { language: 'fr' }), s.updateGuildSettings('g3', { transcribeAllowed: false })]);
    expect(await s.guildSettings('g3')).toEqual({ ...DEFAULT_GUILD_SETTINGS, maxMinutes: 20, language: 'fr', transcribeAllowed: false });
    await s.close();
  });

  it('imports the JSON opt-out list of earlier versions once, then renames it', async () => {
    const legacy = join(dir, `legacy-${b.name}.json`);
    writeFileSync(legacy, JSON.stringify({ version: 1, optedOut: ['444', '555'] }));
    const s = await open(await b.fresh(), { legacyOptOutPath: legacy });
    expect(s.mayAnalyze('444')).toBe(false);
    expect(s.mayAnalyze('555')).toBe(false);
    expect(existsSync(legacy)).toBe(false);
    expect(JSON.parse(readFileSync(`${legacy}.imported`, 'utf8')).optedOut).toEqual(['444', '555']);
    await s.close();
  });

  it('refuses a database migrated by a newer bot, naming both versions', async () => {
    const at = await b.fresh();
    await (await open(at)).close();
    await exec(at, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'future', '2030-01-01')`);
    await expect(open(at)).rejects.toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this bot knows \\(${SCHEMA_VERSION}\\)`));
  });
});

describe('store: sqlite specifics', () => {
  it('an opt-out written by another process on the host (another shard) is seen within a second', async () => {
    const at = (await backends[0]!.fresh()) as { kind: 'sqlite'; path: string };
    const s = await openStore(at); // the default poll, as the bot runs it
    const heard = new Promise<number>((r) => s.once('optOut', () => r(Date.now())));
    // The other process prints the wall-clock time of its commit; both clocks are this host's.
    const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1]); db.exec('PRAGMA busy_timeout = 5000'); db.prepare('INSERT INTO optouts (user_id) VALUES (?)').run('999'); console.log(Date.now()); db.close();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-warnings', '-e', script, at.path]);
    const ms = (await heard) - Number(stdout.trim());
    console.log(`store sqlite: opt-out by another process seen after ${ms.toFixed(0)} ms (poll every 200 ms)`);
    expect(s.mayAnalyze('999')).toBe(false);
    expect(ms).toBeLessThan(1_000);
    await s.close();
  });
});

describe('store: sqlite, processes starting together', () => {
  it('two processes opening a new file at the same moment both start (the switch to WAL is retried, not fatal)', async () => {
    const script = `const { openStore } = await import(${JSON.stringify(new URL('../../src/bot/store/open.ts', import.meta.url).href)}); const s = await openStore({ kind: 'sqlite', path: process.argv[1] }); await s.close();`;
    const run = (path: string) => promisify(execFile)(process.execPath, ['--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script, path], { timeout: 60_000 }).then(() => 0, (e) => { console.log(String(e.stderr).split('\n')[0]); return 1; });
    let failed = 0;
    // Before the retry, 5 of 24 such opens failed with "database is locked".
    for (let k = 0; k < 8; k++) {
      const path = join(dir, `race${k}`, 'ser-bot.db');
      failed += (await Promise.all([run(path), run(path)])).reduce((a, b) => a + b, 0);
    }
    expect(failed).toBe(0);
  }, 120_000);
});

describe('store: postgres specifics', () => {
  it('an opt-out written by an operator with plain SQL is announced too (trigger + NOTIFY)', async () => {
    const at = (await backends[1]!.fresh()) as { kind: 'postgres'; url: string };
    const s = await open(at);
    const heard = new Promise<string>((r) => s.once('optOut', r));
    await exec(at, `INSERT INTO optouts (user_id) VALUES ('666')`);
    expect(await heard).toBe('666');
    await s.close();
  });

  it('two processes starting at once migrate once (advisory lock)', async () => {
    const at = await backends[1]!.fresh();
    const [a, c] = await Promise.all([open(at), open(at)]);
    expect(await schemaVersions(at)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    await a.close();
    await c.close();
  });

  it('unreachable at start: open rejects with the reason', async () => {
    await expect(openStore({ kind: 'postgres', url: 'postgres://ser@127.0.0.1:1/none' })).rejects.toThrow(/ECONNREFUSED/);
  });

  // Last: it stops and restarts the server.
  it('lost later: unreachable (nobody may be analyzed) within seconds; back, reloaded and reachable after the server returns', async () => {
    const at = await backends[1]!.fresh();
    const s = await open(at);
    const failures: string[] = [];
    s.on('failure', (_e, op) => failures.push(op));
    server.down();
    try {
      await vi.waitFor(() => expect(s.reachable).toBe(false), { timeout: 10_000 });
      expect(s.mayAnalyze('777')).toBe(false);
      await expect(s.optOut('777')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(failures).toContain('watch');
    } finally {
      server.up();
    }
    // An opt-out written as the server returns is seen: by the reload if the store reconnects after the
    // INSERT, by the notification if it reconnected first (under load it can), so wait for either.
    await exec(at, `INSERT INTO optouts (user_id) VALUES ('888')`);
    await vi.waitFor(() => expect(s.reachable).toBe(true), { timeout: 15_000 });
    await vi.waitFor(() => expect(s.mayAnalyze('888')).toBe(false), { timeout: 5_000 });
    expect(s.mayAnalyze('777')).toBe(true);
    await s.close();
  }, 60_000);
});

it('parseDatabaseUrl: sqlite and file paths, postgres URLs, nothing else', () => {
  expect(parseDatabaseUrl('sqlite:data/ser-bot.db')).toEqual({ kind: 'sqlite', path: 'data/ser-bot.db' });
  expect(parseDatabaseUrl('file:///var/lib/ser/bot.db')).toEqual({ kind: 'sqlite', path: '/var/lib/ser/bot.db' });
  expect(parseDatabaseUrl('postgresql://u:p@db:5432/ser')).toEqual({ kind: 'postgres', url: 'postgresql://u:p@db:5432/ser' });
  expect(parseDatabaseUrl('mysql://x')).toBeNull();
  expect(parseDatabaseUrl('data/ser-bot.db')).toBeNull();
});

async function exec(at: StoreLocation, sql: string): Promise<void> {
  if (at.kind === 'postgres') {
    const c = new pg.Client({ connectionString: at.url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
    return;
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(at.path);
  db.exec(sql);
  db.close();
}

async function schemaVersions(at: StoreLocation): Promise<number[]> {
  if (at.kind === 'postgres') {
    const c = new pg.Client({ connectionString: at.url });
    await c.connect();
    const r = await c.query('SELECT version FROM schema_migrations ORDER BY version').finally(() => c.end());
    return r.rows.map((x) => x.version);
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(at.path);
  const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
  db.close();
  return rows.map((r) => Number(r.version));
}
