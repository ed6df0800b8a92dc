// voiced-spectrum.ts's and band-modulation.ts's loops in WebAssembly give the bits of the JavaScript they replaced, kept
// here as the reference.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { HOP } from '../../../src/core/features/frames.js';
import { normalised } from '../../../src/core/features/temporal.js';
import { finite, meanOf, stdOf } from '../../../src/core/features/value-stats.js';
import { BAND_GROUPS, bandModulation } from '../../../src/core/features/band-modulation.js';
import { N_MELS } from '../../../src/core/features/mel.js';
import { bandShare, modulationCentroid, modulationPower } from '../../../src/core/features/modulation.js';
import { percentileSorted } from '../../../src/core/features/stats.js';
import { parabola, slopeOf } from '../../../src/core/features/value-stats.js';
import { teager, voicedSpectrum } from '../../../src/core/features/voiced-spectrum.js';
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

const BAND_X = Float64Array.from({ length: N_MELS }, (_, m) => (m / (N_MELS - 1)) * 2 - 1);

/** voicedSpectrum() as it was in JavaScript before fft.wat's "speechSums". */
function voicedSpectrumReference(logmel: Float32Array, speech: Uint8Array, f0St: Float32Array): number[] {
  const voicedMean = new Float64Array(N_MELS);
  const unvoicedMean = new Float64Array(N_MELS);
  let nv = 0;
  let nu = 0;
  for (let t = 0; t < speech.length; t++) {
    if (!speech[t]) continue;
    const dst = f0St[t] !== 0 ? voicedMean : unvoicedMean;
    for (let m = 0; m < N_MELS; m++) dst[m] += logmel[t * N_MELS + m];
    if (f0St[t] !== 0) nv++; else nu++;
  }
  for (let m = 0; m < N_MELS; m++) { voicedMean[m] = nv ? voicedMean[m] / nv : 0; unvoicedMean[m] = nu ? unvoicedMean[m] / nu : 0; }
  const curve = parabola(BAND_X, voicedMean);
  const tiltU = nu ? slopeOf(BAND_X, unvoicedMean) : 0;
  const tiltV = nv ? slopeOf(BAND_X, voicedMean) : 0;
  const mv = meanOf(voicedMean);
  const mu = meanOf(unvoicedMean);
  const groupV = BAND_GROUPS.map(([lo, hi]) => meanOf(voicedMean.subarray(lo, hi)) - mv);
  const groupU = BAND_GROUPS.map(([lo, hi]) => meanOf(unvoicedMean.subarray(lo, hi)) - mu);
  return finite([tiltV, curve[2], tiltU, nv && nu ? tiltV - tiltU : 0, ...groupV, ...groupV.map((g, i) => (nv && nu ? g - groupU[i] : 0))]);
}

/** bandModulation() as it was in JavaScript before fft.wat's "groupLevel". */
function bandModulationReference(logmel: Float32Array, frames: number): number[] {
  const env = new Float64Array(frames);
  const out: number[] = [];
  for (const [lo, hi] of BAND_GROUPS) {
    for (let t = 0; t < frames; t++) {
      let s = 0;
      for (let m = lo; m < hi; m++) s += logmel[t * N_MELS + m];
      env[t] = s / (hi - lo);
    }
    const sorted = Float64Array.from(env).sort();
    const power = modulationPower(env, frames, percentileSorted(sorted, frames, 0.95));
    out.push(bandShare(power, 2, 4), bandShare(power, 4, 8), bandShare(power, 8, 16), modulationCentroid(power));
  }
  return finite(out);
}

/** A log-mel-like spectrogram (dB) with a random walk per band, frame-major. */
function logmelLike(frames: number, seed: number): Float32Array {
  const noise = whiteNoise((frames * N_MELS) / 16000, 16000, 1, seed);
  const out = new Float32Array(frames * N_MELS);
  for (let t = 0; t < frames; t++) for (let m = 0; m < N_MELS; m++) out[t * N_MELS + m] = -40 - m + 10 * noise[t * N_MELS + m] + (t > 0 ? 0.5 * (out[(t - 1) * N_MELS + m] + 40 + m) : 0);
  return out;
}

describe('voicedSpectrum and bandModulation', () => {
  it('equal the JavaScript bit for bit (1 to 400 frames; all, none and some frames speech and voiced)', () => {
    for (const frames of [1, 5, 127, 128, 129, 300, 400]) {
      const logmel = logmelLike(frames, frames);
      expect(bandModulation(logmel, frames)).toEqual(bandModulationReference(logmel, frames));
      const speeches = [new Uint8Array(frames).fill(1), new Uint8Array(frames), Uint8Array.from({ length: frames }, (_, t) => (t % 11 < 8 ? 1 : 0))];
      for (const speech of speeches) {
        for (const f0 of [voicing(frames, 2), new Float32Array(frames).fill(1), new Float32Array(frames)]) {
          expect(voicedSpectrum(logmel, speech, f0)).toEqual(voicedSpectrumReference(logmel, speech, f0));
        }
      }
    }
  });
});

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
