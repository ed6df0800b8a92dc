import { describe, expect, it } from 'vitest';
import { chromagram, chromaOfLoaded } from '../../../src/core/features/chroma.js';
import { logMel } from '../../../src/core/features/mel.js';
import { N_CHROMA } from '../../../src/core/features/spec.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { tone } from '../../helpers/audio-fixtures.js';
import { SR, note } from './signals.js';

const PITCH_CLASS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** Chroma vector of the middle frame. */
function chromaOf(x: Float32Array): number[] {
  const spec = spectrogram(x);
  const c = chromagram(spec);
  const t = spec.frames >> 1;
  return Array.from({ length: N_CHROMA }, (_, i) => c[i * spec.frames + t]);
}

describe('chromagram', () => {
  it('puts a 440 Hz tone at A', () => {
    const c = chromaOf(tone(440, 0.5, SR));
    expect(PITCH_CLASS[c.indexOf(Math.max(...c))]).toBe('A');
    expect(Math.max(...c)).toBe(1);
  });

  // Semitones from A4. From A4 up the 31 Hz bins resolve a semitone; lower notes smear into neighbours.
  for (const [semis, name] of [[3, 'C'], [7, 'E'], [10, 'G'], [14, 'B'], [17, 'D']] as const) {
    it(`puts ${note(semis).toFixed(1)} Hz at ${name}`, () => {
      const c = chromaOf(tone(note(semis), 0.5, SR));
      expect(PITCH_CLASS[c.indexOf(Math.max(...c))]).toBe(name);
    });
  }

  it('is zero for a silent frame', () => {
    expect(chromaOf(new Float32Array(1600)).every((v) => v === 0)).toBe(true);
  });

  it('comes out the same from the mel bands\' chunks (logMel\'s alsoOfChunk) as on its own, bit for bit, over several chunks', () => {
    // 3 s of a chord with noise: 301 frames, chunks of 128, 128 and 45.
    const x = Float32Array.from({ length: 3 * SR }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 261.6 * i) / SR) + 0.2 * Math.sin((2 * Math.PI * 392 * i) / SR) + 0.05 * Math.sin(i * i * 1e-3));
    const spec = spectrogram(x);
    const alone = chromagram(spec);
    const shared = new Float32Array(spec.frames * N_CHROMA);
    const logmel = logMel(spec, (t0, n) => chromaOfLoaded(t0, n, shared, spec.frames));
    expect(Buffer.from(shared.buffer).equals(Buffer.from(alone.buffer))).toBe(true);
    expect(Buffer.from(logmel.buffer).equals(Buffer.from(logMel(spec).buffer))).toBe(true);
    expect(spec.frames).toBeGreaterThan(256);
  });
});
