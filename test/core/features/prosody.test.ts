import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { pitchTrack, type PitchTrack } from '../../../src/core/features/pitch.js';
import { prosody, syllableNuclei, type Prosody } from '../../../src/core/features/prosody.js';
import { spectrogram } from '../../../src/core/features/spectrogram.js';
import { normalised, powerDb, speechMask } from '../../../src/core/features/temporal.js';
import { concat, ravdessFiles, readRavdess, silence, whiteNoise } from '../../helpers/audio-fixtures.js';
import { SR, gated, harmonicTone } from './signals.js';

function prosodyOf(x: Float32Array): Prosody {
  const y = normalised(x);
  const level = powerDb(spectrogram(y).meanSquare);
  const speech = speechMask(level);
  return prosody(pitchTrack(y, speech), level, speech);
}

/** Every `every`-th RAVDESS clip of these actors (decoded as the bot decodes it) as prosody() reads it. */
async function ravdessTracks(actors: number[], every: number): Promise<Array<{ pitch: PitchTrack; level: Float32Array; speech: Uint8Array }>> {
  const tracks = [];
  for (const actor of actors) {
    for (const name of ravdessFiles(actor).filter((_, i) => i % every === 0)) {
      const y = normalised((await decodeAudio(readRavdess(actor, name).bytes)).samples);
      const level = powerDb(spectrogram(y).meanSquare);
      const speech = speechMask(level);
      tracks.push({ pitch: pitchTrack(y, speech), level, speech });
    }
  }
  return tracks;
}

/** A harmonic voice whose F0 (and level) is redrawn every 20 ms: spread ±`f0Spread`, ±`levelSpreadDb`. */
function wobblyVoice(sec: number, f0Spread: number, levelSpreadDb: number): Float32Array {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const x = new Float32Array(Math.round(sec * SR));
  let phase = 0;
  let f0 = 180;
  let gain = 1;
  for (let i = 0; i < x.length; i++) {
    if (i % 320 === 0) {
      f0 = 180 * (1 + 2 * f0Spread * rand());
      gain = 10 ** ((2 * levelSpreadDb * rand()) / 20);
    }
    phase += (2 * Math.PI * f0) / SR;
    x[i] = 0.2 * gain * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase));
  }
  return x;
}

describe('prosody', () => {
  it('a steady voice: all voiced, strongly periodic, no jitter, no shimmer, no pauses', () => {
    const p = prosodyOf(harmonicTone(180, 2));
    expect(p.voicedFraction).toBeGreaterThan(0.97);
    expect(p.voicingStrength).toBeGreaterThan(0.9);
    expect(p.jitter).toBeLessThan(0.002);
    expect(p.shimmer).toBeLessThan(0.1);
    expect(p.pauseRatio).toBeLessThan(0.02);
  });

  it('white noise: hardly any voiced frames and no syllables', () => {
    const p = prosodyOf(whiteNoise(2, SR, 0.3, 8));
    expect(p.voicedFraction).toBeLessThan(0.03);
    expect(p.syllableRate).toBe(0);
  });

  it('jitter and shimmer grow with cycle-to-cycle F0 and level variation', () => {
    const steady = prosodyOf(wobblyVoice(2, 0, 0));
    const rough = prosodyOf(wobblyVoice(2, 0.04, 2));
    expect(rough.jitter).toBeGreaterThan(steady.jitter + 0.005);
    expect(rough.shimmer).toBeGreaterThan(steady.shimmer + 0.3);
  });

  it('counts syllable-like bursts: 4 per second', () => {
    const p = prosodyOf(gated(harmonicTone(160, 3), 0.15, 0.1));
    expect(p.syllableRate).toBeGreaterThan(3.5);
    expect(p.syllableRate).toBeLessThan(4.5);
  });

  it('counts a 5 Hz loudness modulation without silences as 5 syllables per second', () => {
    const x = harmonicTone(200, 3).map((v, i) => v * (0.55 + 0.45 * Math.cos((2 * Math.PI * 5 * i) / SR)));
    const p = prosodyOf(x);
    expect(p.syllableRate).toBeGreaterThan(4.5);
    expect(p.syllableRate).toBeLessThan(5.5);
    expect(p.pauseRatio).toBeLessThan(0.05);
  });

  it('counts about 7 syllables in RAVDESS sentences ("Kids are talking by the door": 7)', async () => {
    const counts = (await ravdessTracks([1, 2, 7, 12], 15)).map(({ pitch, level, speech }) => syllableNuclei(level, speech, pitch.f0));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(5.5);
    expect(mean).toBeLessThan(7.5);
    for (const c of counts) expect(c).toBeGreaterThanOrEqual(3);
  });

  it('pause ratio is the silent share of the clip', () => {
    const voice = harmonicTone(160, 1);
    const p = prosodyOf(concat(voice, silence(1, SR), voice, silence(1, SR)));
    // 2 s of 4 are silent; the 32 ms frames straddling each edge count as speech.
    expect(p.pauseRatio).toBeGreaterThan(0.45);
    expect(p.pauseRatio).toBeLessThan(0.5);
  });

  it('is all pause and nothing else for silence', () => {
    const { pauseRatio, ...rest } = prosodyOf(new Float32Array(SR));
    expect(pauseRatio).toBe(1);
    expect(Object.values(rest).every((v) => v === 0)).toBe(true);
  });
});

