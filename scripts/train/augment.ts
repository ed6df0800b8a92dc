// Training-time audio variants: realistic degradations for training folds, and held-out conditions to score robustness.
import opus from '@discordjs/opus';
import { resample } from '../../src/core/audio/resample.js';
import { rng } from '../../src/core/model/random.js';

/**
 * `augment` variants are added to training folds only. `mix1`/`mix2` are each one random realistic
 * chain (speed, a room, a noise of one of seven kinds at 0–30 dB SNR, a channel). The default is one
 * such copy per clip: on a shared 2-core machine a second copy did not fit the time available
 * (models/EXPERIMENTS.md). The older single-kind variants stay for experiments.
 */
export const AUGMENT_VARIANTS = ['mix1', 'mix2', 'noise', 'gain', 'opus32', 'speed', 'quiet16'] as const;
export const DEFAULT_AUGMENT: readonly Variant[] = ['mix1'];
/**
 * Variants made for only a share of the clips (chosen by content hash, apart from the robustness
 * share). `quiet16` (opt-in: `--augment mix1,quiet16`) is a quiet 16-bit recording with nothing else
 * added: without it, quiet RAVDESS clips 24 dB quieter tend to read as *neutral*. Measured on all three
 * corpora it moved 3 of 579 such answers back and cost RAVDESS 1.1 points, so it is not the default
 * (models/EXPERIMENTS.md). A third of the clips keeps warm training near a minute.
 */
export const AUGMENT_SHARE: Partial<Record<Variant, number>> = { quiet16: 0.3 };

/** The augmented copies a clip gets, given its content hash. */
export function augmentsFor(hash: string, list: readonly Variant[]): Variant[] {
  return list.filter((v) => { const share = AUGMENT_SHARE[v]; return share === undefined || parseInt(hash.slice(16, 24), 16) / 2 ** 32 < share; });
}
/**
 * Test-only conditions, scored on held-out folds. Their noise instances, babble talkers, rooms and
 * channel settings are drawn from sets the training chains never use (see `ROOMS`, `babble`).
 */
export const CONDITIONS = ['noise20', 'babble20', 'reverb', 'phone', 'quiet', 'opus'] as const;
/** Level checks: the same clip 24 dB quieter as 16-bit, and peak-normalised. */
export const LEVEL_VARIANTS = ['minus24', 'peaknorm'] as const;
/**
 * What training scores on held-out folds. Not `peaknorm`: the analysis normalises the level itself,
 * so its features are the clean ones to ~0.1 % (100 % of answers unchanged in every run so far) and
 * it only cost extraction time; `npm run eval -- --condition peaknorm` and test/core/level.test.ts
 * still check it.
 */
export const TEST_VARIANTS = [...CONDITIONS, 'minus24'] as const;
/** Variants whose noise is made of other talkers: their features depend on which files those are. */
export const USES_TALKERS: ReadonlySet<Variant> = new Set<Variant>(['mix1', 'mix2', 'babble20']);
export type Condition = (typeof CONDITIONS)[number];
export type Variant = 'clean' | (typeof AUGMENT_VARIANTS)[number] | (typeof CONDITIONS)[number] | (typeof LEVEL_VARIANTS)[number];

/** Bumped whenever a variant's audio changes, so cached features of the old recipe are not reused. */
export const AUGMENT_VERSION = 'a3';

const SR = 16_000;

/** Talkers for babble: unit-RMS speech of other speakers, one set for training and a disjoint one for tests. */
export interface BabbleBeds {
  train: Float32Array[];
  test: Float32Array[];
}

/**
 * A variant's random draws depend on the file and the variant's name only, never on which other
 * variants were asked for alongside it: same data + seed → same augmented audio → same model.
 */
export function variantSeed(fileSeed: number, variant: Variant): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < variant.length; i++) h = Math.imul(h ^ variant.charCodeAt(i), 0x01000193);
  return (fileSeed ^ h) >>> 0;
}

