import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { pitchTrack } from '../../../src/core/features/pitch.js';
import { prosody, syllableNuclei, type Prosody } from '../../../src/core/features/prosody.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised, powerDb, speechMask } from '../../../src/core/features/temporal.js';
import { RAVDESS_DIR, concat, ravdessFiles, silence, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, gated, harmonicTone } from './signals.js';

function prosodyOf(x: Float32Array): Prosody {
  const y = normalised(x);
  const level = powerDb(spectrogram(y).meanSquare);
  const speech = speechMask(level);
  return prosody(pitchTrack(y, speech), level, speech);
}

/** A harmonic voice whose F0 (and level) is redrawn every 20 ms: spread ±`f0Spread`, ±`levelSpreadDb`. */
function wobblyVoice(sec: number, f0Spread: number, levelSpreadDb: number): Float32Array {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const x = new Float32Array(Math.round(sec * SR));
  let phase = 0;
  let f0 = 180;
  let gain = 1;
  for (let i = 0; i < x.length; i++) {
    if (i % 320 === 0) {
      f0 = 180 * (1 + 2 * f0Spread * rand());
      gain = 10 ** ((2 * levelSpreadDb * rand()) / 20);
    }
    phase += (2 * Math.PI * f0) / SR;
    x[i] = 0.2 * gain * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase));
  }
  return x;
}

describe('prosody', () => {
  it('a steady voice: all voiced, strongly periodic, no jitter, no shimmer, no pauses', () => {
    const p = prosodyOf(harmonicTone(180, 2));
    expect(p.voicedFraction).toBeGreaterThan(0.97);
    expect(p.voicingStrength).toBeGreaterThan(0.9);
    expect(p.jitter).toBeLessThan(0.002);
    expect(p.shimmer).toBeLessThan(0.1);
    expect(p.pauseRatio).toBeLessThan(0.02);
  });

  it('white noise: hardly any voiced frames and no syllables', () => {
    const p = prosodyOf(whiteNoise(2, SR, 0.3, 8));
    expect(p.voicedFraction).toBeLessThan(0.03);
    expect(p.syllableRate).toBe(0);
  });

  it('jitter and shimmer grow with cycle-to-cycle F0 and level variation', () => {
    const steady = prosodyOf(wobblyVoice(2, 0, 0));
    const rough = prosodyOf(wobblyVoice(2, 0.04, 2));
    expect(rough.jitter).toBeGreaterThan(steady.jitter + 0.005);
    expect(rough.shimmer).toBeGreaterThan(steady.shimmer + 0.3);
  });

  it('counts syllable-like bursts: 4 per second', () => {
    const p = prosodyOf(gated(harmonicTone(160, 3), 0.15, 0.1));
    expect(p.syllableRate).toBeGreaterThan(3.5);
    expect(p.syllableRate).toBeLessThan(4.5);
  });

  it('counts a 5 Hz loudness modulation without silences as 5 syllables per second', () => {
    const x = harmonicTone(200, 3).map((v, i) => v * (0.55 + 0.45 * Math.cos((2 * Math.PI * 5 * i) / SR)));
    const p = prosodyOf(x);
    expect(p.syllableRate).toBeGreaterThan(4.5);
    expect(p.syllableRate).toBeLessThan(5.5);
    expect(p.pauseRatio).toBeLessThan(0.05);
  });

  it('counts about 7 syllables in RAVDESS sentences ("Kids are talking by the door": 7)', async () => {
    const counts: number[] = [];
    for (const actor of [1, 2, 7, 12]) {
      for (const name of ravdessFiles(actor).filter((_, i) => i % 15 === 0)) {
        const bytes = readFileSync(join(RAVDESS_DIR, `Actor_${String(actor).padStart(2, '0')}`, name));
        const y = normalised((await decodeAudio(new Uint8Array(bytes))).samples);
        const level = powerDb(spectrogram(y).meanSquare);
        const speech = speechMask(level);
        counts.push(syllableNuclei(level, speech, pitchTrack(y, speech).f0));
      }
    }
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(5.5);
    expect(mean).toBeLessThan(7.5);
    for (const c of counts) expect(c).toBeGreaterThanOrEqual(3);
  });

  it('pause ratio is the silent share of the clip', () => {
    const voice = harmonicTone(160, 1);
    const p = prosodyOf(concat(voice, silence(1, SR), voice, silence(1, SR)));
    // 2 s of 4 are silent; the 32 ms frames straddling each edge count as speech.
    expect(p.pauseRatio).toBeGreaterThan(0.45);
    expect(p.pauseRatio).toBeLessThan(0.5);
  });

  it('is all pause and nothing else for silence', () => {
    const { pauseRatio, ...rest } = prosodyOf(new Float32Array(SR));
    expect(pauseRatio).toBe(1);
    expect(Object.values(rest).every((v) => v === 0)).toBe(true);
  });
});
