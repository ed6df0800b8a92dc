// Chroma: the spectrum's energy folded onto the 12 pitch classes (C = 0 … A = 9 … B = 11).
import { BandSums, featureKernels } from '../dsp/fft.js';
import { scatterRows } from '../dsp/chunk-rows.js';
import { BIN_HZ, FRAME_LENGTH, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { N_CHROMA } from './spec.js';

interface ChromaMap {
  /** Class c sums weight[j]·power[bin[j]] for j in offset[c]…offset[c+1]-1. */
  offset: Int32Array;
  bin: Int32Array;
  weight: Float64Array;
}

/** Weights below this are dropped: they change no chroma by a measurable amount and cost time. */
const MIN_WEIGHT = 1e-3;

/**
 * librosa.filters.chroma (A440 tuning, ctroct 5, octwidth 2, base C): a Gaussian bump per bin
 * around its pitch class, as wide as the bin is in semitones (at least one), each bin's weights
 * unit-L2 across classes, times a Gaussian octave weighting centred on 880 Hz. It runs once per process,
 * before any of it is compiled: plain loops and typed arrays (no closures, entry objects or sort), class-major
 * from the start, as the sort by class then bin ordered them.
 */
function buildChromaMap(): ChromaMap {
  // Chroma position of each bin, DC placed 1.5 octaves below bin 1 as librosa does.
  const frq = new Float64Array(FRAME_LENGTH);
  for (let k = 1; k < FRAME_LENGTH; k++) frq[k] = N_CHROMA * Math.log2((k * BIN_HZ) / (440 / 16));
  frq[0] = frq[1] - 1.5 * N_CHROMA;
  const half = Math.round(N_CHROMA / 2);
  // value[k·N_CHROMA + c]: bin k's weight for class c of frq's scale (index 0 is A).
  const value = new Float64Array(N_BINS * N_CHROMA);
  const w = new Float64Array(N_CHROMA);
  for (let k = 0; k < N_BINS; k++) {
    const width = Math.max(frq[k + 1] - frq[k], 1);
    let sq = 0;
    for (let c = 0; c < N_CHROMA; c++) {
      const d = ((((frq[k] - c + half + 10 * N_CHROMA) % N_CHROMA) + N_CHROMA) % N_CHROMA) - half;
      w[c] = Math.exp(-0.5 * ((2 * d) / width) ** 2);
      sq += w[c] * w[c];
    }
    const norm = Math.sqrt(sq);
    const octave = Math.exp(-0.5 * ((frq[k] / N_CHROMA - 5) / 2) ** 2);
    for (let c = 0; c < N_CHROMA; c++) value[k * N_CHROMA + c] = (w[c] / norm) * octave;
  }
  const offset = new Int32Array(N_CHROMA + 1);
  const bin: number[] = [];
  const weight: number[] = [];
  for (let cls = 0; cls < N_CHROMA; cls++) {
    // Rolling by 3 makes C index 0: class cls is frq's class cls + 3.
    const c = (cls + 3) % N_CHROMA;
    for (let k = 0; k < N_BINS; k++) {
      const v = value[k * N_CHROMA + c];
      if (v > MIN_WEIGHT) {
        bin.push(k);
        weight.push(v);
      }
    }
    offset[cls + 1] = bin.length;
  }
  return { offset, bin: Int32Array.from(bin), weight: Float64Array.from(weight) };
}

const MAP = buildChromaMap();

const SUMS = new BandSums(MAP.offset, MAP.bin, MAP.weight, N_BINS);

/** Row-major chroma (chroma[c·frames + t]) of the power spectrum, each frame scaled to max 1. */
export function chromagram(spec: Spectrogram): Float32Array {
  const { frames, power } = spec;
  const out = new Float32Array(frames * N_CHROMA);
  for (let t0 = 0; t0 < frames; t0 += BandSums.CHUNK) {
    const n = Math.min(BandSums.CHUNK, frames - t0);
    SUMS.load(power, t0, n);
    chromaOfLoaded(t0, n, out, frames);
  }
  return out;
}

// Byte offset of one chunk's chroma, class-major (class c of frame i at c·n + i), for chromaScale.
const SCALED_AT = featureKernels.region(4 * N_CHROMA * BandSums.CHUNK);
const scaled = new Float32Array(featureKernels.buffer, SCALED_AT, N_CHROMA * BandSums.CHUNK);
const chromaScale = featureKernels.exports.chromaScale as (acc: number, n: number, nc: number, out: number) => void;

/**
 * chromagram()'s frames t0…t0+n−1 (into out, of `frames` frames) from the spectrum
 * chunk that is loaded for the band sums: called from logMel's alsoOfChunk, it shares the mel bands' copy of
 * the chunk. The class sums run in WebAssembly (BandSums), each adding its bins in order, and so does each
 * frame's scaling to its largest sum (fft.wat's "chromaScale", the same division as the JavaScript it replaced,
 * kept in filter-tables.test as the reference); a silent frame is all 0.
 */
export function chromaOfLoaded(t0: number, n: number, out: Float32Array, frames: number): void {
  chromaScale(SUMS.sums(n).byteOffset, n, N_CHROMA, SCALED_AT);
  scatterRows(scaled, n, N_CHROMA, n, out, frames, t0);
}
