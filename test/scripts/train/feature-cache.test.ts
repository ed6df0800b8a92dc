import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash, FeatureCache } from '../../../scripts/train/feature-cache.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ser-cache-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const entry = { features: Float32Array.from([1.5, -2, 3.25]), rmsDb: -23.5, speechSec: 2.1 };

describe('feature cache', () => {
  it('misses, then hits after a save and reload, with the exact values', async () => {
    const hash = contentHash(Buffer.from('audio bytes'));
    const a = await FeatureCache.forSpec(dir, 'f9').load();
    expect(a.get(hash, 'clean')).toBeNull();
    a.set(hash, 'clean', entry);
    await a.save();
    const b = await FeatureCache.forSpec(dir, 'f9').load();
    expect(b.get(hash, 'clean')).toEqual(entry);
    expect(b.get(hash, 'noise')).toBeNull();
    expect([b.hits, b.misses]).toEqual([1, 1]);
  });

  it('is keyed by content: other bytes miss', async () => {
    const a = await FeatureCache.forSpec(dir, 'f9').load();
    a.set(contentHash(Buffer.from('one')), 'clean', entry);
    expect(a.get(contentHash(Buffer.from('two')), 'clean')).toBeNull();
  });

  it('a feature-spec change invalidates every entry', async () => {
    const hash = contentHash(Buffer.from('x'));
    const a = await FeatureCache.forSpec(dir, 'f9').load();
    a.set(hash, 'clean', entry);
    await a.save();
    expect((await FeatureCache.forSpec(dir, 'f10').load()).get(hash, 'clean')).toBeNull();
  });

  it('a damaged cache file is rebuilt, never fatal', async () => {
    await writeFile(join(dir, 'features-f9.json'), '{"trunc');
    const c = await FeatureCache.forSpec(dir, 'f9').load();
    expect(c.get('h', 'clean')).toBeNull();
  });
});
