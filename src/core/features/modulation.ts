// Modulation spectrum of a dB envelope (the level contour, or a band group's level): how fast it rises and falls.
import { realFFT } from '../dsp/fft.js';
import { FRAME_SECONDS } from './frames.js';

/** Envelope blocks of 256 frames (2.56 s), averaged Welch-style for longer clips. */
const MOD_BLOCK = 256;
/** Envelope floor relative to its loud (95th percentile) frames, so silent gaps do not dominate the modulation. */
const MOD_RANGE_DB = 50;
const HZ_PER_BIN = 1 / FRAME_SECONDS / MOD_BLOCK;

const fft = realFFT(MOD_BLOCK);
const block = new Float64Array(MOD_BLOCK);
const spectrumRe = new Float64Array(fft.bins);
const spectrumIm = new Float64Array(fft.bins);

/**
 * Power per modulation bin (MOD_BLOCK / 2 bins of HZ_PER_BIN) of env[0…n), floored MOD_RANGE_DB below `loud`
 * and centred on its mean, summed over 256-frame blocks (the last zero-padded). Zeros for no frames.
 */
export function modulationPower(env: Float64Array, n: number, loud: number): Float64Array {
  const power = new Float64Array(MOD_BLOCK / 2);
  if (n > 0) {
    const floor = loud - MOD_RANGE_DB;
    let m = 0;
    for (let t = 0; t < n; t++) m += Math.max(env[t], floor);
    m /= n;
    for (let start = 0; start < n; start += MOD_BLOCK) {
      for (let i = 0; i < MOD_BLOCK; i++) block[i] = start + i < n ? Math.max(env[start + i], floor) - m : 0;
      fft.forward(block, spectrumRe, spectrumIm);
      for (let k = 0; k < MOD_BLOCK / 2; k++) power[k] += spectrumRe[k] ** 2 + spectrumIm[k] ** 2;
    }
  }
  return power;
}

/** Modulation power from lo to hi Hz. */
export function bandPower(power: Float64Array, lo: number, hi: number): number {
  let s = 0;
  for (let k = Math.ceil(lo / HZ_PER_BIN); k < Math.min(MOD_BLOCK / 2, hi / HZ_PER_BIN); k++) s += power[k];
  return s;
}

/** Share of the 0.5–50 Hz modulation power from lo to hi Hz. */
export function bandShare(power: Float64Array, lo: number, hi: number): number {
  return bandPower(power, lo, hi) / (bandPower(power, 0.5, 50) + 1e-9);
}

/** Power-weighted mean modulation frequency (Hz), bin 0 (the mean) left out. */
export function modulationCentroid(power: Float64Array): number {
  let centroid = 0;
  let sum = 0;
  for (let k = 1; k < MOD_BLOCK / 2; k++) { centroid += power[k] * k * HZ_PER_BIN; sum += power[k]; }
  return centroid / (sum + 1e-9);
}
