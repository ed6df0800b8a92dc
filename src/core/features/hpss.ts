// Harmonic/percussive split (median filtering, soft mask) reduced to per-frame harmonic and percussive energy.
import { N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';

export interface HarmonicPercussive {
  /** dB of the harmonic part's energy in the frame. */
  harmDb: Float32Array;
  percDb: Float32Array;
  /** Harmonic share of the frame's energy, 0…1 (0.5 for a silent frame). */
  harmRatio: Float32Array;
}

/**
 * Only 0–4 kHz is split (where voicing lives), on cells pooled 2 bins × 2 frames (62.5 Hz × 20 ms):
 * the two median filters then cost an eighth of running them on the whole spectrogram.
 */
const POOL_BINS = 2;
const POOL_FRAMES = 2;
const BANDS = 64;
/** 9 cells = 180 ms across time: long enough that a syllable's harmonics survive and a click does not. */
const TIME_KERNEL = 9;
/** 9 bands = 560 Hz across frequency: a click is flat over it, a harmonic is one narrow line. */
const FREQ_KERNEL = 9;
const FLOOR = 1e-10;

export function harmonicPercussive(spec: Spectrogram): HarmonicPercussive {
  const { frames: nFrames, magnitude } = spec;
  // Band-major pooled magnitudes so the time filter reads contiguous memory.
  const cells = Math.ceil(nFrames / POOL_FRAMES);
  const s = new Float32Array(BANDS * cells);
  for (let t = 0; t < nFrames; t++) {
    const row = t * N_BINS;
    const cell = Math.floor(t / POOL_FRAMES);
    for (let b = 0; b < BANDS; b++) {
      let v = 0;
      for (let j = 0; j < POOL_BINS; j++) v += magnitude[row + b * POOL_BINS + j];
      s[b * cells + cell] += v;
    }
  }
  // A short last cell (odd frame count) is scaled up as if it were full.
  const lastCount = nFrames - (cells - 1) * POOL_FRAMES;
  if (lastCount < POOL_FRAMES) for (let b = 0; b < BANDS; b++) s[b * cells + cells - 1] *= POOL_FRAMES / lastCount;
  const harm = new Float32Array(BANDS * cells);
  const perc = new Float32Array(BANDS * cells);
  const padded = new Float32Array(Math.max(cells, BANDS) + Math.max(TIME_KERNEL, FREQ_KERNEL));
  const window = new Float32Array(Math.max(TIME_KERNEL, FREQ_KERNEL));
  for (let b = 0; b < BANDS; b++) {
    padEdges(s, b * cells, 1, cells, TIME_KERNEL, padded);
    slidingMedian(padded, cells, TIME_KERNEL, harm, b * cells, 1, window);
  }
  for (let t = 0; t < cells; t++) {
    padEdges(s, t, cells, BANDS, FREQ_KERNEL, padded);
    slidingMedian(padded, BANDS, FREQ_KERNEL, perc, t, cells, window);
  }

  const out: HarmonicPercussive = {
    harmDb: new Float32Array(nFrames),
    percDb: new Float32Array(nFrames),
    harmRatio: new Float32Array(nFrames),
  };
  for (let t = 0; t < cells; t++) {
    let eh = 0;
    let ep = 0;
    for (let b = 0; b < BANDS; b++) {
      const i = b * cells + t;
      const h2 = harm[i] * harm[i];
      const p2 = perc[i] * perc[i];
      const total = h2 + p2;
      // librosa softmask(power=2): H²/(H²+P²); an all-zero cell splits evenly.
      const mh = total > 0 ? h2 / total : 0.5;
      const sh = s[i] * mh;
      const sp = s[i] * (1 - mh);
      eh += sh * sh;
      ep += sp * sp;
    }
    // Every frame of a cell gets the cell's values; / POOL_FRAMES² puts the energy back on a one-frame scale.
    const end = Math.min(nFrames, (t + 1) * POOL_FRAMES);
    out.harmDb.fill(10 * Math.log10(eh / POOL_FRAMES ** 2 + FLOOR), t * POOL_FRAMES, end);
    out.percDb.fill(10 * Math.log10(ep / POOL_FRAMES ** 2 + FLOOR), t * POOL_FRAMES, end);
    out.harmRatio.fill(eh + ep > 0 ? eh / (eh + ep) : 0.5, t * POOL_FRAMES, end);
  }
  return out;
}

/** Copies x[offset + i·stride], i < n, into padded with (k−1)/2 repeats of each end value on either side. */
function padEdges(x: Float32Array, offset: number, stride: number, n: number, k: number, padded: Float32Array): void {
  const h = (k - 1) >> 1;
  for (let i = 0; i < h; i++) padded[i] = x[offset];
  for (let i = 0; i < n; i++) padded[h + i] = x[offset + i * stride];
  const last = x[offset + (n - 1) * stride];
  for (let i = 0; i < h; i++) padded[h + n + i] = last;
}

/**
 * Median of each k-wide window of padded (n + k − 1 values) to out[offset + i·stride], i < n.
 * A sorted window is slid one step at a time: the leaving value is overwritten by the entering one
 * and moved into place, O(k) per step instead of a sort.
 */
function slidingMedian(
  padded: Float32Array,
  n: number,
  k: number,
  out: Float32Array,
  offset: number,
  stride: number,
  win: Float32Array,
): void {
  const h = (k - 1) >> 1;
  for (let j = 0; j < k; j++) {
    const v = padded[j];
    let p = j;
    while (p > 0 && win[p - 1] > v) {
      win[p] = win[p - 1];
      p--;
    }
    win[p] = v;
  }
  out[offset] = win[h];
  for (let i = 1; i < n; i++) {
    const leaving = padded[i - 1];
    const entering = padded[i + k - 1];
    if (leaving !== entering) {
      let p = 0;
      while (win[p] !== leaving) p++;
      while (p > 0 && win[p - 1] > entering) {
        win[p] = win[p - 1];
        p--;
      }
      while (p < k - 1 && win[p + 1] < entering) {
        win[p] = win[p + 1];
        p++;
      }
      win[p] = entering;
    }
    out[offset + i * stride] = win[h];
  }
}
