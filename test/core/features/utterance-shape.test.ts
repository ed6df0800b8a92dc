// f7's utterance-shape scalars: each on a contour whose answer is known, and on real speech (gain-invariant, finite).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { bandModulation } from '../../../src/core/features/band-modulation.js';
import { formantShape } from '../../../src/core/features/formant-shape.js';
import { FEATURE_SPEC, extractFeatures } from '../../../src/core/features/index.js';
import { levelShape } from '../../../src/core/features/level-shape.js';
import { N_MELS } from '../../../src/core/features/mel.js';
import { periodicity, pitchShape } from '../../../src/core/features/pitch-shape.js';
import { BAND_MODULATION, FORMANT_SHAPE, LEVEL_SHAPE, PERIODICITY, PITCH_SHAPE, TEAGER, VOICED_SPECTRUM } from '../../../src/core/features/spec.js';
import { teager, voicedSpectrum } from '../../../src/core/features/voiced-spectrum.js';
import { RAVDESS_DIR } from '../../helpers/audio-fixtures.js';
import { featureMap } from './signals.js';

const FRAMES = 200; // 2 s at 10 ms
const byName = (names: readonly string[], values: number[]): Record<string, number> => Object.fromEntries(names.map((n, i) => [n, values[i]]));

describe('pitchShape', () => {
  it('a rise-fall arch over 2 s: negative curvature, no residual, median-relative percentiles, runs rise on average', () => {
    // 30 + 4·(1 − u²) semitones over u ∈ −1…1: an arch 4 semitones high.
    const f0 = Float32Array.from({ length: FRAMES }, (_, t) => { const u = (2 * t) / (FRAMES - 1) - 1; return 30 + 4 * (1 - u * u); });
    const p = byName(PITCH_SHAPE, pitchShape(f0, new Float32Array(FRAMES)));
    expect(p.f0_curvature).toBeCloseTo(-4, 3);
    expect(p.f0_curve_residual).toBeLessThan(1e-3);
    expect(p.f0_p10_below_median).toBeLessThan(0);
    expect(p.f0_p90_above_median).toBeGreaterThan(0);
    expect(p.f0_run_slope_mean).toBeCloseTo(0, 3); // one run, symmetric: the line through it is flat
    expect(p.f0_run_range_mean).toBeCloseTo(4, 1);
  });

  it('two voiced stretches, one rising and one falling at 10 st/s: mean slope 0, magnitude 10, last −10', () => {
    const f0 = Float32Array.from({ length: 100 }, (_, t) => (t < 40 ? 30 + t * 0.1 : t >= 60 ? 40 - (t - 60) * 0.1 : 0));
    const p = byName(PITCH_SHAPE, pitchShape(f0, new Float32Array(100)));
    // (F0 tracks are float32: 4 decimals)
    expect(p.f0_run_slope_mean).toBeCloseTo(0, 4);
    expect(p.f0_run_slope_abs).toBeCloseTo(10, 4);
    expect(p.f0_last_run_slope).toBeCloseTo(-10, 4);
    expect(p.f0_second_diff).toBeCloseTo(0, 4);
  });

  it('F0 that follows the level correlates +1 with it; a wobble shows in the second difference', () => {
    const f0 = Float32Array.from({ length: FRAMES }, (_, t) => 30 + Math.sin(t / 3));
    const level = Float32Array.from(f0, (v) => 2 * v - 80);
    const p = byName(PITCH_SHAPE, pitchShape(f0, level));
    expect(p.f0_level_corr).toBeCloseTo(1, 5);
    expect(p.f0_second_diff).toBeGreaterThan(0.05);
  });

  it('no voiced frames: all zeros', () => {
    expect(pitchShape(new Float32Array(50), new Float32Array(50))).toEqual(new Array(PITCH_SHAPE.length).fill(0));
  });
});

describe('levelShape', () => {
  it('speech with two 0.2-s pauses: their mean length and rate; levels relative to the loud frames', () => {
    // 0.5 s speech, 0.2 s pause, 0.5 s speech, 0.2 s pause, 0.5 s speech = 1.9 s; speech frames alternate 0 and −10 dB.
    const frames = 190;
    const speech = Uint8Array.from({ length: frames }, (_, t) => (t % 70 < 50 ? 1 : 0));
    const level = Float32Array.from({ length: frames }, (_, t) => (speech[t] ? (t % 2 ? -10 : 0) : -60));
    const l = byName(LEVEL_SHAPE, levelShape(level, 0, speech, new Float32Array(frames)));
    expect(l.pause_mean).toBeCloseTo(0.2, 6);
    expect(l.pauses_per_sec).toBeCloseTo(2 / 1.89, 6);
    expect(l.near_loud_share).toBeCloseTo(0.5, 2);
    expect(l.level_p25_below_loud).toBe(-10);
    expect(l.level_p75_below_loud).toBe(0);
  });
});

