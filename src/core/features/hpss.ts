// Harmonic/percussive split (median filtering, soft mask) reduced to per-frame harmonic and percussive energy.
import { N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';
import { maxBits, minBits } from '../dsp/bits-order.js';

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
/**
 * Both median filters are 9 wide: 9 cells = 180 ms across time (long enough that a syllable's
 * harmonics survive and a click does not), 9 bands = 560 Hz across frequency (a click is flat over
 * it, a harmonic is one narrow line). median9 is written for exactly this width.
 */
const KERNEL_HALF = 4;
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
  // The medians work on the float32 bit patterns as int32: for values ≥ 0 (magnitudes) the order is
  // the same, and int32 min/max need no branch (bits-order.ts).
  const sBits = new Int32Array(s.buffer);
  const harmBits = new Int32Array(BANDS * cells);
  const percBits = new Int32Array(BANDS * cells);
  const scratch = medianScratch(Math.max(cells, BANDS));
  for (let b = 0; b < BANDS; b++) {
    padEdges(sBits, b * cells, 1, cells, scratch.padded);
    median9(scratch, cells, harmBits, b * cells, 1);
  }
  for (let t = 0; t < cells; t++) {
    padEdges(sBits, t, cells, BANDS, scratch.padded);
    median9(scratch, BANDS, percBits, t, cells);
  }
  const harm = new Float32Array(harmBits.buffer);
  const perc = new Float32Array(percBits.buffer);

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

interface MedianScratch {
  /** The series with KERNEL_HALF copies of each end value before and after it. */
  padded: Int32Array;
  /** Each run of three padded values, sorted: lo ≤ mid ≤ hi. */
  lo: Int32Array;
  mid: Int32Array;
  hi: Int32Array;
}

function medianScratch(n: number): MedianScratch {
  const m = n + 2 * KERNEL_HALF;
  return { padded: new Int32Array(m), lo: new Int32Array(m), mid: new Int32Array(m), hi: new Int32Array(m) };
}

/** Copies x[offset + i·stride], i < n, into padded with KERNEL_HALF repeats of each end value on either side. */
function padEdges(x: Int32Array, offset: number, stride: number, n: number, padded: Int32Array): void {
  const h = KERNEL_HALF;
  for (let i = 0; i < h; i++) padded[i] = x[offset];
  for (let i = 0; i < n; i++) padded[h + i] = x[offset + i * stride];
  const last = x[offset + (n - 1) * stride];
  for (let i = 0; i < h; i++) padded[h + n + i] = last;
}

/**
 * Median of each 9-wide window of scratch.padded (n + 8 values) to out[offset + i·stride], i < n,
 * exactly: with the window as three sorted triples, its median is the median of (the largest low,
 * the median of the mids, the smallest high) (Paeth's median of 9). Each triple is sorted once and
 * serves three windows. On float32 bits, branch-free (see bits-order.ts): the data-dependent
 * branches of an insertion-sorted window mispredicted most of the time.
 */
function median9(scratch: MedianScratch, n: number, out: Int32Array, offset: number, stride: number): void {
  const { padded: p, lo, mid, hi } = scratch;
  for (let i = 0; i < n + 6; i++) {
    const a = p[i], b = p[i + 1], c = p[i + 2];
    const l1 = minBits(a, b);
    const h1 = maxBits(a, b);
    const m2 = minBits(h1, c);
    hi[i] = maxBits(h1, c);
    lo[i] = minBits(l1, m2);
    mid[i] = maxBits(l1, m2);
  }
  for (let i = 0; i < n; i++) {
    const maxLo = maxBits(maxBits(lo[i], lo[i + 3]), lo[i + 6]);
    const minHi = minBits(minBits(hi[i], hi[i + 3]), hi[i + 6]);
    // Median of three as max(min(a, b), min(max(a, b), c)), twice.
    const a = mid[i], b = mid[i + 3];
    const midMid = maxBits(minBits(a, b), minBits(maxBits(a, b), mid[i + 6]));
    out[offset + i * stride] = maxBits(minBits(maxLo, midMid), minBits(maxBits(maxLo, midMid), minHi));
  }
}
