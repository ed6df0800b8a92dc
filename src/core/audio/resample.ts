// Rate conversion to 16 kHz with a Kaiser-windowed sinc (polyphase) filter, and channel down-mixing.
//
// The anti-alias filter is sharp (70 dB, 1 kHz transition), ~200 taps per output in the direct form
// (5–6 ms CPU per audio-second). So downsampling runs it as an FFT convolution of polyphase branches:
// integer ratios (48k, 96k, 32k → 16k: what Discord's Opus and most recorders give) in one stage;
// other ratios (44.1k, 22.05k, 88.2k …) decimate by an integer first (below 40 kHz they only filter)
// and then finish with a short rational filter: the band is already limited, so its images
// are far away and a dozen taps stop them. Upsampling uses the direct polyphase form.
import { BlockDecimator, realFFT } from '../dsp/fft.js';
import { bumpLayout, embeddedKernel } from '../dsp/wasm.js';
import { SAMPLE_RATE } from '../pcm.js';
import { RESAMPLE_WASM } from './resample-wasm.js';

/** One channel of samples at whatever rate a container decoder produced, before resampling. */
export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** Average of the channels (equal length expected; the shortest wins). One channel is returned as is. */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  const scale = 1 / channels.length;
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i];
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

// 70 dB stopband is far below what 16-bit speech features can notice, and cheaper than 80+.
const STOPBAND_DB = 70;
// The -6 dB point sits at 15/16 of the lower Nyquist (7.5 kHz for 16 kHz output) and the
// transition is 1/8 of it wide, so the stopband begins exactly at Nyquist: nothing above
// 8 kHz folds back, and 0–7 kHz (where speech features live) passes flat.
const CUTOFF = 0.9375;
const TRANSITION = 0.125;
// A rational ratio whose rows would take more than this (odd rates: 47,999 Hz has 16,000 phases)
// tabulates a fixed grid of GRID_PHASES and interpolates between neighbouring rows instead.
const MAX_EXACT_BYTES = 512 << 10;
const GRID_PHASES = 256;
/** Filter banks kept for reuse, by total bytes (a bot meets a handful of rates; a hostile file cannot grow this). */
const CACHE_BYTES = 4 << 20;
/** Outputs of the direct form per call of its kernel: the kernel's window of input samples stays a few tens of kB. */
const POLYPHASE_CHUNK = 4096;

interface FilterBank {
  up: number; // L: output steps per `down` input steps
  down: number; // M
  phases: number; // rows in `coeffs` minus one
  exact: boolean; // phases === up, so every output phase has its own row
  half: number; // H: taps reach H-1 samples before and H samples after the output position
  taps: number; // 2H
  coeffs: Float32Array; // (phases + 1) × taps, each row sums to 1
}

/** Integer decimation by `factor`, its polyphase branches convolved by FFT. */
interface Decimator {
  factor: number; // D
  size: number; // B: FFT length
  branchTaps: number; // Q: taps per branch
  firstTap: number; // qmin: the first branch tap's offset, in output samples
  /** The blocks, with each branch's time-reversed taps as a half spectrum (bins 0…B/2). */
  blocks: BlockDecimator;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** The anti-alias band for converting between two rates: flat to 7/8 of the lower Nyquist, stopped from it. */
function sharpBand(fromRate: number, toRate: number): { pass: number; stop: number } {
  const nyquist = 0.5 * Math.min(fromRate, toRate);
  return { pass: (CUTOFF - TRANSITION / 2) * nyquist, stop: (CUTOFF + TRANSITION / 2) * nyquist };
}

/**
 * Kaiser-windowed sinc rows for output/input ratio up/down, with `fromRate` the input rate in Hz
 * (possibly fractional, after an integer pre-decimation), flat to `pass` Hz and 70 dB down from `stop` Hz.
 */
function designBank(up: number, down: number, fromRate: number, band: { pass: number; stop: number }): FilterBank {
  const fc = 0.5 * (band.pass + band.stop);
  const df = band.stop - band.pass;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  // Kaiser's length estimate, as a half-width in seconds so it is independent of the input rate.
  const halfSec = (STOPBAND_DB - 7.95) / (14.36 * df) / 2;
  const half = Math.max(2, Math.ceil(halfSec * fromRate));
  const taps = 2 * half;
  const exact = (up + 1) * taps * 4 <= MAX_EXACT_BYTES;
  const phases = exact ? up : GRID_PHASES;
  const coeffs = new Float32Array((phases + 1) * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    const row = p * taps;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const tau = (j - (half - 1) - frac) / fromRate; // seconds from the output instant
      const r = tau / halfSec;
      let c = 0;
      if (Math.abs(r) < 1) {
        const x = 2 * fc * tau;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        c = sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta);
      }
      coeffs[row + j] = c;
      sum += c;
    }
    for (let j = 0; j < taps; j++) coeffs[row + j] /= sum; // exact unity gain at DC for every phase
  }
  return { up, down, phases, exact, half, taps, coeffs };
}

