// modulationPower in WebAssembly gives the bits of the JavaScript (with RealFFT.forward) it replaced, kept here as the reference.
import { describe, expect, it } from 'vitest';
import { realFFT } from '../../../src/core/dsp/fft.js';
import { modulationPower } from '../../../src/core/features/modulation.js';
import { whiteNoise } from '../../helpers/audio-fixtures.js';

/** modulationPower() as modulation.ts computed it in JavaScript before fft.wat's "modulationPower". */
function reference(env: Float64Array, n: number, loud: number): Float64Array {
  const fft = realFFT(256);
  const block = new Float64Array(256);
  const re = new Float64Array(fft.bins);
  const im = new Float64Array(fft.bins);
  const power = new Float64Array(128);
  if (n > 0) {
    const floor = loud - 50;
    let m = 0;
    for (let t = 0; t < n; t++) m += Math.max(env[t], floor);
    m /= n;
    for (let start = 0; start < n; start += 256) {
      for (let i = 0; i < 256; i++) block[i] = start + i < n ? Math.max(env[start + i], floor) - m : 0;
      fft.forward(block, re, im);
      for (let k = 0; k < 128; k++) power[k] += re[k] ** 2 + im[k] ** 2;
    }
  }
  return power;
}

/** A dB envelope around -30 dB with syllable-rate ripple, noise and silent gaps far below the floor. */
function envelope(frames: number, seed: number): Float64Array {
  const noise = whiteNoise(frames / 16000 + 0.001, 16000, 1, seed);
  return Float64Array.from({ length: frames }, (_, t) => (t % 97 < 9 ? -120 : -30 + 8 * Math.sin(t / 4) + 3 * noise[t]));
}

describe('modulationPower', () => {
  it('equals the JavaScript bit for bit (0 to 3,000 frames: one block, part of one, several; a longer buffer than n)', () => {
    for (const frames of [0, 1, 100, 255, 256, 257, 375, 3000]) {
      for (const loud of [-20, -80]) {
        const env = envelope(frames + 10, frames);
        expect(Array.from(modulationPower(env, frames, loud))).toEqual(Array.from(reference(env, frames, loud)));
      }
    }
  });
});
