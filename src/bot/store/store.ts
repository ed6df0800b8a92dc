// The store for what must last (opt-outs, per-server settings): one interface, SQLite or PostgreSQL behind it.
import { EventEmitter } from 'node:events';

/** What a server's admins chose with /settings; null = the bot's own default (from its config). */
export interface GuildSettings {
  /** Only members with this role may start /listen; null = everyone. */
  listenRoleId: string | null;
  /** Whether /listen transcribe:true may send speech to the speech-to-text service. */
  transcribeAllowed: boolean;
  defaultMinutes: number | null;
  maxMinutes: number | null;
  /** Transcript language (ISO-639 code); null = the bot's TRANSCRIBE_LANGUAGE, or detection. */
  language: string | null;
}

export const DEFAULT_GUILD_SETTINGS: Readonly<GuildSettings> = Object.freeze({
  listenRoleId: null,
  transcribeAllowed: true,
  defaultMinutes: null,
  maxMinutes: null,
  language: null,
});

/** The store cannot be reached (or answered with an error): nothing was read or changed. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface StoreEvents {
  /** A user opted out, in this process or any other sharing the store (within about a second). */
  optOut: [userId: string];
  /** The store became unreachable (false) or reachable again (true). */
  reachable: [reachable: boolean];
  /** An operation or a watch failed; for logs and metrics. */
  failure: [err: unknown, op: string];
}

export interface Store extends EventEmitter<StoreEvents> {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it lives, without credentials (for logs). */
  readonly where: string;
  /** True while the store answers and the opt-out list held here is current. */
  readonly reachable: boolean;
  /**
   * May /listen analyze this user now? False for anyone who opted out, and for everyone while the
   * store cannot vouch for the list (unreachable): better to miss an utterance than to analyze someone who opted out.
   */
  mayAnalyze(userId: string): boolean;
  /** Records /optout; resolves once it is stored. False when they already were opted out. */
  optOut(userId: string): Promise<boolean>;
  optIn(userId: string): Promise<boolean>;
  guildSettings(guildId: string): Promise<GuildSettings>;
  /** Changes the given fields (undefined = keep) and returns the settings as stored. */
  updateGuildSettings(guildId: string, patch: Partial<GuildSettings>): Promise<GuildSettings>;
  /** A cheap round trip, for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What both back ends share: the opt-out list held in memory (so the voice path checks it without a
 * round trip), kept current by each back end's change feed, and the reachable flag.
 */
export abstract class MirroredStore extends EventEmitter<StoreEvents> {
  private ids = new Set<string>();
  private up = true;

  get reachable(): boolean {
    return this.up;
  }

  mayAnalyze(userId: string): boolean {
    return this.up && !this.ids.has(userId);
  }

  /** The full list as stored now: users new to it are announced. */
  protected replaceOptOuts(ids: Iterable<string>): void {
    const next = new Set(ids);
    const added = [...next].filter((id) => !this.ids.has(id));
    this.ids = next;
    for (const id of added) this.emit('optOut', id);
  }

  protected addOptOut(userId: string): void {
    if (this.ids.has(userId)) return;
    this.ids.add(userId);
    this.emit('optOut', userId);
  }

  protected removeOptOut(userId: string): void {
    this.ids.delete(userId);
  }

  protected setReachable(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.emit('reachable', up);
  }

  /** Runs a store operation; a failure is reported and becomes a StoreUnavailableError. */
  protected async guarded<T>(op: string, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.emit('failure', err, op);
      throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(`${op} failed: ${(err as Error).message}`, err);
    }
  }
}

/** Settings as stored: reject what /settings would never write (a hand-edited row, a newer bot). */
export function settingsFromRow(row: Record<string, unknown> | undefined): GuildSettings {
  if (!row) return { ...DEFAULT_GUILD_SETTINGS };
  const int = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    listenRoleId: (row.listen_role_id as string | null) ?? null,
    transcribeAllowed: row.transcribe_allowed === true || row.transcribe_allowed === 1 || row.transcribe_allowed === 1n,
    defaultMinutes: int(row.default_minutes),
    maxMinutes: int(row.max_minutes),
    language: (row.language as string | null) ?? null,
  };
}

export function mergeSettings(current: GuildSettings, patch: Partial<GuildSettings>): GuildSettings {
  const next = { ...current };
  for (const k of Object.keys(DEFAULT_GUILD_SETTINGS) as (keyof GuildSettings)[]) {
    if (patch[k] !== undefined) (next as Record<string, unknown>)[k] = patch[k];
  }
  return next;
}
