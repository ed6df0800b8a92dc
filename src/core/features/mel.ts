// Log-mel spectrogram (the base of the MFCCs) and the spectral flux measured on it.
import { SAMPLE_RATE } from '../pcm.js';
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';

export const N_MELS = 40;
/** librosa's power_to_db defaults: amin 1e-10, top_db 80 (relative to the loudest cell, so gain-free). */
const AMIN = 1e-10;
const TOP_DB = 80;
/** 10·log10(e) = DB_PER_NEPER·ln(e); Math.log is the faster call. */
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

/** Log-mel power in dB, frame-major (logMel[t·N_MELS + m]), floored at TOP_DB below its maximum. */
export function logMel(spec: Spectrogram): Float32Array {
  const out = new Float32Array(spec.frames * N_MELS);
  const max = melDb(spec.power, spec.frames, out);
  return floorAt(out, max - TOP_DB);
}

/**
 * Fills out with the bands' dB and returns the largest. Two frames per sweep, each band sum its own
 * chain: one sum is bound by the latency of its adds. Every sum adds its bins in the same order as
 * one frame at a time would, so the result is the same. An odd last frame is swept with itself
 * rather than in a loop of its own after this one: V8 compiles this loop on the stack (OSR) before
 * such a tail has run, and the cached code then deoptimised there on every odd-length clip (see
 * temporal.ts on OSR); for the same reason the function ends in a bare return.
 */
function melDb(power: Float32Array, frames: number, out: Float32Array): number {
  let max = -Infinity;
  const { start, length, offset, weights } = BANK;
  for (let t = 0; t < frames; t += 2) {
    const t1 = t + 1 < frames ? t + 1 : t;
    const row0 = t * N_BINS;
    const row1 = t1 * N_BINS;
    for (let m = 0; m < N_MELS; m++) {
      let e0 = 0;
      let e1 = 0;
      const s0 = row0 + start[m];
      const s1 = row1 + start[m];
      const o = offset[m];
      const n = length[m];
      for (let j = 0; j < n; j++) {
        const w = weights[o + j];
        e0 += w * power[s0 + j];
        e1 += w * power[s1 + j];
      }
      const db0 = DB_PER_NEPER * Math.log(Math.max(e0, AMIN));
      const db1 = DB_PER_NEPER * Math.log(Math.max(e1, AMIN));
      out[t * N_MELS + m] = db0;
      out[t1 * N_MELS + m] = db1;
      if (db0 > max) max = db0;
      if (db1 > max) max = db1;
    }
  }
  return max;
}

function floorAt(x: Float32Array, floor: number): Float32Array {
  for (let i = 0; i < x.length; i++) if (x[i] < floor) x[i] = floor;
  return x;
}

/** Onset-strength style flux: mean positive change of the log-mel bands from the previous frame (dB). */
export function melFlux(logmel: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let t = 1; t < frames; t++) {
    let s = 0;
    for (let m = 0; m < N_MELS; m++) {
      const d = logmel[t * N_MELS + m] - logmel[(t - 1) * N_MELS + m];
      if (d > 0) s += d;
    }
    out[t] = s / N_MELS;
  }
  return out;
}