export function applyVariant(x: Float32Array, variant: Variant, seed: number, beds: BabbleBeds = { train: [], test: [] }): Float32Array {
  const rand = rng(seed);
  switch (variant) {
    case 'clean':
      return x;
    case 'mix1':
    case 'mix2':
      return realisticChain(x, rand, beds.train);
    case 'noise':
      return addAt(x, noiseOf('white', x.length, rand), 10 + 20 * rand());
    case 'gain':
      return gainDb(x, -12 + 24 * rand());
    case 'opus32':
      return opusRoundTrip(x, 32_000);
    case 'speed':
      return speed(x, 0.9 + 0.2 * rand());
    case 'quiet16': {
      // The speech (loud half of the frames) lands at −78…−48 dBFS, then 16-bit rounding: the range
      // where the device's quantisation floor comes within 20–50 dB of the voice. Never made louder.
      const levelDb = 10 * Math.log10(speechPower(x) || 1e-12);
      return quantize16(gainDb(x, Math.min(0, -78 + 30 * rand() - levelDb)));
    }
    case 'noise20':
      return addAt(x, noiseOf(pick(['pink', 'fan', 'hum', 'music'] as const, rand), x.length, rand, true), 20);
    case 'babble20':
      return addAt(x, babble(x.length, beds.test, rand), 20);
    case 'reverb':
      return reverb(x, ROOMS.test, 0.6, 0.5);
    case 'phone':
      return phone(x, 200, 3600);
    case 'quiet':
      return quantize16(gainDb(x, -30));
    case 'opus':
      return opus48(x, 24_000, 0.03, rand);
    case 'minus24':
      return quantize16(gainDb(x, -24));
    case 'peaknorm': {
      let peak = 0;
      for (const v of x) peak = Math.max(peak, Math.abs(v));
      return peak > 0 ? x.map((v) => v / peak) : x;
    }
  }
}

type NoiseKind = 'white' | 'pink' | 'brown' | 'hum' | 'fan' | 'music' | 'babble';

/** One random realistic recording: speed, maybe a room, maybe a noise at 0–30 dB SNR, maybe a channel. */
function realisticChain(x: Float32Array, rand: () => number, talkers: Float32Array[]): Float32Array {
  let y = rand() < 0.5 ? speed(x, 0.9 + 0.2 * rand()) : x;
  if (rand() < 0.35) y = reverb(y, ROOMS.train[Math.floor(rand() * ROOMS.train.length)], 0.2 + 0.7 * rand(), 0.2 + 0.8 * rand());
  if (rand() < 0.7) {
    const kinds: NoiseKind[] = talkers.length ? ['white', 'pink', 'brown', 'hum', 'fan', 'music', 'babble'] : ['white', 'pink', 'brown', 'hum', 'fan', 'music'];
    const kind = pick(kinds, rand);
    const noise = kind === 'babble' ? babble(y.length, talkers, rand) : noiseOf(kind, y.length, rand);
    y = addAt(y, noise, 30 * rand());
  }
  const channel = rand();
  if (channel < 0.15) y = phone(y, 250 + 150 * rand(), 3000 + 800 * rand());
  else if (channel < 0.35) y = opus48(y, 12_000 + 40_000 * rand(), 0.06 * rand(), rand);
  else if (channel < 0.5) y = quantize16(gainDb(y, -20 - 20 * rand()));
  else if (channel < 0.6) y = overdrive(y, 6 + 14 * rand(), rand() < 0.5);
  return gainDb(y, -6 + 12 * rand());
}

function pick<T>(list: readonly T[], rand: () => number): T {
  return list[Math.floor(rand() * list.length)];
}

/** Power of the loud half of the 20-ms frames: the speech, not the pauses between it. */
function speechPower(x: Float32Array): number {
  const frame = 320;
  const powers: number[] = [];
  for (let i = 0; i + frame <= x.length; i += frame) {
    let s = 0;
    for (let j = i; j < i + frame; j++) s += x[j] * x[j];
    powers.push(s / frame);
  }
  if (!powers.length) return x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length);
  powers.sort((a, b) => b - a);
  const half = powers.slice(0, Math.max(1, Math.ceil(powers.length / 2)));
  return half.reduce((a, b) => a + b, 0) / half.length;
}

/** x + noise scaled to `snrDb` below the speech. */
function addAt(x: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  let pn = 0;
  for (const v of noise) pn += v * v;
  pn /= Math.max(1, noise.length);
  const g = pn > 0 ? Math.sqrt(speechPower(x) / pn / 10 ** (snrDb / 10)) : 0;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = clip(x[i] + g * noise[i]);
  return out;
}

