// `npm run build` (also `prepare`, so `npm install` runs it): compiles src/ to dist/ with tsc, bundles the CLI
// (scripts/analyze.ts and the core it runs) into one file, dist/scripts/analyze.js, with esbuild, and puts beside
// the compiled code what it finds relative to itself: the worker bootstrap and assets/ (the charts' font).
// Plain JavaScript, so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  // `npm ci --omit=dev` runs prepare too, without TypeScript (a dev dependency): keep a dist/ built before, else say how.
  if (existsSync(`${root}dist/src/bot/main.js`)) {
    process.stderr.write('build: TypeScript is not installed (dev dependencies omitted); keeping the existing dist/\n');
    process.exit(0);
  }
  process.stderr.write('build: TypeScript is not installed (dev dependencies omitted), so dist/ cannot be built: run `npm ci` with dev dependencies, then `npm prune --omit=dev` (as the Dockerfile does)\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write('build: tsc failed (see above); dist/ is not up to date\n');
  process.exit(r.status ?? 1);
}
copyFileSync(`${root}src/worker-entry.mjs`, `${root}dist/src/worker-entry.mjs`);
cpSync(`${root}assets`, `${root}dist/assets`, { recursive: true });

// The CLI as one file: a run loads one module instead of ~60, each resolved, read and compiled by the ESM
// loader (~15 ms of CPU of a one-file run).
const CLI_BUNDLE = `${root}dist/scripts/analyze.js`;
const { build } = await import('esbuild');
await build({
  entryPoints: [`${root}scripts/analyze.ts`],
  outfile: CLI_BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  plugins: [
    {
      // Each bundled module keeps the URL of its own compiled file in dist/ (its import.meta.url), so what it finds
      // relative to itself is found as before: the pool's worker bootstrap and worker module, the charts' font, the
      // Opus addon. Modules it loads with import() stay separate files in dist/ (the charts, the transcribe client):
      // a plain WAV run never parses them.
      name: 'own-url',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined));
        b.onLoad({ filter: /\.ts$/ }, async (a) => {
          const text = await readFile(a.path, 'utf8');
          const compiled = `${root}dist/${relative(root, a.path).replace(/\.ts$/, '.js')}`;
          const url = `new URL(${JSON.stringify(relative(dirname(CLI_BUNDLE), compiled).split('\\').join('/'))}, import.meta.url).href`;
          return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
        });
      },
    },
  ],
});
