// A throwaway PostgreSQL cluster for tests: initdb in a temp dir, listening on 127.0.0.1 on a free port, removed after.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's server binaries (apt-get install postgresql); .ci/run installs them. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql (bash .ci/run does)');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

/** A TCP port nothing on 127.0.0.1 listens on right now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export class PgServer {
  port = 0;
  private readonly dir = mkdtempSync(join(tmpdir(), 'ser-pg-'));
  private readonly data = join(this.dir, 'data');
  private readonly bin = postgresBinDir();
  // initdb refuses to run as root: in CI containers the cluster belongs to Debian's postgres user.
  private readonly asUser = process.getuid?.() === 0 ? 'postgres' : null;

  private run(tool: string, args: string[]): string {
    // runuser lives in /usr/sbin, which a non-login PATH may lack.
    const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p)) ?? 'runuser';
    const cmd = this.asUser ? runuser : join(this.bin, tool);
    const argv = this.asUser ? ['-u', this.asUser, '--', join(this.bin, tool), ...args] : args;
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  }

  async start(): Promise<this> {
    if (this.asUser) {
      const uid = Number(execFileSync('id', ['-u', this.asUser], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', this.asUser], { encoding: 'utf8' }));
      chownSync(this.dir, uid, gid);
    }
    this.run('initdb', ['-D', this.data, '-U', 'ser', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    this.port = await freePort();
    this.up();
    return this;
  }

  /** (Re)starts the server on the same port and data. */
  up(): void {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    this.run('pg_ctl', ['-D', this.data, '-o', opts, '-l', join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** Stops the server (every client connection is cut). */
  down(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  url(db = 'postgres'): string {
    return `postgres://ser@127.0.0.1:${this.port}/${db}`;
  }

  /** A fresh, empty database on this server; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  stop(): void {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