/** Noise instances: `held` draws parameters from ranges the training chains do not use. */
function noiseOf(kind: Exclude<NoiseKind, 'babble'>, n: number, rand: () => number, held = false): Float32Array {
  const out = new Float32Array(n);
  switch (kind) {
    case 'white':
      for (let i = 0; i < n; i++) out[i] = gaussian(rand);
      return out;
    case 'pink': {
      // Paul Kellet's economy filter: −3 dB per octave within ~0.5 dB.
      let b0 = 0, b1 = 0, b2 = 0;
      for (let i = 0; i < n; i++) {
        const w = gaussian(rand);
        b0 = 0.99765 * b0 + w * 0.099046;
        b1 = 0.963 * b1 + w * 0.2965164;
        b2 = 0.57 * b2 + w * 1.0526913;
        out[i] = b0 + b1 + b2 + w * 0.1848;
      }
      return out;
    }
    case 'brown': {
      let b = 0;
      for (let i = 0; i < n; i++) out[i] = b = 0.98 * b + gaussian(rand);
      return out;
    }
    case 'hum': {
      // Mains hum: 50 or 60 Hz and its harmonics (a buzz, strongest low), over a little hiss.
      const f0 = held ? 60 : rand() < 0.5 ? 50 : 60;
      const amps = Array.from({ length: 12 }, (_, h) => (1 / (h + 1)) * (0.5 + rand()));
      const phases = amps.map(() => 2 * Math.PI * rand());
      for (let i = 0; i < n; i++) {
        let s = 0.05 * gaussian(rand);
        for (let h = 0; h < amps.length; h++) s += amps[h] * Math.sin((2 * Math.PI * f0 * (h + 1) * i) / SR + phases[h]);
        out[i] = s;
      }
      return out;
    }
    case 'fan': {
      // Low-passed rushing air plus a blade-pass tone.
      const cutoff = held ? 700 + 200 * rand() : 150 + 500 * rand();
      const a = Math.exp((-2 * Math.PI * cutoff) / SR);
      const blade = held ? 170 + 30 * rand() : 80 + 80 * rand();
      let lp = 0;
      for (let i = 0; i < n; i++) {
        lp = a * lp + (1 - a) * gaussian(rand);
        out[i] = lp * 8 + 0.3 * Math.sin((2 * Math.PI * blade * i) / SR);
      }
      return out;
    }
    case 'music': {
      // Music-like: chords of harmonic tones that change every 0.25–0.8 s, with a soft attack.
      let i = 0;
      while (i < n) {
        const len = Math.min(n - i, Math.floor(SR * (0.25 + 0.55 * rand())));
        const notes = Array.from({ length: 3 }, () => 110 * 2 ** ((held ? 13 : 0) / 12 + Math.floor(rand() * 24) / 12));
        for (let j = 0; j < len; j++) {
          const env = Math.min(1, j / 400) * Math.exp(-j / (SR * 0.6));
          let s = 0;
          for (const f of notes) for (let h = 1; h <= 5; h++) if (f * h < SR / 2) s += Math.sin((2 * Math.PI * f * h * (i + j)) / SR) / h;
          out[i + j] = env * s;
        }
        i += len;
      }
      return out;
    }
  }
}

/** Five overlapping talkers from `talkers`, each from a random offset (looped), at equal level. */
function babble(n: number, talkers: Float32Array[], rand: () => number): Float32Array {
  const out = new Float32Array(n);
  if (!talkers.length) return noiseOf('pink', n, rand);
  for (let k = 0; k < 5; k++) {
    const t = talkers[Math.floor(rand() * talkers.length)];
    const off = Math.floor(rand() * t.length);
    for (let i = 0; i < n; i++) out[i] += t[(off + i) % t.length];
  }
  return out;
}

/** Comb delays (ms) of Schroeder reverberators: training rooms and a held-out test room never trained on. */
const ROOMS = {
  train: [
    [29.7, 37.1, 41.1, 43.7],
    [23.3, 31.7, 35.9, 47.3],
    [19.1, 26.3, 33.7, 39.9],
  ],
  test: [25.7, 34.3, 39.1, 45.1],
} as const;

/** Four feedback combs in parallel, then two allpasses; `rt60` in seconds, `wet` the reverberant share. */
function reverb(x: Float32Array, combMs: readonly number[], rt60: number, wet: number): Float32Array {
  const n = x.length;
  const tail = Math.floor(0.3 * SR);
  const src = new Float32Array(n + tail);
  src.set(x);
  const sum = new Float32Array(src.length);
  for (const ms of combMs) {
    const d = Math.round((ms / 1000) * SR);
    const g = 10 ** ((-3 * (ms / 1000)) / rt60);
    const buf = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) buf[i] = src[i] + (i >= d ? g * buf[i - d] : 0);
    for (let i = 0; i < src.length; i++) sum[i] += buf[i] / combMs.length;
  }
  let y = sum;
  for (const [ms, g] of [[5.0, 0.7], [1.7, 0.7]] as const) {
    const d = Math.round((ms / 1000) * SR);
    const out = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = -g * y[i] + (i >= d ? y[i - d] + g * out[i - d] : 0);
    y = out;
  }
  // Match the reverberant part's power to the dry part's before mixing, then keep the original length.
  let pd = 0, pw = 0;
  for (let i = 0; i < n; i++) { pd += x[i] * x[i]; pw += y[i] * y[i]; }
  const gw = pw > 0 ? Math.sqrt(pd / pw) : 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = clip((1 - wet) * x[i] + wet * gw * y[i]);
  return out;
}

