// Frame geometry shared by every per-frame descriptor, so all tracks line up frame for frame.
import { SAMPLE_RATE } from '../pcm.js';

/** 512 samples = 32 ms: long enough to resolve the harmonics of a low voice (31.25 Hz bins). */
export const FRAME_LENGTH = 512;
/** 10 ms hop. */
export const HOP = 160;
export const N_BINS = FRAME_LENGTH / 2 + 1;
export const FRAME_SECONDS = HOP / SAMPLE_RATE;
export const BIN_HZ = SAMPLE_RATE / FRAME_LENGTH;

/** Frames are centred on t·HOP (zero padded at the ends, like librosa's center=True). */
export function frameCount(nSamples: number): number {
  return nSamples === 0 ? 0 : 1 + Math.floor(nSamples / HOP);
}

/** First sample of frame t (may be negative: samples outside the signal read as zero). */
export function frameStart(t: number): number {
  return t * HOP - FRAME_LENGTH / 2;
}
