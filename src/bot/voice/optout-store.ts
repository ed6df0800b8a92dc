// Who asked never to be listened to: a set of user ids kept in a small JSON file, written atomically.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

interface Stored {
  version: 1;
  /** User ids that ran /optout (and not /optin since). Never anything else about them. */
  optedOut: string[];
}

export class OptOutStore {
  private ids = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  private loaded: Promise<void> | null = null;

  constructor(readonly path: string) {}

  /** Reads the file once; a missing file is an empty list, a damaged one an error (never silently forget opt-outs). */
  load(): Promise<void> {
    return (this.loaded ??= (async () => {
      let text: string;
      try {
        text = await readFile(this.path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      const data = JSON.parse(text) as Partial<Stored>;
      if (!Array.isArray(data.optedOut)) throw new Error(`${this.path} is not an opt-out list`);
      this.ids = new Set(data.optedOut.filter((x): x is string => typeof x === 'string'));
    })());
  }

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Records the choice and resolves once it is on disk. Returns false when it already was. */
  async optOut(userId: string): Promise<boolean> {
    await this.load();
    if (this.ids.has(userId)) return false;
    this.ids.add(userId);
    await this.save();
    return true;
  }

  async optIn(userId: string): Promise<boolean> {
    await this.load();
    if (!this.ids.delete(userId)) return false;
    await this.save();
    return true;
  }

  private save(): Promise<void> {
    // One write at a time, each with the set as it is then; temp file + rename, so a crash mid-write
    // leaves the old list, never half of one.
    const next = this.saving.then(async () => {
      const body: Stored = { version: 1, optedOut: [...this.ids].sort() };
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
      await rename(tmp, this.path);
    });
    this.saving = next.catch(() => undefined);
    return next;
  }
}
