// Music and tones made in code: "not a human voice" examples for the naturalness check (fit and tests), no files needed.
import { rng } from '../src/core/model/random.js';

const SR = 16_000;
const TAU = 2 * Math.PI;

/**
 * Each generator makes `sec` seconds of 16-kHz mono from a seed, at a level drawn between −35 and
 * −15 dBFS RMS. They differ in how the sound is made (pure sines, additive harmonics with vibrato,
 * plucked strings, noise bursts, a formant-filtered pulse train), so holding one out of the fit shows
 * whether the check learned "music" or one recipe.
 */
const MUSIC_GENERATORS = {
  /** Chords of three or four pure sines with piano-like decays: what got "sad" at high confidence. */
  'sine-chords': sineChords,
  /** Sustained notes of a harmonic tone (organ, strings, brass) with vibrato and a soft attack. */
  'harmonic-vibrato': harmonicVibrato,
  /** Broken chords of plucked strings (Karplus–Strong), fast notes. */
  arpeggio,
  /** Kick, snare and hi-hat: noise bursts and pitch-swept sines on a beat. */
  drums,
  /** A melody over a bass line and drums. */
  band,
  /** Tones: a steady sine, sweeps, beeps in pairs (DTMF-like), square waves. */
  tones,
  /** A sung vowel line (a pulse train through moving formant filters) over chords: voice-like, still machine-made. */
  song,
} as const;
export type MusicGenerator = keyof typeof MUSIC_GENERATORS;
export const MUSIC_GENERATOR_NAMES = Object.keys(MUSIC_GENERATORS) as MusicGenerator[];

export function music(kind: MusicGenerator, seed: number, sec = 4): Float32Array {
  const rand = rng(seed * 7919 + kind.length * 104_729 + 17);
  const x = MUSIC_GENERATORS[kind](rand, Math.round(sec * SR));
  return atLevel(x, -35 + 20 * rand());
}

type Rand = () => number;

const midi = (n: number) => 440 * 2 ** ((n - 69) / 12);
const CHORDS = [
  [0, 4, 7],
  [0, 3, 7],
  [0, 4, 7, 11],
  [0, 3, 7, 10],
  [0, 5, 9],
  [0, 4, 9],
];

function atLevel(x: Float32Array, db: number): Float32Array {
  let s = 0;
  for (const v of x) s += v * v;
  const rms = Math.sqrt(s / (x.length || 1)) || 1;
  const g = 10 ** (db / 20) / rms;
  for (let i = 0; i < x.length; i++) x[i] = Math.max(-1, Math.min(1, x[i] * g));
  return x;
}

/** Adds a note of additive harmonics `amps` at `f` from `start` for `len` samples with envelope `env(t)`. */
function note(x: Float32Array, start: number, len: number, f: number, amps: readonly number[], env: (t: number) => number, vibrato = 0, vibRate = 5.5): void {
  let phase = 0;
  for (let i = 0; i < len && start + i < x.length; i++) {
    const t = i / SR;
    phase += (TAU * f * (1 + vibrato * Math.sin(TAU * vibRate * t))) / SR;
    let v = 0;
    for (let k = 0; k < amps.length; k++) if (f * (k + 1) < SR / 2) v += amps[k] * Math.sin((k + 1) * phase);
    x[start + i] += v * env(t);
  }
}

const pianoEnv = (tau: number) => (t: number) => Math.min(1, t / 0.005) * Math.exp(-t / tau);

function sineChords(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  const step = Math.round((0.35 + 0.5 * rand()) * SR);
  const tau = 0.25 + 0.8 * rand();
  const root = 45 + Math.floor(rand() * 24);
  for (let at = 0; at < n; at += step) {
    const chord = CHORDS[Math.floor(rand() * CHORDS.length)];
    const base = root + Math.floor(rand() * 8) - 4;
    for (const iv of chord) note(x, at, n - at, midi(base + iv), [1], pianoEnv(tau));
  }
  return x;
}

