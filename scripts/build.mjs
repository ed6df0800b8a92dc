// `npm run build` (also `prepare`, so `npm install` runs it): compiles src/ and the CLI to dist/ with tsc, and puts
// beside the compiled code what it finds relative to itself: the worker bootstrap and assets/ (the charts' font).
// Plain JavaScript, so it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
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
