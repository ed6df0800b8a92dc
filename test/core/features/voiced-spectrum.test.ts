// voiced-spectrum.ts's loops in WebAssembly give the bits of the JavaScript they replaced, kept here as the reference.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { HOP } from '../../../src/core/features/frames.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { meanOf, stdOf } from '../../../src/core/features/value-stats.js';
import { teager } from '../../../src/core/features/voiced-spectrum.js';
import { RAVDESS_DIR, ravdessFiles, whiteNoise } from '../../helpers/audio-fixtures.js';

/** teager() as voiced-spectrum.ts computed it in JavaScript before fft.wat's "teagerRatios". */
function teagerReference(x: Float32Array, f0St: Float32Array): number[] {
  const values: number[] = [];
  for (let t = 0; t < f0St.length; t++) {
    if (f0St[t] === 0) continue;
    const s0 = Math.max(1, t * HOP - 96);
    const s1 = Math.min(x.length - 1, t * HOP + 256);
    let te = 0;
    let p = 0;
    for (let i = s0; i < s1; i++) { te += x[i] * x[i] - x[i - 1] * x[i + 1]; p += x[i] * x[i]; }
    if (p > 0 && te > 0) values.push(Math.log(te / p));
  }
  const v = Float64Array.from(values);
  return [meanOf(v), stdOf(v)];
}

/** Voiced runs of 1–9 frames between unvoiced gaps, as a pitch track marks them (any non-zero F0 counts). */
function voicing(frames: number, seed: number): Float32Array {
  return Float32Array.from({ length: frames }, (_, t) => ((t * 7 + seed) % 13 < 9 ? 30 + (t % 5) : 0));
}

describe('teager', () => {
  it('equals the JavaScript bit for bit on noise, edges and chunk boundaries (clips of 1 to 400 frames, frames past the samples)', () => {
    for (const frames of [1, 2, 127, 128, 129, 300, 400]) {
      const x = whiteNoise((frames * HOP + 200) / 16000, 16000, 0.3, frames);
      for (const f0 of [voicing(frames, frames), new Float32Array(frames).fill(1), new Float32Array(frames)]) {
        expect(teager(x, f0)).toEqual(teagerReference(x, f0));
        // More frames than the samples cover, and a signal shorter than one frame's window.
        const longer = voicing(frames + 5, 3);
        expect(teager(x, longer)).toEqual(teagerReference(x, longer));
        expect(teager(x.subarray(0, 100), f0)).toEqual(teagerReference(x.subarray(0, 100), f0));
      }
    }
  });

  it.skipIf(!existsSync(RAVDESS_DIR))('equals the JavaScript bit for bit on real speech (12 RAVDESS clips)', async () => {
    for (const name of ravdessFiles(3).slice(0, 12)) {
      const bytes = readFileSync(join(RAVDESS_DIR, 'Actor_03', name));
      const x = normalised((await decodeAudio(new Uint8Array(bytes))).samples);
      const f0 = voicing(Math.ceil(x.length / HOP), name.length);
      const out = teager(x, f0);
      expect(out).toEqual(teagerReference(x, f0));
      expect(out[0]).not.toBe(0);
    }
  });
});
