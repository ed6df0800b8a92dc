// Rate conversion to 16 kHz with a Kaiser-windowed sinc (polyphase) filter, and channel down-mixing.
import { SAMPLE_RATE } from '../pcm.js';

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
// Above this many phases, tabulate a fixed grid and interpolate between neighbouring phases.
const MAX_EXACT_PHASES = 2048;

interface FilterBank {
  up: number; // L: output steps per `down` input steps
  down: number; // M
  phases: number; // rows in `coeffs` minus one
  exact: boolean; // phases === up, so every output phase has its own row
  half: number; // H: taps reach H-1 samples before and H samples after the output position
  taps: number; // 2H
  coeffs: Float32Array; // (phases + 1) × taps, each row sums to 1
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

function designBank(fromRate: number, toRate: number): FilterBank {
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const nyquist = 0.5 * Math.min(fromRate, toRate);
  const fc = CUTOFF * nyquist;
  const df = TRANSITION * nyquist;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  // Kaiser's length estimate, as a half-width in seconds so it is independent of the input rate.
  const halfSec = (STOPBAND_DB - 7.95) / (14.36 * df) / 2;
  const half = Math.max(2, Math.ceil(halfSec * fromRate));
  const taps = 2 * half;
  const exact = up <= MAX_EXACT_PHASES;
  const phases = exact ? up : MAX_EXACT_PHASES;
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

const banks = new Map<string, FilterBank>();

function bankFor(fromRate: number, toRate: number): FilterBank {
  const key = `${fromRate}>${toRate}`;
  let bank = banks.get(key);
  if (!bank) {
    bank = designBank(fromRate, toRate);
    if (banks.size >= 16) banks.delete(banks.keys().next().value!);
    banks.set(key, bank);
  }
  return bank;
}

function dot(x: Float32Array, start: number, c: Float32Array, row: number, taps: number): number {
  let acc = 0;
  if (start >= 0 && start + taps <= x.length) {
    for (let j = 0; j < taps; j++) acc += x[start + j] * c[row + j];
  } else {
    // Edges: samples outside the signal count as silence.
    const from = Math.max(0, -start);
    const to = Math.min(taps, x.length - start);
    for (let j = from; j < to; j++) acc += x[start + j] * c[row + j];
  }
  return acc;
}

/**
 * Resample to `toRate` (default 16 kHz). Integer ratios such as 48k→16k use one filter row;
 * rational ratios (44.1k→16k is 160/441) get one row per phase. Returns the input itself when
 * the rates already match.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number = SAMPLE_RATE): Float32Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(`sample rates must be positive integers (got ${fromRate} → ${toRate})`);
  }
  if (fromRate === toRate) return samples;
  const bank = bankFor(fromRate, toRate);
  const { up, down, phases, exact, half, taps, coeffs } = bank;
  const outLength = Math.ceil((samples.length * up) / down);
  const out = new Float32Array(outLength);
  let base = 0; // integer input position of output n
  let num = 0; // fractional part of it, in units of 1/up
  for (let n = 0; n < outLength; n++) {
    const start = base - (half - 1);
    if (exact) {
      out[n] = dot(samples, start, coeffs, num * taps, taps);
    } else {
      const x = (num * phases) / up;
      const p = Math.floor(x);
      const w = x - p;
      const a = dot(samples, start, coeffs, p * taps, taps);
      const b = dot(samples, start, coeffs, (p + 1) * taps, taps);
      out[n] = a + (b - a) * w;
    }
    num += down;
    if (num >= up) {
      const q = Math.floor(num / up);
      base += q;
      num -= q * up;
    }
  }
  return out;
}

/** `resample(samples, fromRate, 16000)`: the name live voice and training augmentation call. */
export function resampleTo16k(samples: Float32Array, fromRate: number): Float32Array {
  return resample(samples, fromRate, SAMPLE_RATE);
}
