// libopus (@discordjs/opus) loaded straight from its compiled addon. The package's own entry point finds the
// addon through node-pre-gyp, which loads ~150 modules (npmlog, gauge, semver, detect-libc…) to compute one
// path: measured in a worker thread, +11 MB RSS, +2.5 MB of JS heap and 70–90 ms CPU, against +0.5 MB and
// 1–3 ms for the addon alone; every analysis worker paid it on its first voice message (issue 15).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type OpusAddon = typeof import('@discordjs/opus');

const require = createRequire(import.meta.url);

/**
 * The addon built or downloaded for this Node: @discordjs/opus's `prebuild/` directory named
 * `node-v<ABI>-napi-v<N>-<platform>-<arch>-<libc>-<version>` (where node-pre-gyp puts both its downloads and
 * its builds from source), when exactly one matches this Node's ABI, platform and architecture. Otherwise
 * (several libcs, an unusual layout) null: the package's own loader decides.
 */
export function prebuiltOpusPath(packageDir = dirname(require.resolve('@discordjs/opus/package.json'))): string | null {
  const dir = join(packageDir, 'prebuild');
  if (!existsSync(dir)) return null;
  const prefix = `node-v${process.versions.modules}-napi-v`;
  const suffix = `-${process.platform}-${process.arch}-`;
  const matches = readdirSync(dir).filter((d) => d.startsWith(prefix) && d.includes(suffix) && existsSync(join(dir, d, 'opus.node')));
  return matches.length === 1 ? join(dir, matches[0]!, 'opus.node') : null;
}

/**
 * libopus could not be loaded: the machine's fault, never the file's. Typically node_modules was built for another
 * Node (the addon is compiled per Node ABI) and the Node running now was switched to without a rebuild.
 */
export class OpusUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `libopus (@discordjs/opus) could not be loaded by Node ${process.version} (ABI ${process.versions.modules}): ` +
        `${(cause as Error)?.message?.split('\n')[0] ?? String(cause)}. Rebuild it with the Node that runs ser-bot ` +
        '(`npm rebuild @discordjs/opus`, or `npm ci`); ser-bot needs Node 22.13 or newer.',
      { cause },
    );
    this.name = 'OpusUnavailableError';
  }
}

/**
 * The addon: directly when its file is known and loads, through the package's entry point otherwise.
 * Throws OpusUnavailableError when neither loads. `load` is `require`, replaced only by tests.
 */
export function loadOpusAddon(load: (id: string) => unknown = require): OpusAddon {
  try {
    const path = prebuiltOpusPath();
    if (path) return load(path) as OpusAddon;
  } catch {
    // Not loadable here (built for another libc, say): the package's loader reports it properly, or finds another.
  }
  try {
    return load('@discordjs/opus') as OpusAddon;
  } catch (e) {
    throw new OpusUnavailableError(e);
  }
}