describe('bandModulation', () => {
  it('a low band group beating at 5 Hz and a high one at 12 Hz: each in its own modulation band', () => {
    const logmel = new Float32Array(FRAMES * N_MELS);
    for (let t = 0; t < FRAMES; t++) for (let m = 0; m < N_MELS; m++) {
      const rate = m < 8 ? 5 : m >= 28 ? 12 : 0;
      logmel[t * N_MELS + m] = -30 + 10 * Math.sin((2 * Math.PI * rate * t) / 100);
    }
    const b = byName(BAND_MODULATION, bandModulation(logmel, FRAMES));
    expect(b.band0_mod_4_8).toBeGreaterThan(0.9);
    expect(b.band3_mod_8_16).toBeGreaterThan(0.9);
    expect(b.band0_mod_centroid).toBeLessThan(b.band3_mod_centroid);
    expect(b.band1_mod_2_4).toBe(0); // a steady band has no modulation
  });
});

describe('voicedSpectrum', () => {
  it('voiced frames falling with frequency, unvoiced rising: opposite tilts, low groups louder when voiced', () => {
    const logmel = new Float32Array(FRAMES * N_MELS);
    const f0 = Float32Array.from({ length: FRAMES }, (_, t) => (t % 2 ? 30 : 0));
    for (let t = 0; t < FRAMES; t++) for (let m = 0; m < N_MELS; m++) logmel[t * N_MELS + m] = f0[t] ? -m : m - 40;
    const v = byName(VOICED_SPECTRUM, voicedSpectrum(logmel, new Uint8Array(FRAMES).fill(1), f0));
    expect(v.ltas_voiced_tilt).toBeCloseTo(-(N_MELS - 1) / 2, 6); // −1 dB per band over x = −1…1
    expect(v.ltas_unvoiced_tilt).toBeCloseTo((N_MELS - 1) / 2, 6);
    expect(v.ltas_voiced_curvature).toBeCloseTo(0, 6);
    expect(v.ltas_voiced_band0).toBeGreaterThan(0);
    expect(v.ltas_band0_voiced_minus_unvoiced).toBeGreaterThan(0);
    expect(v.ltas_band3_voiced_minus_unvoiced).toBeLessThan(0);
  });

  it('Teager energy over power of a sine is 2·sin²ω: higher for a higher tone', () => {
    const frames = 100;
    const f0 = new Float32Array(frames).fill(30);
    const at = (hz: number) => teager(Float32Array.from({ length: frames * 160 + 512 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 16000)), f0);
    const w = (2 * Math.PI * 500) / 16000;
    const [mean500, std500] = at(500);
    expect(mean500).toBeCloseTo(Math.log(2 * Math.sin(w) ** 2), 2);
    expect(std500).toBeLessThan(0.05);
    expect(at(2000)[0]).toBeGreaterThan(mean500 + 2);
    expect(byName(TEAGER, at(500)).teager_mean).toBe(mean500);
  });
});

describe('formantShape and periodicity', () => {
  it('steady formants 500/1500/2500 Hz: dispersion 1000 Hz, F2/F1 log2 3 octaves, no F1 spread; unmeasured frames skipped', () => {
    const f = (hz: number) => Float32Array.from({ length: 20 }, (_, t) => (t % 4 === 0 ? Number.NaN : hz));
    const s = byName(FORMANT_SHAPE, formantShape([f(500), f(1500), f(2500)]));
    expect(s.formant_dispersion).toBeCloseTo(1000, 6);
    expect(s.formant_f2_f1_octaves).toBeCloseTo(Math.log2(3), 6);
    expect(s.formant_f1_octave_std).toBeCloseTo(0, 9);
    expect(formantShape([f(Number.NaN), f(1), f(1)])).toEqual([0, 0, 0]);
  });

  it('periodicity counts speech frames only', () => {
    const strength = Float32Array.from({ length: 10 }, (_, t) => t / 10 + 0.05);
    const speech = Uint8Array.from({ length: 10 }, (_, t) => (t >= 5 ? 1 : 0)); // 0.55 … 0.95
    const p = byName(PERIODICITY, periodicity(strength, speech));
    expect(p.strongly_periodic_share).toBeCloseTo(2 / 5, 9);
    expect(p.periodicity_p90).toBeCloseTo(0.91, 5);
  });
});

describe('on real speech', () => {
  it('every f7 shape scalar is finite and does not move when the recording is 20 dB quieter (float)', async () => {
    const path = join(RAVDESS_DIR, 'Actor_01', '03-01-05-02-01-01-01.wav');
    const x = (await decodeAudio(new Uint8Array(readFileSync(path)))).samples;
    const names = [...PITCH_SHAPE, ...LEVEL_SHAPE, ...BAND_MODULATION, ...VOICED_SPECTRUM, ...TEAGER, ...FORMANT_SHAPE, ...PERIODICITY];
    const a = featureMap(FEATURE_SPEC.names, extractFeatures(x));
    const b = featureMap(FEATURE_SPEC.names, extractFeatures(x.map((v) => v * 0.1)));
    for (const n of names) {
      expect(Number.isFinite(a[n]), n).toBe(true);
      expect(Math.abs(b[n] - a[n]), n).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(a[n])));
    }
    // Angry speech: the voice is near full level much of the time and its pitch moves.
    expect(a.near_loud_share).toBeGreaterThan(0.1);
    expect(a.f0_iqr).toBeGreaterThan(0.5);
  });
});
