// The one STFT every spectral descriptor reads: each frame is transformed once.
import FFT from 'fft.js';
import { FRAME_LENGTH, N_BINS, frameCount, frameStart } from './frames.js';

export interface Spectrogram {
  frames: number;
  /** |X|², frame-major: power[t·N_BINS + k]. */
  power: Float32Array;
  /** |X|, same layout. */
  magnitude: Float32Array;
}

// Module-level: built once, reused by every call (the product runs thousands of clips per process).
const fft = new FFT(FRAME_LENGTH);
/** Periodic Hann, as librosa/scipy use for spectral analysis. */
const WINDOW = Float64Array.from({ length: FRAME_LENGTH }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME_LENGTH));
const frameBuf = new Float64Array(FRAME_LENGTH);
// fft.js runs fastest writing to its own plain-array layout.
const spectrumBuf: number[] = fft.createComplexArray();

export function spectrogram(x: Float32Array): Spectrogram {
  const frames = frameCount(x.length);
  const power = new Float32Array(frames * N_BINS);
  const magnitude = new Float32Array(frames * N_BINS);
  // Module tables as locals: V8 keeps them in registers instead of reloading them per sample.
  const window = WINDOW;
  const buf = frameBuf;
  const spectrum = spectrumBuf;
  for (let t = 0; t < frames; t++) {
    const start = frameStart(t);
    if (start >= 0 && start + FRAME_LENGTH <= x.length) {
      for (let i = 0; i < FRAME_LENGTH; i++) buf[i] = x[start + i] * window[i];
    } else {
      for (let i = 0; i < FRAME_LENGTH; i++) {
        const j = start + i;
        buf[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
      }
    }
    // realTransform fills bins 0…N/2 (the half we need); completeSpectrum would only mirror it.
    fft.realTransform(spectrum, buf);
    const row = t * N_BINS;
    for (let k = 0; k < N_BINS; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      const p = re * re + im * im;
      power[row + k] = p;
      magnitude[row + k] = Math.sqrt(p);
    }
  }
  return { frames, power, magnitude };
}
