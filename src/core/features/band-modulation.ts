// Modulation spectra of four band groups' levels: syllable rhythm low in the spectrum (vowels) and high (fricatives, bursts).
import { Reused } from '../dsp/reuse.js';
import { trackKernels } from '../dsp/fft.js';
import { N_MELS } from './mel.js';
import { bandShare, modulationCentroid, modulationPower } from './modulation.js';
import { percentileSorted } from './stats.js';
import { finite } from './value-stats.js';

/** Log-mel band groups: about 0–0.5, 0.5–1.2, 1.2–3 and 3–8 kHz. */
export const BAND_GROUPS: readonly (readonly [number, number])[] = [[0, 8], [8, 16], [16, 28], [28, 40]];

const GROUPS = BAND_GROUPS.length;
const reused = new Reused((n) => new Float64Array(n), (GROUPS + 1) * 4096);

type GroupLevelExport = (lm: number, n: number, nm: number, lo: number, hi: number, env: number) => void;
const groupLevel = trackKernels.exports.groupLevel as GroupLevelExport;
/** Frames per chunk of log-mel rows in the track kernels' memory (20 KB, whatever the clip's length). */
const CHUNK = 128;
// Byte offsets in the track kernels' memory: a chunk's level per group (f64), then its log-mel rows (f32).
const LEVELS_AT = 0;
const ROWS_AT = 8 * GROUPS * CHUNK;

/**
 * logmel: frame-major log-mel dB. Per band group (spec.ts BAND_MODULATION order): the share of its level's
 * modulation power in 2–4, 4–8 and 8–16 Hz, and its modulation centroid (Hz).
 */
export function bandModulation(logmel: Float32Array, frames: number): number[] {
  const buffers = reused.take((GROUPS + 1) * frames);
  groupLevels(logmel, frames, buffers);
  const sorted = buffers.subarray(GROUPS * frames, (GROUPS + 1) * frames);
  const out: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const env = buffers.subarray(g * frames, (g + 1) * frames);
    sorted.set(env);
    sorted.sort();
    const power = modulationPower(env, frames, percentileSorted(sorted, frames, 0.95));
    out.push(bandShare(power, 2, 4), bandShare(power, 4, 8), bandShare(power, 8, 16), modulationCentroid(power));
  }
  return finite(out);
}

/**
 * levels[g·frames + t]: the mean of group g's bands in frame t, in WebAssembly (fft.wat's "groupLevel", the same
 * sums in the same order), CHUNK frames at a time: in JavaScript the loop ran interpreted on the CLI's first clips
 * and was TurboFan-compiled (inlined, bandModulation's compile took ~7 ms per 30-file CLI run).
 */
function groupLevels(logmel: Float32Array, frames: number, levels: Float64Array): void {
  trackKernels.reserve(ROWS_AT + 4 * CHUNK * N_MELS);
  const buffer = trackKernels.buffer;
  const rows = new Float32Array(buffer, ROWS_AT, CHUNK * N_MELS);
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    rows.set(logmel.subarray(t0 * N_MELS, (t0 + n) * N_MELS));
    for (let g = 0; g < GROUPS; g++) {
      groupLevel(ROWS_AT, n, N_MELS, BAND_GROUPS[g][0], BAND_GROUPS[g][1], LEVELS_AT + 8 * g * CHUNK);
      levels.set(new Float64Array(buffer, LEVELS_AT + 8 * g * CHUNK, n), g * frames + t0);
    }
  }
}
