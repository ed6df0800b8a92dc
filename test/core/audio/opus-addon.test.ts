// libopus loaded from its addon file, not through node-pre-gyp: the very file the package's own loader picks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOpusAddon, OpusUnavailableError, prebuiltOpusPath } from '../../../src/core/audio/opus-addon.js';

const require = createRequire(import.meta.url);
const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake package directory with these prebuild/ subdirectories, each holding an opus.node. */
function fakePackage(dirs: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'opus-addon-'));
  tmp.push(root);
  for (const d of dirs) {
    mkdirSync(join(root, 'prebuild', d), { recursive: true });
    writeFileSync(join(root, 'prebuild', d, 'opus.node'), '');
  }
  return root;
}

const here = `node-v${process.versions.modules}-napi-v3-${process.platform}-${process.arch}`;

describe('the Opus addon', () => {
  it('is the module the package itself loads (same file, so the same cached module)', () => {
    expect(prebuiltOpusPath()).toMatch(/opus\.node$/);
    const addon = loadOpusAddon();
    expect(addon).toBe(require('@discordjs/opus'));
    // And it works: 20 ms of silence encoded and decoded back at 48 kHz mono.
    const codec = new addon.OpusEncoder(48_000, 1);
    expect(codec.decode(codec.encode(Buffer.alloc(960 * 2))).length).toBe(960 * 2);
  });

  it("takes the one directory for this Node's ABI, platform and architecture", () => {
    const pkg = fakePackage([`${here}-glibc-2.36`, `node-v1-napi-v3-${process.platform}-${process.arch}-glibc-2.36`, `node-v${process.versions.modules}-napi-v3-other-${process.arch}-glibc-2.36`]);
    expect(prebuiltOpusPath(pkg)).toBe(join(pkg, 'prebuild', `${here}-glibc-2.36`, 'opus.node'));
  });

  it('that cannot be loaded (built for another Node) is reported as such, with the fix, not as a missing module', () => {
    const wrongAbi = (id: string): never => {
      throw new Error(`The module '${id}' was compiled against a different Node.js version using NODE_MODULE_VERSION 127.\nstack`);
    };
    let thrown: unknown;
    try {
      loadOpusAddon(wrongAbi);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(OpusUnavailableError);
    const message = (thrown as Error).message;
    expect(message).toContain(`Node ${process.version} (ABI ${process.versions.modules})`);
    expect(message).toContain('NODE_MODULE_VERSION 127');
    expect(message).not.toContain('stack');
    expect(message).toContain('npm rebuild @discordjs/opus');
  });

  it("leaves the choice to the package's loader when none or several match", () => {
    expect(prebuiltOpusPath(fakePackage([]))).toBeNull();
    expect(prebuiltOpusPath(fakePackage(['node-v1-napi-v3-linux-x64-glibc-2.36']))).toBeNull();
    expect(prebuiltOpusPath(fakePackage([`${here}-glibc-2.36`, `${here}-musl-1.2.4`]))).toBeNull();
  });
});
