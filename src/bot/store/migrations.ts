// The store's schema, as numbered steps applied in order on start; a step never changes once released.

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'opt-outs and server settings',
    sqlite: `
      CREATE TABLE optouts (user_id TEXT PRIMARY KEY, created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
      CREATE TABLE guild_settings (
        guild_id TEXT PRIMARY KEY,
        listen_role_id TEXT,
        transcribe_allowed INTEGER NOT NULL DEFAULT 1,
        default_minutes INTEGER,
        max_minutes INTEGER,
        language TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );`,
    postgres: `
      CREATE TABLE optouts (user_id TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
      CREATE TABLE guild_settings (
        guild_id TEXT PRIMARY KEY,
        listen_role_id TEXT,
        transcribe_allowed BOOLEAN NOT NULL DEFAULT TRUE,
        default_minutes INTEGER,
        max_minutes INTEGER,
        language TEXT,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );`,
  },
  {
    version: 2,
    name: 'announce opt-out changes to every process',
    // SQLite needs nothing: every process polls the file's data_version. PostgreSQL tells each listener,
    // whoever changed the row (the bot, or an operator with psql).
    sqlite: '',
    postgres: `
      CREATE FUNCTION ser_bot_optout_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('ser_bot_optouts', '-' || OLD.user_id);
        ELSE
          PERFORM pg_notify('ser_bot_optouts', '+' || NEW.user_id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER optouts_notify AFTER INSERT OR UPDATE OR DELETE ON optouts
        FOR EACH ROW EXECUTE FUNCTION ser_bot_optout_notify();`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The steps a store at `current` still needs; a store newer than this bot is an error the operator must see. */
export function pendingMigrations(current: number, where: string): Migration[] {
  if (current > SCHEMA_VERSION) {
    throw new Error(`the database at ${where} has schema version ${current}, newer than this bot knows (${SCHEMA_VERSION}); run the newer bot version or restore a backup`);
  }
  return MIGRATIONS.filter((m) => m.version > current);
}

export const NOTIFY_CHANNEL = 'ser_bot_optouts';
