// Spectral-shape descriptors per frame: centroid, bandwidth, roll-off, flatness and two voice-quality ratios.
import { featureKernels as kernels } from '../dsp/fft.js';
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
const BAND_BINS = [bin(50), bin(1000), bin(2000), bin(5000)] as const;

/** Frames whose rows the kernel's memory holds at once (~0.6 MB, whatever the clip's length). */
const CHUNK = 128;
/** Per frame from the kernel (see fft.wat's "shape"): 9 sums, extremes and the roll-off bin, then bin-group products. */
const GROUPS = Math.ceil(N_BINS / 8);
const RECORD = 9 + GROUPS;
// Byte offsets: the frequency tables, the kernel's running sums of a frame pair, then one chunk's magnitude
// and power rows, then its records.
const FREQ_AT = kernels.region(16 * N_BINS + 16 * N_BINS + 8 * CHUNK * N_BINS + 8 * CHUNK * RECORD);
const FREQ2_AT = FREQ_AT + 8 * N_BINS;
const CUM_AT = FREQ2_AT + 8 * N_BINS;
const MAG_AT = CUM_AT + 16 * N_BINS;
const POW_AT = MAG_AT + 4 * CHUNK * N_BINS;
const OUT_AT = POW_AT + 4 * CHUNK * N_BINS;
new Float64Array(kernels.buffer, FREQ_AT, N_BINS).set(FREQ);
new Float64Array(kernels.buffer, FREQ2_AT, N_BINS).set(FREQ2);
// shapeFrames' six rows for one chunk (centroid, bandwidth, roll-off, flatness, alpha ratio, Hammarberg).
const ROWS_AT = kernels.region(4 * 6 * CHUNK);
const rows = Array.from({ length: 6 }, (_, k) => new Float32Array(kernels.buffer, ROWS_AT + 4 * CHUNK * k, CHUNK));
const shapeFrames = kernels.exports.shapeFrames as (
  rec: number, n: number, groups: number, bins: number, fq: number, amin: number, out: number, stride: number,
) => void;

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
  const buffer = kernels.buffer;
  for (let t0 = 0; t0 < frames; t0 += CHUNK) {
    const n = Math.min(CHUNK, frames - t0);
    new Float32Array(buffer, MAG_AT, n * N_BINS).set(magnitude.subarray(t0 * N_BINS, (t0 + n) * N_BINS));
    new Float32Array(buffer, POW_AT, n * N_BINS).set(power.subarray(t0 * N_BINS, (t0 + n) * N_BINS));
    // The moments, the flatness's sum and products, the band sums and peaks and the roll-off bin: running
    // sums and maxima per frame, each over its bins in order, two frames at a time in WebAssembly SIMD lanes.
    kernels.shape(MAG_AT, POW_AT, n, N_BINS, FREQ_AT, FREQ2_AT, AMIN, OUT_AT, ...BAND_BINS, ROLL_PERCENT, CUM_AT);
    // The rest of each frame from its record (fft.wat's "shapeFrames", with Math.log, Math.exp and Math.log10's own
    // functions): the centroid and spread from the sums (0 where the total is 0), the roll-off bin's frequency, the
    // flatness as the geometric over the arithmetic mean of the floored power (the log of the product of 8 floored
    // bins: the same sum of logs with 1/8 of the logarithms; 8 values in [1e-10, 1e11] cannot overflow or underflow a
    // double), and the power summed 50–1000 Hz (low) over 1–5 kHz (high) and the peak 0–2 kHz over 2–5 kHz in dB.
    shapeFrames(OUT_AT, n, GROUPS, N_BINS, FREQ_AT, AMIN, ROWS_AT, 4 * CHUNK);
    const out = [s.centroid, s.bandwidth, s.rolloff, s.flatness, s.alphaRatio, s.hammarberg];
    for (let k = 0; k < 6; k++) out[k].set(rows[k].subarray(0, n), t0);
  }
  return s;
}
