// The long-term spectrum of voiced and of unvoiced speech, and the Teager energy of voiced frames.
import { HOP } from './frames.js';
import { BAND_GROUPS } from './band-modulation.js';
import { N_MELS } from './mel.js';
import { finite } from './pitch-shape.js';
import { meanOf, parabola, slopeOf, stdOf } from './value-stats.js';
import { Reused } from '../dsp/reuse.js';
import { trackKernels } from '../dsp/fft.js';

/** Band positions scaled to −1…1, the x of the tilt and curvature fits. */
const BAND_X = Float64Array.from({ length: N_MELS }, (_, m) => (m / (N_MELS - 1)) * 2 - 1);
const voicedMean = new Float64Array(N_MELS);
const unvoicedMean = new Float64Array(N_MELS);
/** speechMeans()'s frame counts: voiced, unvoiced. */
const counts = new Int32Array(2);
const GROUPS = BAND_GROUPS.length;
/** The Teager window around a frame's hop: from 96 samples before its start to 256 after (a 352-sample span). */
const TEAGER_BEFORE = 96;
const TEAGER_AFTER = 256;
const reused = new Reused((n) => new Float64Array(n), 4096);

/**
 * Mean log-mel spectrum of the voiced and of the unvoiced speech frames. In spec.ts VOICED_SPECTRUM order: the
 * voiced spectrum's tilt and curvature over the bands, the unvoiced one's tilt, voiced minus unvoiced tilt; each
 * band group's voiced level relative to the voiced mean, then that minus the same for unvoiced frames.
 * Without unvoiced (or voiced) speech frames their terms are 0.
 */
export function voicedSpectrum(logmel: Float32Array, speech: Uint8Array, f0St: Float32Array): number[] {
  speechMeans(logmel, speech, f0St);
  const nv = counts[0];
  const nu = counts[1];
  const curve = parabola(BAND_X, voicedMean);
  const tiltU = nu ? slopeOf(BAND_X, unvoicedMean) : 0;
  const tiltV = nv ? slopeOf(BAND_X, voicedMean) : 0;
  const mv = meanOf(voicedMean);
  const mu = meanOf(unvoicedMean);
  const out = [tiltV, curve[2], tiltU, nv && nu ? tiltV - tiltU : 0];
  for (let g = 0; g < GROUPS; g++) out.push(groupMean(voicedMean, g) - mv);
  for (let g = 0; g < GROUPS; g++) out.push(nv && nu ? out[4 + g] - (groupMean(unvoicedMean, g) - mu) : 0);
  return finite(out);
}

/**
 * The frames × bands loop of voicedSpectrum(): voicedMean and unvoicedMean, and counts = [voiced, unvoiced].
 * Its own small function (no closures, spreads or array callbacks near it), so the warm-up compiles only this
 * loop: inlined into voicedSpectrum with the band-group map callbacks it was compiled three times per
 * 30-file CLI run (~40 ms of TurboFan) and deoptimised twice ("wrong map").
 */
function speechMeans(logmel: Float32Array, speech: Uint8Array, f0St: Float32Array): void {
  voicedMean.fill(0);
  unvoicedMean.fill(0);
  let nv = 0;
  let nu = 0;
  for (let t = 0; t < speech.length; t++) {
    if (!speech[t]) continue;
    const dst = f0St[t] !== 0 ? voicedMean : unvoicedMean;
    for (let m = 0; m < N_MELS; m++) dst[m] += logmel[t * N_MELS + m];
    if (f0St[t] !== 0) nv++; else nu++;
  }
  for (let m = 0; m < N_MELS; m++) { voicedMean[m] = nv ? voicedMean[m] / nv : 0; unvoicedMean[m] = nu ? unvoicedMean[m] / nu : 0; }
  counts[0] = nv;
  counts[1] = nu;
}

/** Mean of band group g's bands of a mean spectrum. */
function groupMean(spectrum: Float64Array, g: number): number {
  return meanOf(spectrum.subarray(BAND_GROUPS[g][0], BAND_GROUPS[g][1]));
}

/**
 * x: the normalised signal; f0St: F0 per frame (0 unvoiced). Per voiced frame, ln of the mean Teager energy
 * x[i]² − x[i−1]·x[i+1] over the mean power (≈ the squared mean frequency in radians: it rises with tension and
 * high-frequency energy); their mean and spread (spec.ts TEAGER order). Frames with no positive energy are skipped.
 */
export function teager(x: Float32Array, f0St: Float32Array): number[] {
  const values = reused.take(f0St.length);
  const n = teagerRatios(x, f0St, values);
  return finite([meanOf(values, n), stdOf(values, n)]);
}

type TeagerExport = (x: number, first: number, len: number, f0: number, t0: number, t1: number, hop: number, before: number,
  after: number, out: number) => number;
const teagerKernel = trackKernels.exports.teagerRatios as TeagerExport;
/** Frames per teagerRatios call: the track kernels' memory then holds ~83 KB of samples, whatever the clip's length. */
const TEAGER_CHUNK = 128;
// Byte offsets in the track kernels' memory: the chunk's ratios (f64), its F0 (f32), its samples.
const RATIOS_AT = 0;
const F0_AT = 8 * TEAGER_CHUNK;
const SAMPLES_AT = F0_AT + 4 * TEAGER_CHUNK;

/**
 * The loop of teager(), writing ln(Teager / power) of each voiced frame to `values` and returning how many, in
 * WebAssembly (fft.wat's "teagerRatios", the same sums in the same order and V8's Math.log): in JavaScript its
 * 352-sample inner loop ran interpreted on the CLI's first clip (~10 ms of a 30-file run, with the heap numbers'
 * scavenges) and was TurboFan-compiled three times. Frames go TEAGER_CHUNK at a time with the samples they read.
 */
function teagerRatios(x: Float32Array, f0St: Float32Array, values: Float64Array): number {
  let n = 0;
  for (let t0 = 0; t0 < f0St.length; t0 += TEAGER_CHUNK) {
    const t1 = Math.min(f0St.length, t0 + TEAGER_CHUNK);
    // Samples from the first frame's first x[i − 1] to the last frame's last x[i + 1].
    const first = Math.max(1, t0 * HOP - TEAGER_BEFORE) - 1;
    const end = Math.max(first, Math.min(x.length - 1, (t1 - 1) * HOP + TEAGER_AFTER) + 1);
    trackKernels.reserve(SAMPLES_AT + 4 * (end - first));
    const buffer = trackKernels.buffer;
    new Float32Array(buffer, F0_AT, t1 - t0).set(f0St.subarray(t0, t1));
    new Float32Array(buffer, SAMPLES_AT, end - first).set(x.subarray(first, end));
    const found = teagerKernel(SAMPLES_AT, first, x.length, F0_AT, t0, t1, HOP, TEAGER_BEFORE, TEAGER_AFTER, RATIOS_AT);
    values.set(new Float64Array(buffer, RATIOS_AT, found), n);
    n += found;
  }
  return n;
}
