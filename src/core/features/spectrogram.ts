// The one STFT every spectral descriptor reads: each frame is transformed once.
import { PowerSpectra } from '../dsp/fft.js';
import { Reused } from '../dsp/reuse.js';
import { FRAME_LENGTH, HOP, N_BINS, frameCount, frameStart } from './frames.js';

export interface Spectrogram {
  frames: number;
  /** |X|², frame-major: power[t·N_BINS + k]. */
  power: Float32Array;
  /** |X|, same layout. */
  magnitude: Float32Array;
  /**
   * Mean square of each frame under the Hann window (Σ(w·x)² / Σw², by Parseval from the power):
   * a frame level without the ripple a rectangular frame shows on periodic sounds.
   */
  meanSquare: Float64Array;
}

/** Periodic Hann, as librosa/scipy use for spectral analysis. */
const WINDOW = Float64Array.from({ length: FRAME_LENGTH }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME_LENGTH));
/** Parseval: Σ over all FRAME_LENGTH bins of |X|² = FRAME_LENGTH · Σ(w·x)²; divided by Σw² too. */
const MEAN_SQUARE_SCALE = 1 / (FRAME_LENGTH * WINDOW.reduce((a, w) => a + w * w, 0));
// Module-level: built once, reused by every call (the product runs thousands of clips per process).
const spectra = new PowerSpectra(WINDOW);

/** Up to ~10 s of frames (1 MB each): the power and magnitude arrays of reusing calls. */
const REUSE_MAX = 1 << 18;
const reusedPower = new Reused((n) => new Float32Array(n), REUSE_MAX);
const reusedMagnitude = new Reused((n) => new Float32Array(n), REUSE_MAX);

/**
 * `reuse`: power and magnitude are written over the arrays of the previous reusing call (for a caller
 * that drops the spectrogram before it calls again, as extractFeatures does) instead of new ones.
 */
export function spectrogram(x: Float32Array, reuse = false): Spectrogram {
  const frames = frameCount(x.length);
  const cells = frames * N_BINS;
  const power = reuse ? reusedPower.take(cells) : new Float32Array(cells);
  const magnitude = reuse ? reusedMagnitude.take(cells) : new Float32Array(cells);
  const s: Spectrogram = { frames, power, magnitude, meanSquare: new Float64Array(frames) };
  stft(x, frames, s.power, s.magnitude, s.meanSquare);
  return s;
}

/** |X|² and |X| of every frame in WebAssembly, then each frame's mean square from its bins' sum. */
function stft(x: Float32Array, frames: number, power: Float32Array, magnitude: Float32Array, meanSquare: Float64Array): void {
  spectra.frames(x, frames, frameStart(0), HOP, power, magnitude, meanSquare);
  for (let t = 0; t < frames; t++) {
    const row = t * N_BINS;
    // Bins 1…N/2−1 stand for their mirror images too; DC and Nyquist do not.
    meanSquare[t] = (2 * meanSquare[t] - power[row] - power[row + N_BINS - 1]) * MEAN_SQUARE_SCALE;
  }
}