function harmonicVibrato(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  const k = 3 + Math.floor(rand() * 8);
  const tilt = 0.5 + 1.5 * rand();
  const amps = Array.from({ length: k }, (_, h) => (h % 2 && rand() < 0.3 ? 0.1 : 1) / (h + 1) ** tilt);
  const depth = 0.004 + 0.02 * rand();
  const rate = 4.5 + 2 * rand();
  let at = 0;
  let pitch = 48 + Math.floor(rand() * 30);
  while (at < n) {
    const len = Math.round((0.4 + 0.9 * rand()) * SR);
    const attack = 0.03 + 0.15 * rand();
    const env = (t: number) => Math.min(1, t / attack) * Math.min(1, Math.max(0, (len / SR - t) / 0.05));
    const voices = rand() < 0.5 ? [0] : [0, rand() < 0.5 ? 4 : 3, 7];
    for (const iv of voices) note(x, at, len, midi(pitch + iv), amps, env, depth, rate);
    at += len;
    pitch += Math.floor(rand() * 7) - 3;
  }
  return x;
}

/** Karplus–Strong plucked string from `start`. */
function pluck(x: Float32Array, start: number, len: number, f: number, rand: Rand, damp: number): void {
  const period = Math.max(2, Math.round(SR / f));
  const buf = Float32Array.from({ length: period }, () => rand() * 2 - 1);
  for (let i = 0; i < len && start + i < x.length; i++) {
    const j = i % period;
    const v = buf[j];
    buf[j] = damp * 0.5 * (v + buf[(j + 1) % period]);
    x[start + i] += v;
  }
}

function arpeggio(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  const step = Math.round((0.09 + 0.15 * rand()) * SR);
  const damp = 0.99 + 0.009 * rand();
  let root = 45 + Math.floor(rand() * 20);
  let k = 0;
  for (let at = 0; at < n; at += step, k++) {
    if (k % 8 === 0) root += Math.floor(rand() * 7) - 3;
    const chord = CHORDS[Math.floor(k / 8) % CHORDS.length];
    const up = k % 8 < 4 ? k % 4 : 3 - (k % 4);
    pluck(x, at, Math.min(n - at, SR), midi(root + chord[up % chord.length] + (up >= chord.length ? 12 : 0)), rand, damp);
  }
  return x;
}

function drumKit(x: Float32Array, rand: Rand, beat: number, gain: number): void {
  let lp = 0;
  for (let at = 0, k = 0; at < x.length; at += beat / 2, k++) {
    const s = Math.round(at);
    if (k % 4 === 0) {
      // Kick: a sine swept down from ~150 Hz.
      let ph = 0;
      for (let i = 0; i < 0.25 * SR && s + i < x.length; i++) {
        const t = i / SR;
        ph += (TAU * (50 + 100 * Math.exp(-t / 0.03))) / SR;
        x[s + i] += gain * Math.sin(ph) * Math.exp(-t / 0.08);
      }
    }
    if (k % 4 === 2) {
      // Snare: a noise burst and a 180-Hz body.
      for (let i = 0; i < 0.2 * SR && s + i < x.length; i++) {
        const t = i / SR;
        x[s + i] += gain * (0.6 * (rand() * 2 - 1) * Math.exp(-t / 0.05) + 0.4 * Math.sin(TAU * 180 * t) * Math.exp(-t / 0.04));
      }
    }
    // Hi-hat: high-passed noise, very short.
    for (let i = 0; i < 0.05 * SR && s + i < x.length; i++) {
      const w = rand() * 2 - 1;
      lp += 0.3 * (w - lp);
      x[s + i] += gain * 0.3 * (w - lp) * Math.exp(-i / SR / 0.012);
    }
  }
}

function drums(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  drumKit(x, rand, (60 / (80 + 80 * rand())) * SR, 1);
  return x;
}

function band(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  const beat = (60 / (90 + 60 * rand())) * SR;
  drumKit(x, rand, beat, 0.5);
  const lead = [1, 0.6, 0.3, 0.2, 0.1];
  let pitch = 60 + Math.floor(rand() * 12);
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  for (let at = 0; at < n; ) {
    const len = Math.round(beat * (rand() < 0.5 ? 0.5 : 1));
    const f = midi(pitch + scale[Math.floor(rand() * scale.length)]);
    note(x, at, len, f, lead, (t) => Math.min(1, t / 0.01) * Math.exp(-t / 0.4), 0.003);
    note(x, at, len, midi(pitch - 24), [1, 0.4], (t) => 0.7 * Math.min(1, t / 0.01) * Math.exp(-t / 0.3));
    at += len;
  }
  return x;
}