/** RBJ biquad, run in place. */
function biquad(x: Float32Array, kind: 'lp' | 'hp', f: number, q = Math.SQRT1_2): Float32Array {
  const w = (2 * Math.PI * f) / SR, c = Math.cos(w), a = Math.sin(w) / (2 * q);
  const b0 = kind === 'lp' ? (1 - c) / 2 : (1 + c) / 2, b1 = kind === 'lp' ? 1 - c : -(1 + c), a0 = 1 + a, a1 = -2 * c, a2 = 1 - a;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const y = (b0 * v + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1; x1 = v; y2 = y1; y1 = y;
    x[i] = y;
  }
  return x;
}

/** Telephone channel: band-limited (4th-order edges) and G.711 μ-law companded to 8 bits. */
function phone(x: Float32Array, lo: number, hi: number): Float32Array {
  const y = biquad(biquad(biquad(biquad(x.slice(), 'hp', lo), 'hp', lo), 'lp', hi), 'lp', hi);
  const mu = 255;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const c = Math.sign(v) * Math.log1p(mu * Math.min(1, Math.abs(v))) / Math.log1p(mu);
    const q = Math.round(c * 127) / 127;
    y[i] = Math.sign(q) * ((1 + mu) ** Math.abs(q) - 1) / mu;
  }
  return y;
}

/** Too hot a microphone: gain then hard clipping, or an AGC-like soft limiter. */
function overdrive(x: Float32Array, db: number, soft: boolean): Float32Array {
  const g = 10 ** (db / 20);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = soft ? Math.tanh(x[i] * g) : clip(x[i] * g);
  return out;
}

/** A 16-bit device: rounding to the int16 grid (no dither), as most sound cards deliver quiet input. */
function quantize16(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.round(x[i] * 32767) / 32767;
  return out;
}

function speed(x: Float32Array, f: number): Float32Array {
  // Tape-style: playing 16 kHz samples as if they were at 16 kHz × f changes tempo and pitch by f.
  // Linear interpolation is enough here: a ±10 % shift moves little energy near Nyquist.
  const out = new Float32Array(Math.floor(x.length / f));
  for (let i = 0; i < out.length; i++) {
    const t = i * f, k = Math.floor(t), a = t - k;
    out[i] = x[k] * (1 - a) + (x[k + 1] ?? x[k]) * a;
  }
  return out;
}

function gainDb(x: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = clip(x[i] * g);
  return out;
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
  return opusFrames(x, 16_000, bitrate, 0, () => 1);
}

/** Discord's voice path: 48 kHz Opus, 20-ms packets, a share of them lost (concealed by repeating the last one, faded). */
function opus48(x: Float32Array, bitrate: number, loss: number, rand: () => number): Float32Array {
  const up = resample(x, SR, 48_000);
  return resample(opusFrames(up, 48_000, bitrate, loss, rand), 48_000, SR).subarray(0, x.length);
}

function opusFrames(x: Float32Array, rate: number, bitrate: number, loss: number, rand: () => number): Float32Array {
  const enc = new opus.OpusEncoder(rate, 1);
  enc.setBitrate(Math.round(bitrate));
  // Complexity 3 instead of libopus' default 10: ~4× faster with the same bitrate, which is what
  // shapes the degradation we want to learn from.
  enc.applyEncoderCTL(OPUS_SET_COMPLEXITY, 3);
  const frame = rate / 50;
  const out = new Float32Array(Math.ceil(x.length / frame) * frame);
  // 16-bit PCM through typed arrays (little-endian, as libopus takes it on the machines Node runs on): the
  // Buffer's per-sample writeInt16LE/readInt16LE calls were most of this function's own time.
  const pcm16 = new Int16Array(frame);
  const buf = Buffer.from(pcm16.buffer);
  let last: Float32Array | null = null;
  for (let off = 0; off < x.length; off += frame) {
    pcm16.fill(0);
    for (let i = 0; i < frame && off + i < x.length; i++) pcm16[i] = Math.round(clip(x[off + i]) * 32767);
    const packet = enc.encode(buf);
    if (last && rand() < loss) {
      last = last.map((v) => v * 0.5);
      out.set(last, off);
      continue;
    }
    const dec = enc.decode(packet);
    const dec16 = dec.byteOffset % 2 === 0 ? new Int16Array(dec.buffer, dec.byteOffset, dec.length >> 1) : new Int16Array(Uint8Array.from(dec).buffer);
    const pcm = new Float32Array(frame);
    for (let i = 0; i < Math.min(frame, dec16.length); i++) pcm[i] = dec16[i] / 32768;
    out.set(pcm, off);
    last = pcm;
  }
  return out.subarray(0, x.length);
}
