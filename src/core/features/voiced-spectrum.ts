// The long-term spectrum of voiced and of unvoiced speech, and the Teager energy of voiced frames.
import { HOP } from './frames.js';
import { BAND_GROUPS } from './band-modulation.js';
import { N_MELS } from './mel.js';
import { finite, meanOf, parabola, slopeOf, stdOf } from './value-stats.js';
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

type SpeechSumsExport = (lm: number, sp: number, f0: number, n: number, nm: number, voiced: number, unvoiced: number, counts: number) => void;
const speechSums = trackKernels.exports.speechSums as SpeechSumsExport;
/** Frames per speechSums call (20 KB of log-mel rows in the track kernels' memory, whatever the clip's length). */
const MEL_CHUNK = 128;
// Byte offsets in the track kernels' memory: the voiced and unvoiced sums (f64), the counts (i32), then a chunk's
// log-mel rows (f32), F0 (f32) and speech mask (u8).
const SUMS_AT = 0;
const COUNTS_AT = 16 * N_MELS;
const MEL_ROWS_AT = COUNTS_AT + 16;
const MEL_F0_AT = MEL_ROWS_AT + 4 * MEL_CHUNK * N_MELS;
const MEL_SPEECH_AT = MEL_F0_AT + 4 * MEL_CHUNK;

/**
 * The frames × bands loop of voicedSpectrum(): voicedMean and unvoicedMean, and counts = [voiced, unvoiced]. The
 * sums run in WebAssembly (fft.wat's "speechSums", the same additions in the same order), MEL_CHUNK frames per
 * call: in JavaScript the loop ran interpreted on the CLI's first clips and was TurboFan-compiled (and, inlined
 * into voicedSpectrum with its band-group map callbacks, compiled three times and deoptimised twice).
 */
function speechMeans(logmel: Float32Array, speech: Uint8Array, f0St: Float32Array): void {
  trackKernels.reserve(MEL_SPEECH_AT + MEL_CHUNK);
  const buffer = trackKernels.buffer;
  const sums = new Float64Array(buffer, SUMS_AT, 2 * N_MELS).fill(0);
  const found = new Int32Array(buffer, COUNTS_AT, 2).fill(0);
  const rows = new Float32Array(buffer, MEL_ROWS_AT, MEL_CHUNK * N_MELS);
  const f0 = new Float32Array(buffer, MEL_F0_AT, MEL_CHUNK);
  const mask = new Uint8Array(buffer, MEL_SPEECH_AT, MEL_CHUNK);
  for (let t0 = 0; t0 < speech.length; t0 += MEL_CHUNK) {
    const n = Math.min(MEL_CHUNK, speech.length - t0);
    rows.set(logmel.subarray(t0 * N_MELS, (t0 + n) * N_MELS));
    f0.set(f0St.subarray(t0, t0 + n));
    mask.set(speech.subarray(t0, t0 + n));
    speechSums(MEL_ROWS_AT, MEL_SPEECH_AT, MEL_F0_AT, n, N_MELS, SUMS_AT, SUMS_AT + 8 * N_MELS, COUNTS_AT);
  }
  const nv = found[0];
  const nu = found[1];
  for (let m = 0; m < N_MELS; m++) { voicedMean[m] = nv ? sums[m] / nv : 0; unvoicedMean[m] = nu ? sums[N_MELS + m] / nu : 0; }
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