function tones(rand: Rand, n: number): Float32Array {
  const x = new Float32Array(n);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    note(x, 0, n, 200 + 1000 * rand(), [1], () => 1);
  } else if (kind === 1) {
    // Sweeps up and down between two frequencies.
    const lo = 150 + 300 * rand();
    const hi = lo * (2 + 4 * rand());
    const period = (0.5 + 1.5 * rand()) * SR;
    let ph = 0;
    for (let i = 0; i < n; i++) {
      const u = (i % period) / period;
      ph += (TAU * (lo + (hi - lo) * (u < 0.5 ? 2 * u : 2 - 2 * u))) / SR;
      x[i] = Math.sin(ph);
    }
  } else if (kind === 2) {
    // Beeps: pairs of sines, on and off.
    const on = Math.round((0.08 + 0.2 * rand()) * SR);
    const off = Math.round((0.05 + 0.2 * rand()) * SR);
    for (let at = 0; at < n; at += on + off) {
      const env = (t: number) => Math.min(1, t / 0.003, (on / SR - t) / 0.003);
      note(x, at, on, 650 + 300 * rand(), [1], env);
      note(x, at, on, 1200 + 400 * rand(), [1], env);
    }
  } else {
    // A square wave (odd harmonics) stepping between pitches.
    const step = Math.round((0.2 + 0.5 * rand()) * SR);
    const amps = Array.from({ length: 15 }, (_, h) => (h % 2 === 0 ? 1 / (h + 1) : 0));
    for (let at = 0; at < n; at += step) note(x, at, step, midi(55 + Math.floor(rand() * 24)), amps, () => 1);
  }
  return x;
}

/** A two-pole resonator (a formant) over `src`, in place into `out`. */
function resonate(src: Float32Array, out: Float32Array, freqs: Float64Array, bw: number, gain: number): void {
  let y1 = 0;
  let y2 = 0;
  const r = Math.exp((-Math.PI * bw) / SR);
  for (let i = 0; i < src.length; i++) {
    const y = (1 - r) * src[i] + 2 * r * Math.cos((TAU * freqs[i]) / SR) * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] += gain * y;
  }
}

const VOWELS = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [300, 870, 2240],
  [530, 1840, 2480],
  [570, 840, 2410],
  [660, 1720, 2410],
];

function song(rand: Rand, n: number): Float32Array {
  const x = sineChords(rand, n);
  atLevel(x, -26);
  // Glottal-like pulses on a sung melody (notes held 0.3–0.7 s, light vibrato), vowels changing with the notes.
  const pulses = new Float32Array(n);
  const f1 = new Float64Array(n);
  const f2 = new Float64Array(n);
  const f3 = new Float64Array(n);
  let phase = 0;
  let base = 48 + Math.floor(rand() * 19);
  for (let at = 0; at < n; ) {
    const len = Math.round((0.3 + 0.4 * rand()) * SR);
    const f0 = midi(base + [0, 2, 4, 5, 7][Math.floor(rand() * 5)]);
    const v = VOWELS[Math.floor(rand() * VOWELS.length)];
    for (let i = at; i < Math.min(n, at + len); i++) {
      const prev = phase;
      phase += (f0 * (1 + 0.01 * Math.sin((TAU * 5.5 * i) / SR))) / SR;
      if (Math.floor(phase) > Math.floor(prev)) pulses[i] = 1;
      f1[i] = v[0];
      f2[i] = v[1];
      f3[i] = v[2];
    }
    at += len;
    if (rand() < 0.3) base += Math.floor(rand() * 5) - 2;
  }
  const voice = new Float32Array(n);
  resonate(pulses, voice, f1, 80, 1);
  resonate(pulses, voice, f2, 100, 0.5);
  resonate(pulses, voice, f3, 150, 0.25);
  atLevel(voice, -20);
  for (let i = 0; i < n; i++) x[i] += voice[i];
  return x;
}