/** prosody.ts's prosody() and syllableNuclei() before the kernel, unchanged (constants inlined). */
function referenceNuclei(levelDb: Float32Array, speech: Uint8Array, f0: Float32Array): number {
  const n = levelDb.length;
  const env = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, t - 2); j <= Math.min(n - 1, t + 2); j++, c++) s += levelDb[j];
    env[t] = s / c;
  }
  const minOver = (a: number, b: number): number => {
    let m = Infinity;
    for (let j = Math.max(0, a); j <= Math.min(n - 1, b); j++) m = Math.min(m, env[j]);
    return m;
  };
  let count = 0;
  for (let t = 0; t < n; t++) {
    if (!speech[t]) continue;
    let isPeak = true;
    for (let j = Math.max(0, t - 8); j <= Math.min(n - 1, t + 8) && isPeak; j++) {
      if (env[j] > env[t] || (env[j] === env[t] && j < t)) isPeak = false;
    }
    if (!isPeak) continue;
    let voicedNear = false;
    for (let j = Math.max(0, t - 2); j <= Math.min(n - 1, t + 2); j++) if (f0[j] > 0) voicedNear = true;
    if (!voicedNear) continue;
    const dip = Math.max(minOver(t - 15, t), minOver(t, t + 15));
    if (env[t] - dip >= 3) count++;
  }
  return count;
}

function referenceProsody(f0: Float32Array, strength: Float32Array, levelDb: Float32Array, speech: Uint8Array): Prosody {
  const frames = speech.length;
  let speechFrames = 0;
  let voiced = 0;
  let strengthSum = 0;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    speechFrames++;
    strengthSum += strength[t];
    if (f0[t] > 0) voiced++;
  }
  let periodDiff = 0;
  let periodSum = 0;
  let levelDiff = 0;
  let pairs = 0;
  for (let t = 1; t < frames; t++) {
    if (!(f0[t] > 0 && f0[t - 1] > 0)) continue;
    const p0 = 1 / f0[t - 1];
    const p1 = 1 / f0[t];
    if (Math.abs(p1 - p0) > 0.2 * p0) continue;
    periodDiff += Math.abs(p1 - p0);
    periodSum += p1;
    levelDiff += Math.abs(levelDb[t] - levelDb[t - 1]);
    pairs++;
  }
  return {
    voicedFraction: speechFrames ? voiced / speechFrames : 0,
    voicingStrength: speechFrames ? strengthSum / speechFrames : 0,
    jitter: pairs ? periodDiff / periodSum : 0,
    shimmer: pairs ? levelDiff / pairs : 0,
    syllableRate: frames ? referenceNuclei(levelDb, speech, f0) / (frames * 0.01) : 0,
    pauseRatio: frames ? 1 - speechFrames / frames : 0,
  };
}

describe('prosody in WebAssembly', () => {
  it('gives the old JavaScript\'s values bit for bit: RAVDESS clips and synthetic tracks (flat tops, gaps, octave jumps, no frames to 40,000)', async () => {
    const cases: Array<[Float32Array, Float32Array, Float32Array, Uint8Array]> = (await ravdessTracks([3, 9], 20))
      .map(({ pitch, level, speech }) => [pitch.f0, pitch.strength, level, speech]);
    let seed = 5;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const n of [0, 1, 2, 17, 400, 40_000]) {
      let f = 150;
      let l = -30;
      const f0 = Float32Array.from({ length: n }, (_, t) => (t % 90 > 70 ? 0 : (f = rnd() < 0.05 ? f * 2 : rnd() < 0.05 ? f / 2 : f * (1 + (rnd() - 0.5) * 0.05))));
      const level = Float32Array.from({ length: n }, () => (l = rnd() < 0.2 ? l : Math.round(l + (rnd() - 0.5) * 8)));
      const strength = Float32Array.from({ length: n }, () => rnd());
      const speech = Uint8Array.from({ length: n }, (_, t) => (t % 50 < 40 ? 1 : 0));
      cases.push([f0, strength, level, speech]);
    }
    let nuclei = 0;
    for (const [f0, strength, level, speech] of cases) {
      const got = prosody({ f0, strength }, level, speech);
      const want = referenceProsody(f0, strength, level, speech);
      for (const k of Object.keys(want) as Array<keyof Prosody>) expect(Object.is(got[k], want[k]), k).toBe(true);
      const count = syllableNuclei(level, speech, f0);
      expect(count).toBe(referenceNuclei(level, speech, f0));
      nuclei += count;
    }
    expect(nuclei).toBeGreaterThan(100);
  });
});

