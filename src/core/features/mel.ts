// Log-mel spectrogram (the base of the MFCCs) and the spectral flux measured on it.
import { BandSums, dbRow, featureKernels } from '../dsp/fft.js';
import { SAMPLE_RATE } from '../pcm.js';
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';

export const N_MELS = 40;
/** librosa's power_to_db defaults: amin 1e-10, top_db 80 (relative to the loudest cell, so gain-free). */
const AMIN = 1e-10;
const TOP_DB = 80;
/** 10·log10(e) = DB_PER_NEPER·ln(e). */
const DB_PER_NEPER = 10 / Math.LN10;

/** Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above. */
export function hzToMel(f: number): number {
  return f < 1000 ? (3 * f) / 200 : 15 + (27 * Math.log(f / 1000)) / Math.log(6.4);
}

export function melToHz(m: number): number {
  return m < 15 ? (200 * m) / 3 : 1000 * Math.exp(((m - 15) * Math.log(6.4)) / 27);
}

interface MelBank {
  start: Int32Array;
  length: Int32Array;
  /** Weights of band m live at offset[m]…offset[m]+length[m]. */
  offset: Int32Array;
  weights: Float64Array;
}

/** Triangles evenly spaced in mel from 0 Hz to Nyquist, area-normalised (librosa norm='slaney'). */
function buildMelBank(): MelBank {
  const edges = Float64Array.from({ length: N_MELS + 2 }, (_, i) => melToHz((hzToMel(SAMPLE_RATE / 2) * i) / (N_MELS + 1)));
  const start = new Int32Array(N_MELS);
  const length = new Int32Array(N_MELS);
  const offset = new Int32Array(N_MELS);
  const weights: number[] = [];
  for (let m = 0; m < N_MELS; m++) {
    const [lo, mid, hi] = [edges[m], edges[m + 1], edges[m + 2]];
    const enorm = 2 / (hi - lo);
    offset[m] = weights.length;
    start[m] = -1;
    for (let k = 0; k < N_BINS; k++) {
      const f = k * BIN_HZ;
      const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w > 0) {
        if (start[m] < 0) start[m] = k;
        weights.push(w * enorm);
      }
    }
    if (start[m] < 0) start[m] = 0;
    length[m] = weights.length - offset[m];
  }
  return { start, length, offset, weights: Float64Array.from(weights) };
}

const BANK = buildMelBank();

/**
 * Log-mel power in dB, frame-major (logMel[t·N_MELS + m]), floored at TOP_DB below its maximum.
 * `alsoOfChunk(t0, n)` is called while frames t0…t0+n−1 of the spectrum are loaded for the band sums, so
 * another filterbank of N_BINS bins can take its sums of them without copying them again (chroma.ts).
 */
export function logMel(spec: Spectrogram, alsoOfChunk?: (t0: number, n: number) => void): Float32Array {
  const out = new Float32Array(spec.frames * N_MELS);
  const max = melDb(spec.power, spec.frames, out, alsoOfChunk);
  return floorAt(out, max - TOP_DB);
}

/** BANK as a filterbank over whole spectrum rows (each band's bins listed). */
const SUMS = (() => {
  const offset = Int32Array.of(...BANK.offset, BANK.weights.length);
  const bin = new Int32Array(BANK.weights.length);
  for (let m = 0; m < N_MELS; m++) for (let j = 0; j < BANK.length[m]; j++) bin[BANK.offset[m] + j] = BANK.start[m] + j;
  return new BandSums(offset, bin, BANK.weights, N_BINS);
})();

/** One chunk's dB values (f32) in the feature kernels' memory. */
const DB_AT = featureKernels.region(4 * BandSums.CHUNK * N_MELS);
const dbChunk = new Float32Array(featureKernels.buffer, DB_AT, BandSums.CHUNK * N_MELS);

/**
 * Fills out with the bands' dB and returns the largest. The band sums run in WebAssembly (BandSums),
 * each adding its bins in order, as a loop over one frame at a time would; so does their dB (dbRow:
 * DB_PER_NEPER·ln(max(e, AMIN)) with Math.log's own logarithm), rounded to f32 as out stores it.
 */
function melDb(power: Float32Array, frames: number, out: Float32Array, alsoOfChunk?: (t0: number, n: number) => void): number {
  let max = -Infinity;
  for (let t0 = 0; t0 < frames; t0 += BandSums.CHUNK) {
    const n = Math.min(BandSums.CHUNK, frames - t0);
    SUMS.load(power, t0, n);
    alsoOfChunk?.(t0, n);
    const sums = SUMS.sums(n);
    max = Math.max(max, dbRow(sums.byteOffset, n * N_MELS, AMIN, DB_PER_NEPER, DB_AT));
    out.set(n === BandSums.CHUNK ? dbChunk : dbChunk.subarray(0, n * N_MELS), t0 * N_MELS);
  }
  return max;
}

function floorAt(x: Float32Array, floor: number): Float32Array {
  for (let i = 0; i < x.length; i++) if (x[i] < floor) x[i] = floor;
  return x;
}

/**
 * Onset-strength style flux: mean positive change of the log-mel bands from the previous frame (dB).
 * Without a branch (whether a band rose is a coin flip, and mispredicting it cost more than the sum): for
 * finite d, (d + |d|)·0.5 is exactly d when d > 0 and +0 otherwise, and s + 0 is s, so the sums are those
 * of `if (d > 0) s += d` (log-mel values are always finite).
 */
export function melFlux(logmel: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let t = 1; t < frames; t++) {
    let s = 0;
    for (let m = 0; m < N_MELS; m++) {
      const d = logmel[t * N_MELS + m] - logmel[(t - 1) * N_MELS + m];
      s += (d + Math.abs(d)) * 0.5;
    }
    out[t] = s / N_MELS;
  }
  return out;
}
