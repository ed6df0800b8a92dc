// F0 per frame: normalised cross-correlation (RAPT-style NCCF) on 40 ms windows of a 2:1 decimated signal.
import { PitchKernels } from '../dsp/fft.js';
import { Reused } from '../dsp/reuse.js';
import { SAMPLE_RATE } from '../pcm.js';
import { HOP } from './frames.js';
import { bestPath } from './pitch-path.js';

export interface PitchTrack {
  /** F0 in Hz per frame (aligned with the spectral frames), 0 where unvoiced or not speech. */
  f0: Float32Array;
  /** Peak NCCF per frame (0…1): how periodic the frame is, 0 where not analysed. */
  strength: Float32Array;
}

export const F0_MIN = 60;
export const F0_MAX = 500;
/** 8 kHz keeps every harmonic that matters for F0 and halves the correlation work. */
const RATE = SAMPLE_RATE / 2;
const WINDOW = Math.round(0.04 * RATE);
const LAG_MIN = Math.floor(RATE / F0_MAX);
const LAG_MAX = Math.ceil(RATE / F0_MIN);
const SPAN = WINDOW + LAG_MAX + 1;
/**
 * F0 is measured every 20 ms, centred between two 10 ms frames, and given to both: 40 ms windows
 * overlap by half at that rate, and it halves the dearest step of the pipeline.
 */
const FRAMES_PER_STEP = 2;
const STEP = (FRAMES_PER_STEP * HOP) / 2;
const FFT_SIZE = 512;
/**
 * The unvoiced candidate's strength: white noise peaks near 0.25 on a 320-sample window, voiced
 * speech at 0.6–0.95.
 */
const VOICING_THRESHOLD = 0.5;
/**
 * A periodic signal correlates equally at 2, 3… periods; a small bonus per octave of shorter lag
 * makes the shortest one win the tie (Praat's octave cost, a little stronger).
 */
const OCTAVE_COST = 0.02;

// Half-band low-pass (23 taps, Hamming): flat to ~3.4 kHz, then 2:1 decimation. decimate() unrolls these taps.
const HALF = 11;
const TAPS = Float64Array.from({ length: 2 * HALF + 1 }, (_, i) => {
  const n = i - HALF;
  const sinc = n === 0 ? 1 : Math.sin((Math.PI * n) / 2) / ((Math.PI * n) / 2);
  return 0.5 * sinc * (0.54 + 0.46 * Math.cos((Math.PI * n) / HALF));
});
{
  const sum = TAPS.reduce((a, v) => a + v, 0);
  for (let i = 0; i < TAPS.length; i++) TAPS[i] /= sum;
}

const [H0, H1, H3, H5, H7, H9, H11] = [0, 1, 3, 5, 7, 9, 11].map((k) => TAPS[HALF + k]);

// The NCCF of two steps at a time, its peaks, the path through them and the half-band filter in WebAssembly
// (fft.wat's "pitchPair", "pitchPeaks", "pitchPath" and "halfband").
const kernels = new PitchKernels(FFT_SIZE, Float64Array.of(H0, H1, H3, H5, H7, H9, H11), {
  window: WINDOW,
  span: SPAN,
  lo: LAG_MIN - 1,
  hi: LAG_MAX + 1,
  tiny: 1e-20,
  rate: RATE,
  unvoiced: VOICING_THRESHOLD,
  octaveCost: OCTAVE_COST,
});
/** pitchTrack's prefix sums of d² (up to ~16 s at 8 kHz, 1 MB), kept from call to call. */
const reusedEnergy = new Reused((n) => new Float64Array(n), 1 << 17);

export function decimate(x: Float32Array): Float32Array {
  const out = new Float32Array(Math.ceil(x.length / 2));
  // Outputs whose taps all fall inside x read it directly; the few at either end read zeros outside.
  const first = Math.min(out.length, (HALF + 1) >> 1);
  const end = Math.max(first, Math.min(out.length, Math.floor((x.length - 1 - HALF) / 2) + 1));
  decimateEdge(x, out, 0, first);
  // Even offsets have zero taps and odd ones are symmetric: 6 products per output (fft.wat's "halfband").
  kernels.halfband(x, first, end, out);
  decimateEdge(x, out, end, out.length);
  return out;
}

/** The same sum where some taps fall outside x (read as zero). */
function decimateEdge(x: Float32Array, out: Float32Array, from: number, to: number): void {
  for (let m = from; m < to; m++) {
    const c = 2 * m;
    out[m] =
      H0 * at(x, c) + H1 * (at(x, c - 1) + at(x, c + 1)) + H3 * (at(x, c - 3) + at(x, c + 3)) + H5 * (at(x, c - 5) + at(x, c + 5)) +
      H7 * (at(x, c - 7) + at(x, c + 7)) + H9 * (at(x, c - 9) + at(x, c + 9)) + H11 * (at(x, c - 11) + at(x, c + 11));
  }
  return;
}

function at(x: Float32Array, i: number): number {
  return i >= 0 && i < x.length ? x[i] : 0;
}

/**
 * F0 of the frames flagged in `analyse` (the speech frames); other frames stay unvoiced. `d` is
 * decimate(x), for a caller that needs the 8-kHz signal for other measures too.
 */
export function pitchTrack(x: Float32Array, analyse: Uint8Array, d = decimate(x)): PitchTrack {
  const frames = analyse.length;
  const track: PitchTrack = { f0: new Float32Array(frames), strength: new Float32Array(frames) };
  const energy = reusedEnergy.take(d.length + 1);
  kernels.prefixSquares(d, energy);
  const steps: number[] = [];
  for (let g = 0; g * FRAMES_PER_STEP < frames; g++) {
    const t = g * FRAMES_PER_STEP;
    if (analyse[t] || (t + 1 < frames && analyse[t + 1])) steps.push(g);
  }
  // The steps' candidates and path live in the kernels' memory (path() may grow it: its views are taken after).
  kernels.path(steps.length);
  // Two steps share each set of transforms: one as the real, one as the imaginary part.
  kernels.reset();
  for (let i = 0; i < steps.length; i += 2) {
    const second = i + 1 < steps.length;
    kernels.pair(d, energy, spanStart(steps[i]), second ? spanStart(steps[i + 1]) : null, i);
  }
  const joined = kernels.joined;
  for (let i = 1; i < steps.length; i++) joined[i] = steps[i - 1] === steps[i] - 1 ? 1 : 0;
  const f0 = bestPath(kernels, steps.length);
  const peak = kernels.peak;
  for (let i = 0; i < steps.length; i++) {
    const g = steps[i];
    for (let t = g * FRAMES_PER_STEP; t < Math.min(frames, (g + 1) * FRAMES_PER_STEP); t++) {
      if (!analyse[t]) continue;
      track.f0[t] = f0[i];
      track.strength[t] = peak[i];
    }
  }
  return track;
}

/** First decimated sample of step g's span, centred on the middle of its frames. */
const spanStart = (g: number): number => g * STEP + ((FRAMES_PER_STEP - 1) * HOP) / 4 - (SPAN >> 1);
