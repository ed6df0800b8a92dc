// The compiled JavaScript in dist/ is what `npm start`, `npm run analyze` and the bot's workers run in
// production (no TypeScript loader): it must behave as the source does. dist/ is built by `npm install`
// (prepare) and by `npm test` before vitest runs.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeWithFfmpeg, FFMPEG } from '../helpers/audio-fixtures.js';
import { npmScript } from '../bot/fixtures/npm-start.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const CLIP = join(ROOT, '../shared/datasets/ravdess/Actor_05/03-01-05-02-02-01-05.wav');
const DIST = join(ROOT, 'dist');

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, args, { cwd: ROOT, timeout: 120_000, env: { PATH: process.env.PATH, ...env } });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('compiled JavaScript (dist/)', () => {
  it('exists, and package.json runs the bot and the CLI from it with plain node', () => {
    expect(existsSync(join(DIST, 'src/bot/main.js')), 'dist/ is missing: run `npm run build`').toBe(true);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toMatch(/^(exec )?(env )?(\w+=\S+ )*node .*dist\/src\/bot\/main\.js$/);
    expect(scripts.analyze).toBe('node dist/scripts/analyze.js');
    expect(scripts.prepare).toContain('build');
  });

  it.skipIf(!existsSync(CLIP))('the compiled CLI gives the answer the TypeScript source gives', async () => {
    const [compiled, source] = await Promise.all([
      run([join(DIST, 'scripts/analyze.js'), '--json', CLIP]),
      run(['--import', 'tsx', join(ROOT, 'scripts/analyze.ts'), '--json', CLIP]),
    ]);
    expect(compiled.code).toBe(0);
    expect(JSON.parse(compiled.stdout)).toEqual(JSON.parse(source.stdout));
  });

  it.skipIf(!existsSync(CLIP))("the bot's worker pool runs the compiled worker module without tsx", async () => {
    // A child that has never seen tsx: the pool's entry must load worker.js as plain JavaScript.
    const script = `
      import { readFileSync } from 'node:fs';
      import { WorkerPool, moduleBeside } from ${JSON.stringify(join(DIST, 'src/bot/pool.js'))};
      const module = moduleBeside(${JSON.stringify(`file://${join(DIST, 'src/bot/app.js')}`)}, 'worker');
      const pool = new WorkerPool({ module, size: 1, maxQueue: 1, workerData: { modelPath: 'models/ser-model.bin', ffmpegPath: null } });
      const a = await pool.run({ kind: 'bytes', bytes: new Uint8Array(readFileSync(${JSON.stringify(CLIP)})), maxDurationSec: 60 });
      await pool.close();
      console.log(JSON.stringify({ module: module.href, emotion: a.emotion, confidence: a.confidence }));`;
    const dir = mkdtempSync(join(tmpdir(), 'ser-dist-'));
    writeFileSync(join(dir, 'pool.mjs'), script);
    const r = await run([join(dir, 'pool.mjs')]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.module).toMatch(/dist\/src\/bot\/worker\.js$/);
    const cli = JSON.parse((await run([join(DIST, 'scripts/analyze.js'), '--json', CLIP])).stdout);
    expect(out.emotion).toBe(cli.emotion);
    expect(out.confidence).toBeCloseTo(cli.confidence, 4); // the CLI prints 4 decimals
  });

  /** The compiled CLI's JSON answer for `file`, with the modules its main thread loaded (its own, and Node's built-in
   *  ones it imported) and the workers it started. */
  async function cliTraced(file: string, ...args: string[]): Promise<{ answer: { emotion?: string }; loaded: string[]; builtins: string[]; workers: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'ser-dist-'));
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import dc from 'node:diagnostics_channel';
      import { registerHooks } from 'node:module';
      const loaded = [];
      const builtins = [];
      let workers = 0;
      registerHooks({ load(url, context, next) { (url.startsWith('node:') ? builtins : loaded).push(url); return next(url, context); } });
      dc.subscribe('worker_threads', () => workers++);
      process.on('exit', () => process.stderr.write(JSON.stringify({ loaded, builtins, workers }) + '\\n'));`,
    );
    const r = await run(['--import', hooks, join(DIST, 'scripts/analyze.js'), '--json', ...args, file]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(r.code, r.stderr).toBe(0);
    return { answer: JSON.parse(r.stdout), ...(JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { loaded: string[]; builtins: string[]; workers: number }) };
  }

  it.skipIf(!existsSync(CLIP))('a WAV run of the CLI is one bundled module and one thread; a --timeout too short for that sends it to the worker, same answer', async () => {
    // Start-up is most of a one-file run's CPU (issue 15): one module and no second V8 isolate keep it small.
    // The worker takes WAV files when --max-seconds at 50 ms per audio-second exceeds --timeout (300 s: 15 s).
    const [here, worker] = await Promise.all([cliTraced(CLIP), cliTraced(CLIP, '--timeout', '14')]);
    expect(here.loaded).toEqual([`file://${join(DIST, 'scripts/analyze.js')}`]); // no dist/src module, no package (dotenv)
    // Nor the worker pool's or ffmpeg's built-ins: with them a one-file run took ~8 ms more CPU (it then also
    // reached V8's first full GC). The worker run imports them when it needs them.
    expect(here.builtins).not.toContain('node:child_process');
    expect(here.builtins).not.toContain('node:worker_threads');
    expect(worker.builtins).toContain('node:worker_threads');
    expect(here.workers).toBe(0);
    expect(worker.workers).toBe(1);
    expect(here.answer.emotion).toBeTypeOf('string');
    expect(here.answer).toEqual(worker.answer);
  });

  it('an Ogg/Opus voice note is decoded and analyzed in the CLI\'s own thread too, with the worker\'s answer', async () => {
    // The project's own Ogg reader counts packets and samples against --max-seconds, so its cost is bounded as a WAV's is.
    const note = join(ROOT, 'samples/happy-actor.ogg');
    const [here, worker] = await Promise.all([cliTraced(note), cliTraced(note, '--timeout', '14')]);
    expect(here.workers).toBe(0);
    expect(here.builtins).not.toContain('node:worker_threads');
    expect(worker.workers).toBe(1);
    expect(here.answer.emotion).toBeTypeOf('string');
    expect(here.answer).toEqual(worker.answer);
  });

  it.skipIf(!existsSync(CLIP) || !FFMPEG)('a compressed WAV (mu-law, decoded by ffmpeg, which can stall) goes to the worker and its deadline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ser-dist-'));
    const mulaw = join(dir, 'mulaw.wav');
    writeFileSync(mulaw, encodeWithFfmpeg(readFileSync(CLIP), ['-c:a', 'pcm_mulaw'], 'wav'));
    const r = await cliTraced(mulaw).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(r.workers).toBe(1);
    expect(r.answer.emotion).toBeTypeOf('string');
  });

  it('`npm start` (compiled) refuses a missing token with its one-line config error, exit 2', async () => {
    // Its very command line and environment, read from package.json: its Node flags are accepted by this Node.
    const start = npmScript('start');
    expect(start.args.at(-1)).toBe(join(DIST, 'src/bot/main.js'));
    const r = await run(start.args, { ...start.env, LOG_FORMAT: 'json' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config error.*DISCORD_TOKEN/);
  });
});
