// On-disk feature cache keyed by file content hash + variant + feature-spec version: a second run skips extraction.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface CachedFeatures {
  features: Float32Array;
  rmsDb: number;
  speechSec: number;
}

interface Stored {
  f: string;
  r: number;
  s: number;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

export class FeatureCache {
  private entries = new Map<string, Stored>();
  private dirty = false;
  hits = 0;
  misses = 0;

  /** One file per feature-spec version: changing the spec leaves old entries unused, never mixed. */
  constructor(readonly path: string) {}

  static forSpec(dir: string, specVersion: string): FeatureCache {
    return new FeatureCache(join(dir, `features-${specVersion}.json`));
  }

  async load(): Promise<this> {
    const text = await readFile(this.path, 'utf8').catch(() => null);
    if (text) {
      try {
        this.entries = new Map(Object.entries(JSON.parse(text) as Record<string, Stored>));
      } catch {
        this.entries = new Map(); // a damaged cache is rebuilt, never fatal
      }
    }
    return this;
  }

  /** Whether get() would find the entry (counted as get() counts it), without decoding its features. */
  has(hash: string, variant: string): boolean {
    return this.stored(hash, variant) !== undefined;
  }

  get(hash: string, variant: string): CachedFeatures | null {
    const s = this.stored(hash, variant);
    if (!s) return null;
    const b = Buffer.from(s.f, 'base64');
    return { features: new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice(), rmsDb: s.r, speechSec: s.s };
  }

  private stored(hash: string, variant: string): Stored | undefined {
    const s = this.entries.get(`${hash}:${variant}`);
    if (s) this.hits++; else this.misses++;
    return s;
  }

  set(hash: string, variant: string, v: CachedFeatures): void {
    this.entries.set(`${hash}:${variant}`, { f: Buffer.from(v.features.buffer, v.features.byteOffset, v.features.byteLength).toString('base64'), r: v.rmsDb, s: v.speechSec });
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(this.entries)));
    await rename(tmp, this.path); // atomic: an interrupted run never leaves half a cache
    this.dirty = false;
  }
}
