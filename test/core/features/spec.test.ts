import { describe, expect, it } from 'vitest';
import { FEATURE_SPEC, FRAME_OFFSETS, LAYOUT, PROJECTED_FROM } from '../../../src/core/features/spec.js';

describe('FEATURE_SPEC', () => {
  it('has a version string like f1', () => {
    expect(FEATURE_SPEC.version).toMatch(/^f\d+$/);
  });

  it('names are unique and snake-case: 190 to 500 read as they are, then the frame offsets the model projects', () => {
    const names = FEATURE_SPEC.names;
    expect(new Set(names).size).toBe(names.length);
    expect(PROJECTED_FROM).toBeGreaterThanOrEqual(190);
    expect(PROJECTED_FROM).toBeLessThanOrEqual(500);
    expect(names.slice(PROJECTED_FROM)).toEqual(FRAME_OFFSETS);
    expect(FRAME_OFFSETS).toHaveLength(32 * 38);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('names every group the model needs', () => {
    const names = new Set(FEATURE_SPEC.names);
    for (const n of [
      'mfcc0_mean', 'mfcc3_mean', 'mfcc3_std', 'mfcc1_p90', 'mfcc19_std', 'dmfcc3_std', 'ddmfcc3_std',
      'centroid_mean', 'centroid_slope', 'bandwidth_mean', 'rolloff_mean', 'flatness_mean', 'flux_mean', 'zcr_mean',
      'rms_mean', 'rmsdb_p10', 'rmsdb_range', 'chroma0_mean', 'chroma11_std', 'contrast0_mean', 'contrast6_mean',
      'tonnetz0_mean', 'tonnetz5_std', 'hpss_harm_db_mean', 'hpss_perc_db_mean', 'hpss_harm_ratio_mean',
      'f0_mean', 'f0_std', 'f0_p10', 'f0_p50', 'f0_p90', 'f0_range', 'f0_slope', 'voiced_fraction', 'jitter',
      'shimmer', 'syllable_rate', 'pause_ratio', 'alpha_ratio_mean', 'hammarberg_mean',
      'formant_f1_mean', 'formant_f3_p50', 'formant_bw2_std', 'mel_rel0_mean', 'mel_rel39_std', 'dmel0_std', 'dmel39_std',
      'f0_curvature', 'f0_level_corr', 'near_loud_share', 'pauses_per_sec', 'band0_mod_4_8', 'band3_mod_centroid',
      'ltas_voiced_tilt', 'ltas_band3_voiced_minus_unvoiced', 'teager_mean', 'formant_dispersion', 'periodicity_p90',
      'frame_occupancy0', 'frame_occupancy31', 'fv0', 'fv1215',
    ]) {
      expect(names, n).toContain(n);
    }
  });

  it('is frozen, so no caller can change what a model was trained with', () => {
    expect(Object.isFrozen(FEATURE_SPEC)).toBe(true);
    expect(Object.isFrozen(FEATURE_SPEC.names)).toBe(true);
  });

  it('lays out exactly the named values', () => {
    const count = LAYOUT.reduce((n, e) => n + (e.kind === 'scalar' ? 1 : e.functionals.length), 0);
    expect(count).toBe(FEATURE_SPEC.names.length);
  });
});
