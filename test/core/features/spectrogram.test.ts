import { describe, expect, it } from 'vitest';
import { FRAME_LENGTH, N_BINS, frameCount } from '../../../src/core/features/frames.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { whiteNoise } from '../../helpers/audio-fixtures.js';
import { referencePower } from './reference.js';
import { SR } from './signals.js';

describe('spectrogram', () => {
  it('has one centred frame per hop plus one', () => {
    expect(frameCount(0)).toBe(0);
    expect(frameCount(1)).toBe(1);
    expect(frameCount(SR)).toBe(101);
    expect(spectrogram(new Float32Array(SR)).frames).toBe(101);
  });

  it('matches a direct DFT of the windowed frame, including DC, Nyquist and the padded edges', () => {
    const x = whiteNoise(0.2, SR, 0.5, 11);
    const spec = spectrogram(x);
    for (const t of [0, 1, 7, spec.frames - 1]) {
      const ref = referencePower(x, t);
      const scale = Math.max(...ref);
      for (let k = 0; k < N_BINS; k++) {
        expect(Math.abs(spec.power[t * N_BINS + k] - ref[k]), `frame ${t} bin ${k}`).toBeLessThan(1e-5 * scale);
        expect(spec.magnitude[t * N_BINS + k] ** 2).toBeCloseTo(spec.power[t * N_BINS + k], 3);
      }
    }
  });

  it('puts a bin-centred tone in its bin', () => {
    const k0 = 32; // 1 kHz
    const x = new Float32Array(SR).map((_, i) => Math.sin((2 * Math.PI * k0 * i) / FRAME_LENGTH));
    const spec = spectrogram(x);
    const row = Array.from(spec.power.subarray(50 * N_BINS, 51 * N_BINS));
    expect(row.indexOf(Math.max(...row))).toBe(k0);
  });
});
