// The opt-out list: survives a restart, is written whole (temp file + rename), and a damaged file is an error, not an empty list.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OptOutStore } from '../../../src/bot/voice/optout-store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ser-optout-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('remembers opt-outs across restarts and forgets them on opt-in', async () => {
  const path = join(dir, 'nested', 'optout.json');
  const a = new OptOutStore(path);
  expect(await a.optOut('111')).toBe(true);
  expect(await a.optOut('111')).toBe(false);
  await a.optOut('222');
  const b = new OptOutStore(path);
  await b.load();
  expect(b.has('111') && b.has('222')).toBe(true);
  expect(await b.optIn('111')).toBe(true);
  expect(await b.optIn('111')).toBe(false);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, optedOut: ['222'] });
  expect(readdirSync(join(dir, 'nested'))).toEqual(['optout.json']); // no temp file left behind
});

it('keeps every change when many arrive at once', async () => {
  const path = join(dir, 'optout.json');
  const s = new OptOutStore(path);
  await Promise.all(Array.from({ length: 25 }, (_, i) => s.optOut(String(1000 + i))));
  expect(JSON.parse(readFileSync(path, 'utf8')).optedOut).toHaveLength(25);
});

it('refuses a damaged file instead of silently forgetting who opted out', async () => {
  const path = join(dir, 'optout.json');
  writeFileSync(path, '{"optedOut": [');
  await expect(new OptOutStore(path).load()).rejects.toThrow();
  writeFileSync(path, '{"something": 1}');
  await expect(new OptOutStore(path).load()).rejects.toThrow(/not an opt-out list/);
});
