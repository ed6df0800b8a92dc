// mel.ts's floor and log-mel tracks in WebAssembly (fft.wat "floorBelow" and "melTracks") against the JavaScript
// loops they replaced (floorAt, melFlux, extract.ts's transposeRelative), kept here as the reference: every f32
// must be bit-identical, on real speech and on rows built to hit the edge cases, across the kernel's chunks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { floorAt, logMel, melFlux, melTracks, N_MELS } from '../../../src/core/features/mel.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { RAVDESS_DIR, concat, ravdessFiles } from '../../helpers/audio-fixtures.js';

/** mel.ts's floorAt before the kernel, unchanged. */
function referenceFloor(x: Float32Array, floor: number): Float32Array {
  for (let i = 0; i < x.length; i++) if (x[i] < floor) x[i] = floor;
  return x;
}

/** mel.ts's melFlux before the kernel, unchanged. */
function referenceFlux(logmel: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let t = 1; t < frames; t++) {
    let s = 0;
    for (let m = 0; m < N_MELS; m++) {
      const d = logmel[t * N_MELS + m] - logmel[(t - 1) * N_MELS + m];
      s += (d + Math.abs(d)) * 0.5;
    }
    out[t] = s / N_MELS;
  }
  return out;
}

/** extract.ts's transposeRelative before the kernel, unchanged. */
function referenceBands(logmel: Float32Array, frames: number): { bandMajor: Float32Array; relative: Float32Array } {
  const bandMajor = new Float32Array(N_MELS * frames);
  const relative = new Float32Array(N_MELS * frames);
  for (let t = 0; t < frames; t++) {
    let mean = 0;
    for (let m = 0; m < N_MELS; m++) mean += logmel[t * N_MELS + m];
    mean /= N_MELS;
    for (let m = 0; m < N_MELS; m++) {
      bandMajor[m * frames + t] = logmel[t * N_MELS + m];
      relative[m * frames + t] = logmel[t * N_MELS + m] - mean;
    }
  }
  return { bandMajor, relative };
}

const bits = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

function expectSameTracks(logmel: Float32Array, frames: number): void {
  const got = melTracks(logmel, frames);
  const want = referenceBands(logmel, frames);
  expect(bits(got.flux).equals(bits(referenceFlux(logmel, frames)))).toBe(true);
  expect(bits(got.bandMajor).equals(bits(want.bandMajor))).toBe(true);
  expect(bits(got.relative).equals(bits(want.relative))).toBe(true);
}

/** Random dB rows with repeated frames (d = 0), −0, equal bands and large and tiny values. */
function rows(frames: number, seed: number): Float32Array {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const x = new Float32Array(frames * N_MELS);
  for (let i = 0; i < x.length; i++) {
    const r = next();
    if (i >= N_MELS && Math.floor(i / N_MELS) % 7 === 3) x[i] = x[i - N_MELS];
    else x[i] = r < 0.05 ? -0 : r < 0.1 ? 1e-30 : r < 0.15 ? -79.99999 : next() * 120 - 100;
  }
  return x;
}

/** Real speech: RAVDESS clips of two actors joined (~1,100 frames, three kernel chunks), normalised as the analysis does. */
async function speech(): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (const actor of [3, 16]) {
    for (const name of ravdessFiles(actor).filter((_, i) => i % 20 === 0).slice(0, 2)) {
      const bytes = readFileSync(join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, name));
      parts.push((await decodeAudio(new Uint8Array(bytes))).samples);
    }
  }
  return normalised(concat(...parts));
}

describe('melTracks (WebAssembly) against the JavaScript it replaced', () => {
  it('is bit-identical on the log-mel rows of real speech, over several chunks, and one chunk of it', async () => {
    const spec = spectrogram(await speech());
    expect(spec.frames).toBeGreaterThan(1024);
    const logmel = logMel(spec);
    expectSameTracks(logmel, spec.frames);
    expectSameTracks(logmel.subarray(0, 300 * N_MELS), 300);
  });

  it.each([0, 1, 2, 3, 511, 512, 513, 1025])('is bit-identical on %i frames of edge-case rows', (frames) => {
    for (let seed = 1; seed <= 3; seed++) expectSameTracks(rows(frames, seed * 7919 + frames), frames);
  });

  it('melFlux is the flux alone', () => {
    const x = rows(600, 5);
    expect(bits(melFlux(x, 600)).equals(bits(melTracks(x, 600).flux))).toBe(true);
  });
});

describe('floorAt (WebAssembly) against the JavaScript it replaced', () => {
  it('floors real speech\'s log-mel rows, rows below and at the floor and ±0, bit for bit, over several chunks', async () => {
    const logmel = logMel(spectrogram(await speech()));
    const max = Math.max(...logmel);
    // Floors inside the speech's range (many cells change), just at its values, and a double that is not a float.
    for (const floor of [max - 30, max - 60.000001, logmel[777], -0, 1e-40, max + 1]) {
      const want = referenceFloor(logmel.slice(), floor);
      expect(bits(floorAt(logmel.slice(), floor)).equals(bits(want))).toBe(true);
    }
    for (const frames of [0, 1, 512, 513, 1300]) {
      const x = rows(frames, frames + 3);
      expect(bits(floorAt(x.slice(), -50.5)).equals(bits(referenceFloor(x.slice(), -50.5)))).toBe(true);
    }
  });
});
