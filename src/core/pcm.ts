// The one audio type the core passes around after decoding: mono float samples at 16 kHz.

export const SAMPLE_RATE = 16_000;

/** Mono PCM in [-1, 1] at SAMPLE_RATE. Everything after decoding speaks this type. */
export interface Pcm {
  readonly sampleRate: typeof SAMPLE_RATE;
  readonly samples: Float32Array;
}

export function pcm(samples: Float32Array): Pcm {
  return { sampleRate: SAMPLE_RATE, samples };
}

export function durationSec(p: Pcm): number {
  return p.samples.length / p.sampleRate;
}
