// Training-time audio variants: augmentation for training folds, and degradations to test robustness.
import opus from '@discordjs/opus';
import { rng } from '../../src/core/model/random.js';

/** `augment` variants are added to training folds only; `test` variants only measure robustness. */
export const AUGMENT_VARIANTS = ['noise', 'gain', 'opus32', 'speed'] as const;
/** What `npm run train` adds by default: Opus keeps accuracy on voice notes within 2 points of clean audio; noise
 * measured no better and costs a fifth of the extraction time (models/EXPERIMENTS.md). */
export const DEFAULT_AUGMENT: readonly Variant[] = ['opus32', 'speed', 'gain'];
export const TEST_VARIANTS = ['opus32', 'minus18', 'peaknorm'] as const;
export type Variant = 'clean' | (typeof AUGMENT_VARIANTS)[number] | (typeof TEST_VARIANTS)[number];

/** Bumped whenever a variant's audio changes, so cached features of the old recipe are not reused. */
export const AUGMENT_VERSION = 'a2';

/**
 * A variant's random draws depend on the file and the variant's name only, never on which other
 * variants were asked for alongside it: same data + seed → same augmented audio → same model.
 */
export function variantSeed(fileSeed: number, variant: Variant): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < variant.length; i++) h = Math.imul(h ^ variant.charCodeAt(i), 0x01000193);
  return (fileSeed ^ h) >>> 0;
}

export function applyVariant(x: Float32Array, variant: Variant, seed: number): Float32Array {
  const rand = rng(seed);
  switch (variant) {
    case 'clean':
      return x;
    case 'noise': {
      // White noise at a random 10–30 dB SNR relative to the clip's own power.
      const snrDb = 10 + 20 * rand();
      let p = 0;
      for (const v of x) p += v * v;
      const sigma = Math.sqrt(p / Math.max(1, x.length) / 10 ** (snrDb / 10));
      return x.map((v) => clip(v + sigma * gaussian(rand)));
    }
    case 'gain':
      return gainDb(x, -12 + 24 * rand());
    case 'minus18':
      return gainDb(x, -18);
    case 'peaknorm': {
      let peak = 0;
      for (const v of x) peak = Math.max(peak, Math.abs(v));
      return peak > 0 ? x.map((v) => v / peak) : x;
    }
    case 'opus32':
      return opusRoundTrip(x, 32_000);
    case 'speed': {
      // Tape-style: playing 16 kHz samples as if they were at 16 kHz × f changes tempo and pitch by f.
      // Linear interpolation is enough here: a ±10 % shift moves little energy near Nyquist.
      const f = 0.9 + 0.2 * rand();
      const out = new Float32Array(Math.floor(x.length / f));
      for (let i = 0; i < out.length; i++) {
        const t = i * f, k = Math.floor(t), a = t - k;
        out[i] = x[k] * (1 - a) + (x[k + 1] ?? x[k]) * a;
      }
      return out;
    }
  }
}

function gainDb(x: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  return x.map((v) => clip(v * g));
}

function clip(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

const OPUS_SET_COMPLEXITY = 4010;

/** Encode + decode with libopus at the given bitrate, like a Discord voice note (20-ms frames). */
export function opusRoundTrip(x: Float32Array, bitrate: number): Float32Array {
  const enc = new opus.OpusEncoder(16_000, 1);
  enc.setBitrate(bitrate);
  // Complexity 3 instead of libopus' default 10: ~4× faster with the same bitrate, which is what
  // shapes the degradation we want to learn from.
  enc.applyEncoderCTL(OPUS_SET_COMPLEXITY, 3);
  const frame = 320;
  const out = new Float32Array(Math.ceil(x.length / frame) * frame);
  const buf = Buffer.alloc(frame * 2);
  for (let off = 0; off < x.length; off += frame) {
    buf.fill(0);
    for (let i = 0; i < frame && off + i < x.length; i++) buf.writeInt16LE(Math.round(clip(x[off + i]) * 32767), i * 2);
    const dec = enc.decode(enc.encode(buf));
    for (let i = 0; i < dec.length / 2 && off + i < out.length; i++) out[off + i] = dec.readInt16LE(i * 2) / 32768;
  }
  return out.subarray(0, x.length);
}
