// CI's slice of the fuzz harness: a fixed seed, every natively decoded format, each case in a child with a deadline.
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../scripts/fuzz.js';
import { mutate, rngFor, unitsOf } from '../../scripts/fuzz/mutate.js';
import { FFMPEG, NO_FFMPEG_MESSAGE } from '../helpers/audio-fixtures.js';

describe('fuzz harness', () => {
  it('the same (seed, index) is the same case; another index is another', () => {
    const seed = new Uint8Array(4096).map((_, i) => i * 7);
    const units = unitsOf('wav', seed);
    const a = mutate(seed, 'wav', units, rngFor(5, 17));
    const b = mutate(seed, 'wav', units, rngFor(5, 17));
    const c = mutate(seed, 'wav', units, rngFor(5, 18));
    expect(b).toEqual(a);
    expect(c.bytes).not.toEqual(a.bytes);
  });

  it.skipIf(!FFMPEG)(
    'a fixed-seed slice: every case ends in success or a typed error within its deadline and memory budget',
    async () => {
      const r = await runFuzz({ iterations: 150, seed: 20261201, deadlineMs: 20_000, useFfmpeg: false });
      expect(r.failures).toEqual([]);
      for (const [format, f] of Object.entries(r.formats)) {
        expect(f.cases, format).toBe(50);
        // The slice must exercise both sides: intact-enough files that decode, and damage that is refused.
        expect(f.outcomes.ok ?? 0, format).toBeGreaterThan(0);
        expect(f.cases - (f.outcomes.ok ?? 0), format).toBeGreaterThan(0);
      }
      console.info(Object.entries(r.formats).map(([k, f]) => `${k}: ${JSON.stringify(f.outcomes)} p99 ${f.p99Ms.toFixed(0)} ms`).join('; '));
    },
    300_000,
  );
});

if (!FFMPEG) console.info(NO_FFMPEG_MESSAGE);
