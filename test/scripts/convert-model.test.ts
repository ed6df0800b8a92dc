// `npm run model:convert` as a user runs it: the shipped model as v7 wrote it (its members averaged: v7 had no log pool)
// becomes that v8 file, byte for byte.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_SPEC } from '../../src/core/features/spec.js';
import { modelFromBytes, readModel } from '../../src/core/model/io.js';
import { DEFAULT_MODEL_PATH } from '../../src/core/model/model-file.js';
import { asV7, withHeader } from '../core/model/older-formats.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
let dir: string;

async function convert(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await exec(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/convert-model.ts'), ...args], { cwd: ROOT, timeout: 120_000 })) };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ser-convert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run model:convert', () => {
  it('rewrites a v7 model as the v8 file training writes (less the training clips v7 did not hold), and says what it did', async () => {
    const shipped = withHeader(await readFile(join(ROOT, DEFAULT_MODEL_PATH)), ({ pool: _pool, poolEps: _eps, ...header }) => header);
    const v7 = asV7(shipped);
    expect(v7.length).toBeGreaterThan(shipped.length * 1.3);
    await writeFile(join(dir, 'old.bin'), v7);
    const r = await convert([join(dir, 'old.bin'), join(dir, 'sub', 'new.bin')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/v7\) → .*new\.bin \(\d+ bytes, v8\)/);
    // The same bytes as the shipped file without its training clips' keys (v7 had none to carry over).
    const converted = await readFile(join(dir, 'sub', 'new.bin'));
    const header = (b: Buffer) => JSON.parse(b.toString('utf8', 12, 12 + b.readUInt32LE(8)));
    const clips = header(shipped).sections.trainedClips;
    expect(clips).toBeGreaterThan(8000); // two words per clip
    expect(header(converted).sections.trainedClips).toBe(0);
    expect(Math.abs(shipped.length - 4 * clips - converted.length)).toBeLessThanOrEqual(8); // the keys' words, and the header's padding
    expect(asV7(converted).equals(v7)).toBe(true);
    // …and the same answers as the file it came from.
    const [a, b] = [await readModel(join(dir, 'sub', 'new.bin')), modelFromBytes(shipped)];
    for (let k = 0; k < 5; k++) {
      const x = Float32Array.from({ length: FEATURE_SPEC.names.length }, (_, j) => Math.sin(j * (k + 1)));
      expect([...a.predict(x)]).toEqual([...b.predict(x)]);
    }
  });

  it('refuses a current file, a damaged one and a missing argument, each with its own message', async () => {
    const current = await convert([join(ROOT, DEFAULT_MODEL_PATH), join(dir, 'same.bin')]);
    expect(current).toMatchObject({ code: 1, stderr: expect.stringContaining('already binary format v8: nothing to convert') });
    const damaged = asV7(withHeader(await readFile(join(ROOT, DEFAULT_MODEL_PATH)), ({ pool: _pool, poolEps: _eps, ...header }) => header));
    damaged[damaged.length - 3] ^= 0x10;
    await writeFile(join(dir, 'damaged.bin'), damaged);
    expect(await convert([join(dir, 'damaged.bin'), join(dir, 'out.bin')])).toMatchObject({ code: 1, stderr: expect.stringContaining('the file is damaged') });
    expect(await convert([join(dir, 'damaged.bin')])).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run model:convert') });
    expect(await convert([join(dir, 'damaged.bin'), join(dir, 'a.bin'), join(dir, 'b.bin')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^One input and one output, not 3 paths/) });
    expect(await convert(['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: npm run model:convert/) });
    // A device is read for its size (none), not until memory runs out.
    expect(await convert(['/dev/zero', join(dir, 'zero.bin')])).toMatchObject({ code: 1, stderr: expect.stringContaining('not readable (it is empty)') });
  });
});
