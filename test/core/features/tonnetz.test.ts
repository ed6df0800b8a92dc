import { describe, expect, it } from 'vitest';
import { chromagram } from '../../../src/core/features/chroma.js';
import { N_CHROMA, N_TONNETZ } from '../../../src/core/features/spec.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { tonnetz } from '../../../src/core/features/tonnetz.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { readRavdess, tone } from '../../helpers/audio-fixtures.js';
import { SR, note } from './signals.js';

/** Tonnetz of pitch class c alone (Harte et al.): fifths, minor thirds (r = 1), major thirds (r = 0.5). */
function expected(c: number): number[] {
  return [
    Math.sin((c * 7 * Math.PI) / 6), Math.cos((c * 7 * Math.PI) / 6),
    Math.sin((c * 3 * Math.PI) / 2), Math.cos((c * 3 * Math.PI) / 2),
    0.5 * Math.sin((c * 2 * Math.PI) / 3), 0.5 * Math.cos((c * 2 * Math.PI) / 3),
  ];
}

describe('tonnetz', () => {
  it('maps each single pitch class to its point on the three circles', () => {
    for (let c = 0; c < N_CHROMA; c++) {
      const chroma = new Float32Array(N_CHROMA);
      chroma[c] = 0.7; // scale does not matter: chroma is L1-normalised first
      const t = tonnetz(chroma, 1);
      expected(c).forEach((v, d) => expect(t[d], `class ${c} dim ${d}`).toBeCloseTo(v, 6));
    }
  });

  it('averages the points of a chord (C major: C, E, G)', () => {
    const chroma = new Float32Array(N_CHROMA);
    for (const c of [0, 4, 7]) chroma[c] = 1;
    const t = tonnetz(chroma, 1);
    const want = [0, 4, 7].map(expected).reduce((a, b) => a.map((v, i) => v + b[i])).map((v) => v / 3);
    want.forEach((v, d) => expect(t[d]).toBeCloseTo(v, 6));
  });

  // A tone's chroma leaks into the neighbouring classes (31 Hz bins), which pulls its point towards
  // the centre, but the nearest single-class point is still its own (A4 and up; lower notes smear).
  for (const [semis, cls] of [[0, 9], [3, 0], [7, 4], [10, 7], [14, 11]] as const) {
    it(`puts a ${note(semis).toFixed(0)} Hz tone nearest to pitch class ${cls}’s point`, () => {
      const spec = spectrogram(tone(note(semis), 0.5, SR));
      const t = tonnetz(chromagram(spec), spec.frames);
      const mid = spec.frames >> 1;
      const point = Array.from({ length: N_TONNETZ }, (_, d) => t[d * spec.frames + mid]);
      const dist = Array.from({ length: N_CHROMA }, (_, c) => Math.hypot(...expected(c).map((v, d) => v - point[d])));
      expect(dist.indexOf(Math.min(...dist))).toBe(cls);
    });
  }

  it('is zero for an all-zero chroma frame', () => {
    expect(Array.from(tonnetz(new Float32Array(N_CHROMA), 1))).toEqual(new Array(N_TONNETZ).fill(0));
  });

  it.each([1, 97, 1024, 1025, 2100])('gives the same bits as the JavaScript loop it replaced (kept here), on %i frames of random chroma (chunks of 1024)', (frames) => {
    let seed = 3 + frames;
    const chroma = Float32Array.from({ length: N_CHROMA * frames }, (_, i) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      // Silent frames (l1 = 0) at every 5th frame, a zero class here and there.
      return i % frames === 5 || i % 7 === 0 ? 0 : seed / 2 ** 32;
    });
    expectReference(chroma, frames);
  });

  it('gives the same bits as the JavaScript loop it replaced on real speech', () => {
    const spec = spectrogram(normalised(readRavdess(7, 2).samples));
    expectReference(chromagram(spec), spec.frames);
  });
});

const PHI = [7 / 6, 3 / 2, 2 / 3].flatMap((scale, a) => {
  const r = a === 2 ? 0.5 : 1;
  return [Array.from({ length: N_CHROMA }, (_, c) => r * Math.sin(Math.PI * scale * c)), Array.from({ length: N_CHROMA }, (_, c) => r * Math.cos(Math.PI * scale * c))];
});

/** tonnetz.ts's loop before the kernel (one in-order sum per dimension, as before its six sums ran side by side). */
function expectReference(chroma: Float32Array, frames: number): void {
  const got = tonnetz(chroma, frames);
  const want = new Float32Array(N_TONNETZ * frames);
  for (let t = 0; t < frames; t++) {
    let l1 = 0;
    for (let c = 0; c < N_CHROMA; c++) l1 += Math.abs(chroma[c * frames + t]);
    if (l1 === 0) continue;
    for (let d = 0; d < N_TONNETZ; d++) {
      let s = 0;
      for (let c = 0; c < N_CHROMA; c++) s += PHI[d][c] * chroma[c * frames + t];
      want[d * frames + t] = s / l1;
    }
  }
  expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
}