/**
 * The FFT form of a one-row bank (up = 1): output n = Σ_j x[D·n − (H−1) + j]·c[j]. Tap j reads
 * branch p = (j − (H−1)) mod D at offset q = ⌊(j − (H−1))/D⌋, so out = Σ_p x_p ⋆ g_p.
 */
function designDecimator(bank: FilterBank): Decimator {
  const { down: factor, half, taps, coeffs } = bank;
  const firstTap = Math.floor(-(half - 1) / factor);
  const branchTaps = Math.floor(half / factor) - firstTap + 1;
  // ~8 outputs per tap: the FFT's cost per output is near its minimum there.
  let size = 256;
  while (size < 8 * branchTaps) size *= 2;
  const fft = realFFT(size);
  const spectraRe: Float64Array[] = [];
  const spectraIm: Float64Array[] = [];
  const reversed = new Float64Array(size);
  for (let p = 0; p < factor; p++) {
    reversed.fill(0);
    for (let i = 0; i < branchTaps; i++) {
      const j = factor * (firstTap + branchTaps - 1 - i) + p + half - 1;
      reversed[i] = j >= 0 && j < taps ? coeffs[j] : 0;
    }
    const re = new Float64Array(fft.bins);
    const im = new Float64Array(fft.bins);
    fft.forward(reversed, re, im);
    spectraRe.push(re);
    spectraIm.push(im);
  }
  return { factor, size, branchTaps, firstTap, blocks: new BlockDecimator(size, spectraRe, spectraIm) };
}

/** Bytes a decimator holds (its branch spectra live in its WebAssembly memory). */
const decimatorBytes = (d: Decimator): number => d.blocks.bytes;

/** A bank's direct form: its rows copied into a kernel instance (resample.wat), with room for a chunk's samples and outputs. */
interface Direct {
  bank: Omit<FilterBank, 'coeffs'>;
  /** The chunk's input samples, written by the caller. */
  window: Float32Array;
  out: Float32Array;
  run: (xFrom: number, xLen: number, count: number, base: number, num: number) => void;
  bytes: number;
}

const instantiate = embeddedKernel(RESAMPLE_WASM);

function directForm(bank: FilterBank): Direct {
  const { coeffs, ...rest } = bank;
  const { take, top } = bumpLayout();
  // A chunk's outputs read at most (count − 1)·down/up + taps samples (down/up < 2.5: see designPlan).
  const windowLength = Math.ceil(((POLYPHASE_CHUNK - 1) * bank.down) / bank.up) + bank.taps + 1;
  const cAt = take(coeffs.byteLength), xAt = take(4 * windowLength), outAt = take(4 * POLYPHASE_CHUNK);
  const { memory, exports } = instantiate(top());
  new Float32Array(memory.buffer, cAt, coeffs.length).set(coeffs);
  const kernel = exports.polyphase as (x: number, xFrom: number, xLen: number, c: number, taps: number, half: number, up: number, down: number,
    phases: number, exact: number, out: number, count: number, base: number, num: number) => void;
  const { taps, half, up, down, phases, exact } = bank;
  return {
    bank: rest,
    window: new Float32Array(memory.buffer, xAt, windowLength),
    out: new Float32Array(memory.buffer, outAt, POLYPHASE_CHUNK),
    run: (xFrom, xLen, count, base, num) => kernel(xAt, xFrom, xLen, cAt, taps, half, up, down, phases, exact ? 1 : 0, outAt, count, base, num),
    bytes: memory.buffer.byteLength,
  };
}

/** What resampling from one rate to another runs: an optional integer decimation, then a bank's direct form. */
interface Plan {
  decimator: Decimator | null;
  direct: Direct | null;
  bytes: number;
}

