// After `npm install`: the project's scripts run on Node >= 22.13 (the `node` devDependency puts Node 22 first on
// npm scripts' PATH, even where the machine has an older Node), and @discordjs/opus must load in that Node.
// When it does not (a failed or missing build), rebuild it from source under that Node. The addon uses N-API, so the
// headers npm already knows (npm_config_nodedir) serve; the npm registry's Node package's own are preferred when it
// still has them (a later `npm install` prunes them). Plain JavaScript: it runs before anything else is known to work.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const fail = (line) => {
  process.stderr.write(`ser-bot: ${line}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  fail(`Node ${process.versions.node} is too old (ser-bot needs >= 22.13) and the \`node\` devDependency did not install; install Node 22 (nvm install 22) or run \`npm install --include=dev\` again.`);
}

const opusError = () => {
  try {
    execFileSync(process.execPath, ['-e', "require('@discordjs/opus')"], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return String(e.stderr ?? e.message);
  }
};

const before = opusError();
if (before === null) process.exit(0);

// Right after its own install, the npm registry's Node package has include/node in node_modules/node/node_modules/node-<os>-<arch>.
const base = join(process.cwd(), 'node_modules', 'node', 'node_modules');
const headers = existsSync(base) ? readdirSync(base).map((d) => join(base, d)).find((d) => existsSync(join(d, 'include', 'node', 'node.h'))) : undefined;
process.stderr.write(`ser-bot: @discordjs/opus does not load in Node ${process.versions.node}; rebuilding it${headers ? ` with ${headers}` : ''}\n`);
try {
  execFileSync(process.execPath, [process.env.npm_execpath, 'rebuild', '@discordjs/opus', '--foreground-scripts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...(headers ? { npm_config_nodedir: headers } : {}), npm_config_build_from_source: 'true' },
  });
} catch {
  // Reported below with the reason it still does not load.
}
const after = opusError();
if (after !== null) fail(`@discordjs/opus still does not load in Node ${process.versions.node} (${after.split('\n').find((l) => /Error/.test(l)) ?? 'unknown error'}); it needs python3, make and g++ to build.`);
