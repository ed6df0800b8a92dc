// Modulation spectrum of a dB envelope (the level contour, or a band group's level): how fast it rises and falls.
import { ComplexFFT, splitTables } from '../dsp/fft.js';
import { FRAME_SECONDS } from './frames.js';

/** Envelope blocks of 256 frames (2.56 s), averaged Welch-style for longer clips. */
const MOD_BLOCK = 256;
/** Envelope floor relative to its loud (95th percentile) frames, so silent gaps do not dominate the modulation. */
const MOD_RANGE_DB = 50;
const HZ_PER_BIN = 1 / FRAME_SECONDS / MOD_BLOCK;

type ModulationExport = (n: number, radix2: number, tw: number, input: number, base: number, env: number, count: number, floor: number,
  cs: number, sn: number, pw: number, mg: number, pt: number, power: number) => void;
/** The real transform of MOD_BLOCK points as a complex one of half that, its kernel and its memory's layout. */
const half = new ComplexFFT(MOD_BLOCK / 2);
const modulationKernel = half.exports.modulationPower as ModulationExport;
const QUARTER = MOD_BLOCK / 4 + 1;
// Byte offsets past the transform's own memory: the split's cos and sin, one block's power (f64) and its f32
// power and magnitude (unused), the summed power, then the envelope (as long as the longest clip's).
const COS_AT = half.scratchAt;
const SIN_AT = COS_AT + 8 * QUARTER;
const PT_AT = SIN_AT + 8 * QUARTER;
const PW_AT = PT_AT + 8 * (MOD_BLOCK / 2 + 1);
const MG_AT = PW_AT + 4 * (MOD_BLOCK / 2 + 1);
const POWER_AT = MG_AT + 4 * (MOD_BLOCK / 2 + 1);
const ENV_AT = Math.ceil((POWER_AT + 8 * (MOD_BLOCK / 2)) / 16) * 16;
half.reserve(ENV_AT - half.scratchAt);
splitTables(MOD_BLOCK, new Float64Array(half.buffer, COS_AT, QUARTER), new Float64Array(half.buffer, SIN_AT, QUARTER));

/**
 * Power per modulation bin (MOD_BLOCK / 2 bins of HZ_PER_BIN) of env[0…n), floored MOD_RANGE_DB below `loud`
 * and centred on its mean, summed over 256-frame blocks (the last zero-padded). Zeros for no frames. In
 * WebAssembly (fft.wat's "modulationPower" with the power spectrogram's "spectrum", the same operations in the
 * same order as the JavaScript with RealFFT.forward that modulation.test keeps as the reference): called five
 * times per clip, its loops ran unoptimised on the CLI's first clips and were TurboFan-compiled with the split.
 */
export function modulationPower(env: Float64Array, n: number, loud: number): Float64Array {
  const power = new Float64Array(MOD_BLOCK / 2);
  if (n > 0) {
    half.reserve(ENV_AT + 8 * n - half.scratchAt);
    const buffer = half.buffer;
    new Float64Array(buffer, ENV_AT, n).set(env.subarray(0, n));
    modulationKernel(half.size, half.radix2, half.twiddleAt, half.inputAt, half.baseAt, ENV_AT, n, loud - MOD_RANGE_DB,
      COS_AT, SIN_AT, PW_AT, MG_AT, PT_AT, POWER_AT);
    power.set(new Float64Array(buffer, POWER_AT, MOD_BLOCK / 2));
  }
  return power;
}

/** Modulation power from lo to hi Hz. */
function bandPower(power: Float64Array, lo: number, hi: number): number {
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
