// The embedded store: one SQLite file (Node's built-in node:sqlite), shared by every process on the host.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { pendingMigrations } from './migrations.js';
import { mergeSettings, MirroredStore, settingsFromRow, type GuildSettings, type Store } from './store.js';

/** node:sqlite, without its one-time "experimental" warning: the API used here (exec, prepare, get/all/run) is stable in Node 22.13+. */
async function loadSqlite(): Promise<typeof import('node:sqlite')> {
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (/SQLite is an experimental feature/.test(String(text))) return;
    return (emit as (...a: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return await import('node:sqlite');
  } finally {
    process.emitWarning = emit;
  }
}

export interface SqliteOptions {
  /** How often to look for changes made by other processes (ms). */
  pollMs?: number;
}

export class SqliteStore extends MirroredStore implements Store {
  readonly kind = 'sqlite' as const;
  private poll: NodeJS.Timeout | null = null;
  private dataVersion = -1;
  private closed = false;
  /** Prepared once: the poll runs it 5 times a second for the bot's life. */
  private readonly versionQuery: StatementSync;

  private constructor(
    private readonly db: DatabaseSync,
    readonly where: string,
  ) {
    super();
    this.versionQuery = db.prepare('PRAGMA data_version');
  }

  /** Opens (creating the file and its folder), migrates, loads the opt-out list, starts watching. Throws when it cannot. */
  static async open(path: string, opts: SqliteOptions = {}): Promise<SqliteStore> {
    const { DatabaseSync } = await loadSqlite();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    try {
      // busy_timeout: two shards writing at once wait instead of failing; WAL: readers never wait for the writer.
      db.exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
      await walMode(db);
      migrate(db, path);
    } catch (e) {
      db.close();
      throw e;
    }
    const store = new SqliteStore(db, path);
    store.refresh();
    const every = opts.pollMs ?? 200;
    // Another process's commit bumps data_version on this connection: a read of one integer, 5 times a second.
    store.poll = setInterval(() => store.refresh(), every);
    store.poll.unref();
    return store;
  }

  /** Reloads the opt-out list when another connection has committed since the last look. */
  private refresh(): void {
    try {
      const v = Number((this.versionQuery.get() as { data_version: number }).data_version);
      if (v !== this.dataVersion) {
        this.dataVersion = v;
        const rows = this.db.prepare('SELECT user_id FROM optouts').all() as { user_id: string }[];
        this.replaceOptOuts(rows.map((r) => r.user_id));
      }
      this.setReachable(true);
    } catch (err) {
      this.emit('failure', err, 'watch');
      this.setReachable(false);
    }
  }

  optOut(userId: string): Promise<boolean> {
    return this.guarded('opt-out', () => {
      const changed = Number(this.db.prepare('INSERT INTO optouts (user_id) VALUES (?) ON CONFLICT DO NOTHING').run(userId).changes) > 0;
      this.addOptOut(userId);
      return changed;
    });
  }

  optIn(userId: string): Promise<boolean> {
    return this.guarded('opt-in', () => {
      const changed = Number(this.db.prepare('DELETE FROM optouts WHERE user_id = ?').run(userId).changes) > 0;
      this.removeOptOut(userId);
      return changed;
    });
  }

  guildSettings(guildId: string): Promise<GuildSettings> {
    return this.guarded('read settings', () => settingsFromRow(this.db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as Record<string, unknown> | undefined));
  }

  updateGuildSettings(guildId: string, patch: Partial<GuildSettings>): Promise<GuildSettings> {
    return this.guarded('save settings', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const s = mergeSettings(settingsFromRow(this.db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as Record<string, unknown> | undefined), patch);
        this.db
          .prepare(
            `INSERT INTO guild_settings (guild_id, listen_role_id, transcribe_allowed, default_minutes, max_minutes, language) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (guild_id) DO UPDATE SET listen_role_id = excluded.listen_role_id, transcribe_allowed = excluded.transcribe_allowed,
               default_minutes = excluded.default_minutes, max_minutes = excluded.max_minutes, language = excluded.language,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
          )
          .run(guildId, s.listenRoleId, s.transcribeAllowed ? 1 : 0, s.defaultMinutes, s.maxMinutes, s.language);
        this.db.exec('COMMIT');
        return s;
      } catch (e) {
        rollback(this.db);
        throw e;
      }
    });
  }

  ping(): Promise<void> {
    return this.guarded('ping', () => void this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    if (!this.closed) this.db.close();
    this.closed = true;
  }
}

function migrate(db: DatabaseSync, where: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  // IMMEDIATE takes the write lock first: two shards starting together migrate one after the other.
  db.exec('BEGIN IMMEDIATE');
  try {
    const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
    for (const m of pendingMigrations(Number(row.v), where)) {
      if (m.sqlite.trim()) db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }
    db.exec('COMMIT');
  } catch (e) {
    rollback(db);
    throw e;
  }
}

function rollback(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // No transaction left to roll back (the failing statement ended it).
  }
}

/**
 * Switches the file to WAL. That switch does not wait on busy_timeout: two processes opening a new file at the same
 * moment collide ("database is locked", 5 of 24 opens in a test), so it is retried for up to 5 s.
 */
async function walMode(db: DatabaseSync): Promise<void> {
  for (const t0 = Date.now(); ; ) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (e) {
      if (!/locked|busy/i.test((e as Error).message) || Date.now() - t0 > 5_000) throw e;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
    }
  }
}
