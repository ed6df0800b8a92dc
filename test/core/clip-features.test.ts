import { describe, expect, it } from 'vitest';
import { speechOnly } from '../../src/core/audio/vad.js';
import { clipFeatures, clipFrameVectors } from '../../src/core/clip-features.js';
import { extractFeatures, loudness } from '../../src/core/features/extract.js';
import { frameMixtureFeatures } from '../../src/core/features/frame-mixture.js';
import { FEATURE_SPEC, FRAME_OCCUPANCY } from '../../src/core/features/spec.js';
import { pcm } from '../../src/core/pcm.js';
import { concat, silence, tone, whiteNoise } from '../helpers/audio-fixtures.js';

const SR = 16000;

describe('clipFeatures', () => {
  it('gives the features and the level each function computes alone (one moments() pass serves both)', () => {
    const voice = concat(silence(0.4, SR), tone(220, 0.8, SR, 0.2).map((v, i) => v + 0.01 * Math.sin(i) + 0.003), silence(0.3, SR));
    for (const samples of [voice, whiteNoise(1.2, SR, 0.05, 7), silence(0.5, SR)]) {
      const p = pcm(samples);
      const speech = speechOnly(p).samples;
      const used = speech.length ? speech : samples;
      const c = clipFeatures(p);
      expect(c.features).toEqual(extractFeatures(used));
      expect(c.rmsDb).toBe(loudness(used).rmsDb);
    }
  });

  it('the frames the frame mixture is fitted on (clipFrameVectors) are the ones the features score', () => {
    const voice = concat(silence(0.4, SR), tone(220, 0.8, SR, 0.2).map((v, i) => v + 0.01 * Math.sin(i) + 0.003), silence(0.3, SR), whiteNoise(0.5, SR, 0.05, 3));
    const at = FEATURE_SPEC.names.indexOf(FRAME_OCCUPANCY[0]);
    for (const samples of [voice, whiteNoise(1.2, SR, 0.05, 7), silence(0.5, SR)]) {
      const p = pcm(samples);
      expect(clipFeatures(p).features.subarray(at)).toEqual(Float32Array.from(frameMixtureFeatures(clipFrameVectors(p))));
    }
  });
});
