// Spectral-shape descriptors per frame: centroid, bandwidth, roll-off, flatness and two voice-quality ratios.
import { BIN_HZ, N_BINS } from './frames.js';
import type { Spectrogram } from './spectrogram.js';

export interface SpectralShape {
  centroid: Float32Array;
  bandwidth: Float32Array;
  rolloff: Float32Array;
  flatness: Float32Array;
  /** eGeMAPS alpha ratio: dB energy 50–1000 Hz over 1–5 kHz (tense, loud voices have flatter tilt). */
  alphaRatio: Float32Array;
  /** eGeMAPS Hammarberg index: dB of the strongest bin 0–2 kHz over the strongest 2–5 kHz. */
  hammarberg: Float32Array;
}

const ROLL_PERCENT = 0.85;
/** librosa's amin for flatness, and the floor that keeps the ratios finite on silent frames. */
const AMIN = 1e-10;
const FREQ = Float64Array.from({ length: N_BINS }, (_, k) => k * BIN_HZ);
const FREQ2 = FREQ.map((f) => f * f);
const bin = (hz: number): number => Math.min(N_BINS, Math.ceil(hz / BIN_HZ));

const dbRatio = (a: number, b: number): number => 10 * Math.log10((a + AMIN) / (b + AMIN));

export function spectralShape(spec: Spectrogram): SpectralShape {
  const { frames, power, magnitude } = spec;
  const s: SpectralShape = {
    centroid: new Float32Array(frames),
    bandwidth: new Float32Array(frames),
    rolloff: new Float32Array(frames),
    flatness: new Float32Array(frames),
    alphaRatio: new Float32Array(frames),
    hammarberg: new Float32Array(frames),
  };
  const [b50, b1k, b2k, b5k] = [bin(50), bin(1000), bin(2000), bin(5000)];
  // Module tables as locals: V8 keeps them in registers instead of reloading them per bin.
  const freq = FREQ;
  const freq2 = FREQ2;
  for (let t = 0; t < frames; t++) {
    const row = t * N_BINS;
    // One pass for the moments and the flatness: five independent running sums instead of two loops
    // of two or three latency-bound ones; each still adds in bin order.
    let total = 0;
    let first = 0;
    let second = 0;
    let logSum = 0;
    let sum = 0;
    let prod = 1;
    for (let k = 0; k < N_BINS; k++) {
      const m = magnitude[row + k];
      total += m;
      first += freq[k] * m;
      second += freq2[k] * m;
      const p = Math.max(power[row + k], AMIN);
      sum += p;
      prod *= p;
      // The log of the product of 8 floored bins: the same sum of logs with 1/8 of the Math.log
      // calls; 8 values in [1e-10, 1e11] cannot overflow or underflow a double.
      if ((k & 7) === 7) {
        logSum += Math.log(prod);
        prod = 1;
      }
    }
    logSum += Math.log(prod);
    // Geometric over arithmetic mean of the floored power.
    s.flatness[t] = Math.exp(logSum / N_BINS) / (sum / N_BINS);
    if (total > 0) {
      const c = first / total;
      s.centroid[t] = c;
      // E[(f − c)²] = E[f²] − c²; doubles keep the difference exact enough at these magnitudes.
      s.bandwidth[t] = Math.sqrt(Math.max(0, second / total - c * c));
      let cum = 0;
      let k = 0;
      while (k < N_BINS - 1 && (cum += magnitude[row + k]) < ROLL_PERCENT * total) k++;
      s.rolloff[t] = freq[k];
    }
    let low = 0;
    let high = 0;
    let maxLow = 0;
    let maxHigh = 0;
    // Sums 50–1000 Hz (low) and 1–5 kHz (high), peaks 0–2 kHz and 2–5 kHz, over the four stretches the
    // band edges make, two chains per loop (b50 < b1k < b2k < b5k).
    for (let k = 0; k < b50; k++) maxLow = Math.max(maxLow, power[row + k]);
    for (let k = b50; k < b1k; k++) {
      const p = power[row + k];
      low += p;
      maxLow = Math.max(maxLow, p);
    }
    for (let k = b1k; k < b2k; k++) {
      const p = power[row + k];
      high += p;
      maxLow = Math.max(maxLow, p);
    }
    for (let k = b2k; k < b5k; k++) {
      const p = power[row + k];
      high += p;
      maxHigh = Math.max(maxHigh, p);
    }
    s.alphaRatio[t] = dbRatio(low, high);
    s.hammarberg[t] = dbRatio(maxLow, maxHigh);
  }
  return s;
}
