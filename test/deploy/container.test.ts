// Dockerfile and compose.yaml, checked by parsing (docker and hadolint are not available here): the image runs Node 22
// directly under tini as a non-root user with ffmpeg and the Opus addon; compose's two bots split the shards over one PostgreSQL.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/bot/config.js';
import { FAKE_TOKEN } from '../emulator/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string): string => readFileSync(ROOT + f, 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile → instructions (comments dropped, `\` continuations joined), split into stages at FROM. */
function dockerfile(text: string): Instruction[][] {
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    const ins = { op: m[1]!, args: m[2]! };
    if (ins.op === 'FROM') stages.push([]);
    stages.at(-1)!.push(ins);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerfile(read('Dockerfile'));
  const final = stages.at(-1)!;
  const all = stages.flat();
  const args = (op: string, within = final) => within.filter((i) => i.op === op).map((i) => i.args);

  it('every stage is Node 22 (the engines field says >= 22.13)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(1);
    for (const s of stages) expect(s[0]!.args).toMatch(/^node:22(\.\d+)*-/);
    expect(JSON.parse(read('package.json')).engines.node).toBe('>=22.13.0');
  });

  it('installs from the lock file, keeps only the production dependencies, and proves the Opus addon loads', () => {
    const run = args('RUN', all).join('\n');
    expect(run).toMatch(/npm ci\b[^\n]*&& npm prune --omit=dev/);
    expect(run).toMatch(/require\('@discordjs\/opus'\)/);
    expect(args('COPY', all).some((a) => /package-lock\.json/.test(a))).toBe(true);
  });

  it('the files the install scripts run are copied before npm ci', () => {
    const deps = stages.find((s) => s.some((i) => i.op === 'RUN' && /npm ci/.test(i.args)))!;
    const ciAt = deps.findIndex((i) => i.op === 'RUN' && /npm ci/.test(i.args));
    const copiedBefore = deps.slice(0, ciAt).filter((i) => i.op === 'COPY').map((i) => i.args).join(' ');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall', 'build']) {
      for (const file of (scripts[hook] ?? '').match(/[\w./-]+\.(?:mjs|js|cjs)/g) ?? []) expect(copiedBefore, `${hook}: ${file}`).toMatch(new RegExp(`\\b(${file}|${file.split('/')[0]})\\b`));
    }
    // prepare (npm run build) compiles with tsconfig.build.json what it includes: all of it is there before npm ci.
    expect(scripts.prepare).toBe('npm run build');
    const build = JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, '')) as { extends: string; include: string[] };
    for (const file of ['tsconfig.build.json', build.extends.replace('./', ''), ...build.include.map((p) => p.split('/')[0]!), 'assets']) expect(copiedBefore, file).toMatch(new RegExp(`\\b${file.replace('.', '\\.')}\\b`));
  });

  it('the final image has ffmpeg and tini, runs as a non-root user, and starts Node directly (exec form) under tini', () => {
    expect(args('RUN').join('\n')).toMatch(/apt-get install[^\n]*\bffmpeg\b[^\n]*\btini\b/);
    const userAt = final.findIndex((i) => i.op === 'USER');
    expect(userAt).toBeGreaterThan(0);
    expect(final[userAt]!.args).not.toMatch(/^(root|0)\b/);
    expect(final.slice(userAt + 1).some((i) => i.op === 'USER')).toBe(false);
    expect(JSON.parse(args('ENTRYPOINT').at(-1)!)).toEqual(['/usr/bin/tini', '--']);
    const cmd = JSON.parse(args('CMD').at(-1)!) as string[];
    expect(cmd[0]).toBe('node'); // not npm: it would stand between tini and Node and swallow SIGTERM
    // The compiled entry point (built by `npm test` and `npm install`), with no TypeScript loader, and the same Node
    // flags as `npm start`; the image sets the environment variables npm start sets.
    expect(cmd.at(-1)).toBe('dist/src/bot/main.js');
    expect(existsSync(ROOT + cmd.at(-1)!)).toBe(true);
    expect(cmd.join(' ')).not.toMatch(/tsx|\.ts\b/);
    const start = (JSON.parse(read('package.json')).scripts.start as string).split(' ');
    expect(cmd.slice(1)).toEqual(start.slice(start.indexOf('node') + 1));
    const env = args('ENV').join(' ');
    for (const v of start.filter((w) => /^[A-Z_]+=/.test(w))) expect(env).toContain(v);
  });

  it('the final image takes the compiled dist/ from the build stage, not the TypeScript sources', () => {
    const copied = args('COPY');
    expect(copied.some((a) => /^--from=\w+ \/app\/dist /.test(a))).toBe(true);
    expect(copied.some((a) => /^src\b/.test(a))).toBe(false);
  });

  it('copies what the bot needs at run time, and nothing secret', () => {
    const copied = args('COPY').join(' ');
    for (const p of ['dist', 'models', 'package.json']) expect(copied).toContain(p);
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['node_modules', '.env', 'data', 'dataset', '.git']) expect(ignored).toContain(p);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as any;
  const bots = Object.entries(compose.services as Record<string, any>).filter(([, s]) => s.build);
  /** The environment a bot service gets, with ${VAR:?msg} filled as compose would from .env. */
  const envOf = (s: any): Record<string, string> =>
    Object.fromEntries(Object.entries(s.environment as Record<string, string>).map(([k, v]) => [k, String(v).replace(/\$\{POSTGRES_PASSWORD:\?[^}]*\}/g, 'pw')]));

  it('runs PostgreSQL with a health check and a volume', () => {
    const db = compose.services.db;
    expect(db.image).toMatch(/^postgres:/);
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    expect(db.volumes[0]).toMatch(/:\/var\/lib\/postgresql\/data$/);
  });

  it('two bot processes from this Dockerfile split the shards exactly (each once) and share the database', () => {
    expect(bots.length).toBe(2);
    const configs = bots.map(([, s]) => loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '123456789012345678', ...envOf(s) }));
    const count = configs[0]!.shards!.count;
    expect(configs.every((c) => c.shards!.count === count)).toBe(true);
    expect(configs.flatMap((c) => c.shards!.ids).sort()).toEqual(Array.from({ length: count }, (_, i) => i));
    for (const c of configs) {
      expect(c.database.kind).toBe('postgres');
      expect(new URL((c.database as { url: string }).url).hostname).toBe('db');
      expect(c.metrics).toEqual({ host: '0.0.0.0', port: 9464 });
    }
    for (const [, s] of bots) {
      expect(s.build).toBe('.');
      expect(s.depends_on.db.condition).toBe('service_healthy');
      expect(s.env_file).toBe('.env');
      // Compose's SIGTERM → SIGKILL gap outlasts the bot's own shutdown deadline (20 s by default).
      expect(Number.parseInt(s.stop_grace_period, 10)).toBeGreaterThan(20);
      expect(s.healthcheck.test.join(' ')).toContain(`127.0.0.1:${envOf(s).METRICS_PORT}/healthz`);
    }
  });
});

it('README: the container and fleet commands are the ones these files support', () => {
  const readme = read('README.md');
  expect(readme).toContain('docker build -t ser-bot .');
  expect(readme).toContain('docker compose up -d --build');
  expect(readme).toContain('POSTGRES_PASSWORD');
  for (const name of Object.keys(parse(read('compose.yaml'), { merge: true }).services)) expect(readme).toContain(name);
  expect(readme).toMatch(/StatefulSet/);
  expect(readme).toMatch(/SHARDS.*SHARD_COUNT/);
});
