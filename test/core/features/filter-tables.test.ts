// The mel and chroma filterbanks are built once per process by loops that visit fewer cells than before (mel: the bins
// of each band only; chroma: no entry objects or sort). The builders they replaced are kept here as the reference:
// applied in JavaScript to real speech, their tables must give logMel and chromagram bit for bit (chromagram's
// scaling to each frame's largest class, now fft.wat's "chromaScale", as the JavaScript scaleToMax did it).
import { describe, expect, it } from 'vitest';
import { chromagram } from '../../../src/core/features/chroma.js';
import { BIN_HZ, FRAME_LENGTH, N_BINS } from '../../../src/core/features/frames.js';
import { hzToMel, logMel, melToHz, N_MELS } from '../../../src/core/features/mel.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { SAMPLE_RATE } from '../../../src/core/pcm.js';
import { concat, readRavdess } from '../../helpers/audio-fixtures.js';

const N_CHROMA = 12;

/** mel.ts's buildMelBank before, unchanged: band m's weights for bins start[m]…, as one list. */
function referenceMelBank(): { start: number[]; weights: number[][] } {
  const edges = Float64Array.from({ length: N_MELS + 2 }, (_, i) => melToHz((hzToMel(SAMPLE_RATE / 2) * i) / (N_MELS + 1)));
  const start: number[] = [];
  const weights: number[][] = [];
  for (let m = 0; m < N_MELS; m++) {
    const [lo, mid, hi] = [edges[m], edges[m + 1], edges[m + 2]];
    const enorm = 2 / (hi - lo);
    const band: number[] = [];
    start[m] = -1;
    for (let k = 0; k < N_BINS; k++) {
      const f = k * BIN_HZ;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w > 0) {
        if (start[m] < 0) start[m] = k;
        band.push(w * enorm);
      }
    }
    if (start[m] < 0) start[m] = 0;
    weights.push(band);
  }
  return { start, weights };
}

/** chroma.ts's buildChromaMap before, unchanged. */
function referenceChromaMap(): { c: number; k: number; w: number }[] {
  const octs = (hz: number): number => Math.log2(hz / (440 / 16));
  const frq = new Float64Array(FRAME_LENGTH);
  for (let k = 1; k < FRAME_LENGTH; k++) frq[k] = N_CHROMA * octs(k * BIN_HZ);
  frq[0] = frq[1] - 1.5 * N_CHROMA;
  const entries: { c: number; k: number; w: number }[] = [];
  const half = Math.round(N_CHROMA / 2);
  for (let k = 0; k < N_BINS; k++) {
    const width = Math.max(frq[k + 1] - frq[k], 1);
    const w = Array.from({ length: N_CHROMA }, (_, c) => {
      const d = ((((frq[k] - c + half + 10 * N_CHROMA) % N_CHROMA) + N_CHROMA) % N_CHROMA) - half;
      return Math.exp(-0.5 * ((2 * d) / width) ** 2);
    });
    const norm = Math.sqrt(w.reduce((a, v) => a + v * v, 0));
    const octave = Math.exp(-0.5 * ((frq[k] / N_CHROMA - 5) / 2) ** 2);
    for (let c = 0; c < N_CHROMA; c++) {
      const v = (w[c] / norm) * octave;
      if (v > 1e-3) entries.push({ c: (c + N_CHROMA - 3) % N_CHROMA, k, w: v });
    }
  }
  entries.sort((a, b) => a.c - b.c || a.k - b.k);
  return entries;
}

const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe('the filterbank tables', () => {
  it('give logMel as the old mel bank did, bit for bit, on real speech', () => {
    const spec = spectrogram(normalised(readRavdess(5).samples));
    const { start, weights } = referenceMelBank();
    const want = new Float32Array(spec.frames * N_MELS);
    let max = -Infinity;
    for (let t = 0; t < spec.frames; t++) {
      for (let m = 0; m < N_MELS; m++) {
        let e = 0;
        weights[m].forEach((w, j) => (e += w * spec.power[t * N_BINS + start[m] + j]));
        want[t * N_MELS + m] = (10 / Math.LN10) * Math.log(Math.max(e, 1e-10));
        max = Math.max(max, want[t * N_MELS + m]);
      }
    }
    for (let i = 0; i < want.length; i++) if (want[i] < max - 80) want[i] = max - 80;
    expect(bits(logMel(spec)).equals(bits(want))).toBe(true);
  });

  it('give chromagram as the old chroma map and scaling did, bit for bit, on real speech between digital silence (several chunks)', () => {
    const quiet = new Float32Array(8000);
    const spec = spectrogram(concat(quiet, normalised(readRavdess(12, 3).samples), quiet));
    expect(spec.frames).toBeGreaterThan(3 * 128);
    const entries = referenceChromaMap();
    const want = new Float32Array(spec.frames * N_CHROMA);
    for (let t = 0; t < spec.frames; t++) {
      const acc = new Float64Array(N_CHROMA);
      for (const e of entries) acc[e.c] += e.w * spec.power[t * N_BINS + e.k];
      const max = Math.max(0, ...acc);
      if (max > 0) for (let c = 0; c < N_CHROMA; c++) want[c * spec.frames + t] = acc[c] / max;
    }
    expect(bits(chromagram(spec)).equals(bits(want))).toBe(true);
  });
});