function designPlan(fromRate: number, toRate: number): Plan {
  const sharp = sharpBand(fromRate, toRate);
  if (fromRate % toRate === 0) {
    const decimator = designDecimator(designBank(1, fromRate / toRate, fromRate, sharp));
    return { decimator, direct: null, bytes: decimatorBytes(decimator) };
  }
  if (fromRate < toRate) {
    const direct = directForm(designBank(toRate / gcd(fromRate, toRate), fromRate / gcd(fromRate, toRate), fromRate, sharp));
    return { decimator: null, direct, bytes: direct.bytes };
  }
  // Downsampling by a non-integer ratio: the FFT stage takes the sharp filter and an integer factor
  // that leaves at least 1.25× the output rate (44.1k → 22.05k; below 40 kHz it only filters). What
  // it leaves lies below the output Nyquist, so the images the rational stage must stop begin at
  // (its input rate − output Nyquist): 7 kHz beyond the passband from 44.1k (14 taps), never less than
  // the sharp filter's 1 kHz (rates just above 16 kHz).
  const pre = Math.max(1, Math.floor(fromRate / (1.25 * toRate)));
  const decimator = designDecimator(designBank(1, pre, fromRate, sharp));
  const g = gcd(fromRate, toRate * pre);
  const mid = fromRate / pre;
  const direct = directForm(designBank((toRate * pre) / g, fromRate / g, mid, { pass: sharp.pass, stop: mid - 0.5 * toRate }));
  return { decimator, direct, bytes: direct.bytes + decimatorBytes(decimator) };
}

const plans = new Map<string, Plan>();
let cachedBytes = 0;

function planFor(fromRate: number, toRate: number): Plan {
  const key = `${fromRate}>${toRate}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = designPlan(fromRate, toRate);
    while (plans.size && cachedBytes + plan.bytes > CACHE_BYTES) {
      const oldest = plans.keys().next().value!;
      cachedBytes -= plans.get(oldest)!.bytes;
      plans.delete(oldest);
    }
    plans.set(key, plan);
    cachedBytes += plan.bytes;
  }
  return plan;
}

/** Bytes the cached filter plans hold (for tests: the cache is bounded). */
export function resamplerCacheBytes(): number {
  return cachedBytes;
}

/**
 * Resample to `toRate` (default 16 kHz). Returns the input itself when the rates already match.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number = SAMPLE_RATE): Float32Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`sample rates must be positive integers (got ${fromRate} → ${toRate})`);
  }
  if (fromRate === toRate) return samples;
  const plan = planFor(fromRate, toRate);
  const x = plan.decimator ? decimate(samples, plan.decimator) : samples;
  // The length is set by the overall ratio, whatever stages run (ceil, as one stage would give).
  return plan.direct ? polyphase(x, plan.direct, Math.ceil((samples.length * toRate) / fromRate)) : x;
}

/** `resample(samples, fromRate, 16000)`: the name live voice and training augmentation call. */
export function resampleTo16k(samples: Float32Array, fromRate: number): Float32Array {
  return resample(samples, fromRate, SAMPLE_RATE);
}

/**
 * Overlap-save over blocks of B − Q + 1 outputs: each branch's input segment is transformed,
 * multiplied by its taps' spectrum and summed; one inverse transform gives the block. Samples outside
 * the signal count as silence, exactly as in the direct form.
 */
function decimate(x: Float32Array, d: Decimator): Float32Array {
  const { size, branchTaps, factor, firstTap } = d;
  const out = new Float32Array(Math.ceil(x.length / factor));
  const valid = size - branchTaps + 1;
  for (let n0 = 0; n0 < out.length; n0 += valid) {
    d.blocks.block(x, factor * (n0 + firstTap), branchTaps - 1, Math.min(out.length - n0, valid), out, n0);
  }
  return out;
}

/**
 * The direct polyphase form, for rational ratios: one row per output phase (or two, interpolated), in WebAssembly
 * (resample.wat), a chunk of outputs at a time with the input samples they read copied into the kernel's memory.
 */
function polyphase(samples: Float32Array, k: Direct, outLength: number): Float32Array {
  const { up, down, half, taps } = k.bank;
  const out = new Float32Array(outLength);
  for (let n0 = 0; n0 < outLength; n0 += POLYPHASE_CHUNK) {
    const count = Math.min(POLYPHASE_CHUNK, outLength - n0);
    // Output n reads taps samples from base(n) − (H − 1), base(n) = ⌊n·down/up⌋ (num: the remainder, in units of 1/up).
    const num = (n0 * down) % up, base = (n0 * down - num) / up;
    const last = (n0 + count - 1) * down;
    const from = Math.max(0, base - (half - 1));
    const to = Math.min(samples.length, (last - (last % up)) / up - (half - 1) + taps);
    if (to > from) k.window.set(samples.subarray(from, to));
    k.run(from, samples.length, count, base, num);
    out.set(k.out.subarray(0, count), n0);
  }
  return out;
}
