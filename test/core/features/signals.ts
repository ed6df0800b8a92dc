// Synthetic signals with known answers for the feature tests (tones, harmonic voices, clicks, bursts).
import { SAMPLE_RATE } from '../../../src/core/pcm.js';

export const SR = SAMPLE_RATE;

/** A voice-like periodic tone: `harmonics` partials at k·f0 with amplitude 1/k, peak-scaled to `amp`. */
export function harmonicTone(f0: number, sec: number, amp = 0.5, harmonics = 10): Float32Array {
  const x = new Float32Array(Math.round(sec * SR));
  let peak = 0;
  for (let i = 0; i < x.length; i++) {
    let v = 0;
    for (let k = 1; k <= harmonics && k * f0 < SR / 2; k++) v += Math.sin((2 * Math.PI * k * f0 * i) / SR) / k;
    x[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  return x.map((v) => (v / peak) * amp);
}

/** Single-sample impulses every `intervalSec`, starting half an interval in. */
export function clickTrain(intervalSec: number, sec: number, amp = 0.9): Float32Array {
  const x = new Float32Array(Math.round(sec * SR));
  for (let t = intervalSec / 2; t < sec; t += intervalSec) x[Math.round(t * SR)] = amp;
  return x;
}

/** `x` switched on for `onSec` and off (silent) for `offSec`, repeatedly, with 10 ms raised-cosine ramps. */
export function gated(x: Float32Array, onSec: number, offSec: number): Float32Array {
  const period = onSec + offSec;
  const ramp = 0.01;
  return x.map((v, i) => {
    const t = (i / SR) % period;
    if (t >= onSec) return 0;
    const edge = Math.min(t, onSec - t);
    return edge < ramp ? v * 0.5 * (1 - Math.cos((Math.PI * edge) / ramp)) : v;
  });
}

/** Frequency of a semitone-scale note relative to A4 = 440 Hz. */
export const note = (semitonesFromA4: number): number => 440 * 2 ** (semitonesFromA4 / 12);

export function featureMap(names: readonly string[], values: Float32Array): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}
