// The shared store for a fleet: PostgreSQL, with opt-outs announced to every process by LISTEN/NOTIFY.
import pg from 'pg';
import { NOTIFY_CHANNEL, pendingMigrations } from './migrations.js';
import { mergeSettings, MirroredStore, settingsFromRow, StoreUnavailableError, type GuildSettings, type Store } from './store.js';

export interface PostgresOptions {
  /** How often the watching connection proves it is alive (ms). */
  heartbeatMs?: number;
  /** First wait before reconnecting the watch after it was lost (ms); doubles up to 5 s. */
  reconnectMs?: number;
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

const TIMEOUTS = { connectionTimeoutMillis: 5_000, query_timeout: 5_000, keepAlive: true } as const;
// Any fixed number: taken while migrating, so two processes starting together migrate one after the other.
const MIGRATION_LOCK = 0x5e7b07;

export class PostgresStore extends MirroredStore implements Store {
  readonly kind = 'postgres' as const;
  private listener: pg.Client | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private retryMs: number;
  private closing = false;
  /**
   * Notifications this process's own changes will echo ('+id' / '-id'), applied locally already. An echo
   * can arrive after a later change of the same user (opt-out, then opt-in at once): applied then, it would
   * undo the newer state until the next notification. Counted before the write, so an echo that beats the
   * query's answer is still known.
   */
  private readonly echoes = new Map<string, number>();

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly opts: PostgresOptions,
  ) {
    super();
    this.retryMs = opts.reconnectMs ?? 500;
    // An idle pooled connection that dies must not crash the process; the next query reconnects.
    pool.on('error', (err) => this.emit('failure', err, 'idle connection'));
  }

  get where(): string {
    return redactUrl(this.url);
  }

  /** Connects, migrates, loads the opt-out list and starts listening; throws when the server cannot be reached. */
  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, ...TIMEOUTS });
    const store = new PostgresStore(url, pool, opts);
    try {
      await migrate(pool, store.where);
      await store.watch();
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  /** A dedicated connection that LISTENs; on loss the list cannot be trusted until it is back and reloaded. */
  private async watch(): Promise<void> {
    const c = new pg.Client({ connectionString: this.url, ...TIMEOUTS });
    const lost = (err: unknown): void => this.lost(c, err);
    c.on('error', lost);
    c.on('end', () => lost(new Error('the watching connection ended')));
    // Notifications that arrive while the list is read are held and applied after it: pg can emit one
    // before the SELECT's result is handed over, and the list (read earlier) would then overwrite it.
    let held: string[] | null = [];
    const apply = (p: string): void => {
      if (this.expected(p, -1)) return;
      if (p.startsWith('+')) this.addOptOut(p.slice(1));
      else if (p.startsWith('-')) this.removeOptOut(p.slice(1));
    };
    c.on('notification', (n) => {
      const p = n.payload ?? '';
      if (held) held.push(p);
      else apply(p);
    });
    await c.connect();
    // LISTEN before reading the list: a change made in between arrives as a notification, not lost.
    await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
    const { rows } = await c.query<{ user_id: string }>('SELECT user_id FROM optouts');
    this.listener = c;
    this.replaceOptOuts(rows.map((r) => r.user_id));
    for (const p of held) apply(p);
    held = null;
    this.echoes.clear(); // the list is read afresh: nothing older is still to be applied
    this.retryMs = this.opts.reconnectMs ?? 500;
    this.setReachable(true);
    this.heartbeat = setInterval(() => void c.query('SELECT 1').catch(lost), this.opts.heartbeatMs ?? 2_000);
    this.heartbeat.unref();
  }

  private lost(c: pg.Client, err: unknown): void {
    if (this.listener !== c && this.listener !== null) return;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.listener = null;
    c.removeAllListeners('end');
    c.on('error', () => undefined);
    void c.end().catch(() => undefined);
    if (this.closing) return;
    this.emit('failure', err, 'watch');
    this.setReachable(false);
    this.scheduleRewatch();
  }

  private scheduleRewatch(): void {
    if (this.closing || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.watch().catch((err) => {
        this.emit('failure', err, 'reconnect');
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
        this.scheduleRewatch();
      });
    }, this.retryMs);
    this.retry.unref();
  }

  private query<R extends pg.QueryResultRow>(op: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.guarded(op, () => {
      if (this.closing) throw new StoreUnavailableError('the store is closed');
      return this.pool.query<R>(sql, params);
    });
  }

  async optOut(userId: string): Promise<boolean> {
    const changed = await this.ownChange(`+${userId}`, () => this.query('opt-out', 'INSERT INTO optouts (user_id) VALUES ($1) ON CONFLICT DO NOTHING', [userId]));
    this.addOptOut(userId);
    return changed;
  }

  async optIn(userId: string): Promise<boolean> {
    const changed = await this.ownChange(`-${userId}`, () => this.query('opt-in', 'DELETE FROM optouts WHERE user_id = $1', [userId]));
    this.removeOptOut(userId);
    return changed;
  }

  /** Runs a write whose notification (if it changes a row) is `echo`, so the echo is not applied again. */
  private async ownChange(echo: string, write: () => Promise<pg.QueryResult>): Promise<boolean> {
    this.expected(echo, +1);
    let changed = false;
    try {
      changed = ((await write()).rowCount ?? 0) > 0;
    } finally {
      if (!changed) this.expected(echo, -1); // no row changed: no notification will come
    }
    return changed;
  }

  /** Adds `by` to the count of expected echoes of `payload`; with -1, says whether one was expected (and takes it). */
  private expected(payload: string, by: 1 | -1): boolean {
    const n = this.echoes.get(payload) ?? 0;
    if (by === -1 && n === 0) return false;
    if (n + by === 0) this.echoes.delete(payload);
    else this.echoes.set(payload, n + by);
    return true;
  }

  async guildSettings(guildId: string): Promise<GuildSettings> {
    const r = await this.query('read settings', 'SELECT * FROM guild_settings WHERE guild_id = $1', [guildId]);
    return settingsFromRow(r.rows[0]);
  }

  updateGuildSettings(guildId: string, patch: Partial<GuildSettings>): Promise<GuildSettings> {
    return this.guarded('save settings', async () => {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        // FOR UPDATE: two admins changing different settings at once both keep their change.
        await c.query('INSERT INTO guild_settings (guild_id) VALUES ($1) ON CONFLICT DO NOTHING', [guildId]);
        const cur = await c.query('SELECT * FROM guild_settings WHERE guild_id = $1 FOR UPDATE', [guildId]);
        const s = mergeSettings(settingsFromRow(cur.rows[0]), patch);
        await c.query(
          `UPDATE guild_settings SET listen_role_id = $2, transcribe_allowed = $3, default_minutes = $4, max_minutes = $5, language = $6, updated_at = now()
           WHERE guild_id = $1`,
          [guildId, s.listenRoleId, s.transcribeAllowed, s.defaultMinutes, s.maxMinutes, s.language],
        );
        await c.query('COMMIT');
        return s;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    });
  }

  async ping(): Promise<void> {
    await this.query('ping', 'SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const c = this.listener;
    this.listener = null;
    if (c) {
      c.removeAllListeners('end');
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
    await this.pool.end().catch(() => undefined);
  }
}

async function migrate(pool: pg.Pool, where: string): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await c.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations');
    for (const m of pendingMigrations(rows[0]!.v, where)) {
      await c.query(m.postgres);
      await c.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
