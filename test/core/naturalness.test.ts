// The synthetic-voice check: espeak-ng voices synthesized here never get a confident answer; real people keep theirs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { locateFfmpeg } from '../../src/core/audio/ffmpeg.js';
import { capConfidence, decide, levelFor, syntheticCap, toProbabilities } from '../../src/core/decision.js';
import { EMOTIONS } from '../../src/core/emotions.js';
import { FEATURE_SPEC } from '../../src/core/features/spec.js';
import { readModel, type EmotionModel } from '../../src/core/model/io.js';
import { detectorFor, syntheticDetector, type SyntheticCheck } from '../../src/core/naturalness.js';
import { SYNTHETIC_CHECKS } from '../../src/core/naturalness-weights.js';
import { pcm, type Pcm } from '../../src/core/pcm.js';
import { slicePcm, utterances } from '../../src/core/audio/vad.js';
import { clipFeatures } from '../../src/core/clip-features.js';
import { AudioError } from '../../src/core/errors.js';
import { MUSIC_GENERATOR_NAMES, music } from '../../scripts/music-like.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const DATA = join(ROOT, '../shared/datasets');
// Not one of the sentences the check was fitted on (scripts/fit-naturalness.ts).
const SENTENCE = 'My sister bought a blue bicycle at the market on Saturday.';

let model: EmotionModel;
let dir: string;
let ffmpegPath: string | null;

beforeAll(async () => {
  model = await readModel(join(ROOT, 'models/ser-model.bin'));
  dir = await mkdtemp(join(tmpdir(), 'ser-synthetic-test-'));
  ffmpegPath = await locateFfmpeg(process.env);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function espeak(voice: string, extra: string[] = []): Promise<Uint8Array> {
  const path = join(dir, `${voice.replace(/\W/g, '_')}.wav`);
  await run('espeak-ng', ['-v', voice, ...extra, '-w', path, SENTENCE]);
  return readFile(path);
}

describe('confidence cap for a voice that does not sound human', () => {
  it('keeps the ranking and pulls the top probability to the cap, which reads as "uncertain"', () => {
    const p = toProbabilities([0.05, 0.8, 0.05, 0.04, 0.03, 0.02, 0.01]);
    const cap = syntheticCap(model.rules);
    const q = capConfidence(p, cap);
    expect(q.happy).toBeCloseTo(cap, 12);
    expect(EMOTIONS.reduce((s, e) => s + q[e], 0)).toBeCloseTo(1, 12);
    const order = (r: typeof p) => [...EMOTIONS].sort((a, b) => r[b] - r[a] || EMOTIONS.indexOf(a) - EMOTIONS.indexOf(b));
    expect(order(q)).toEqual(order(p));
    expect(levelFor(cap, model.rules.uncertainBelow)).toBe('uncertain');
    const low = toProbabilities([0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05]);
    expect(capConfidence(low, cap)).toBe(low);
  });

  it('is applied by decide() only when the voice was judged synthetic, and says so', () => {
    const p = toProbabilities([0.9, 0.05, 0.01, 0.01, 0.01, 0.01, 0.01]);
    expect(decide(p, -20, model.rules)).toMatchObject({ emotion: 'neutral', level: 'high', synthetic: false });
    expect(decide(p, -20, model.rules, true)).toMatchObject({ emotion: 'neutral', level: 'uncertain', synthetic: true });
  });

  it('ships weights fitted on this feature spec, and turns itself off for any other', () => {
    expect(SYNTHETIC_CHECKS.length).toBeGreaterThan(0);
    for (const c of SYNTHETIC_CHECKS) expect(c.spec).toBe(FEATURE_SPEC.version);
    expect(syntheticDetector()).not.toBeNull();
    // One stale check stales them all: they are fitted together.
    expect(syntheticDetector(SYNTHETIC_CHECKS.map((c, k) => (k === SYNTHETIC_CHECKS.length - 1 ? { ...c, spec: 'other' } : c)))).toBeNull();
    const first = SYNTHETIC_CHECKS[0];
    expect(detectorFor([{ ...first, names: [...first.names.slice(0, -1), 'no_such_feature'] }])).toBeNull();
    expect(detectorFor([{ ...first, weights: first.weights.slice(1) }])).toBeNull();
  });

  it('reads each check\'s features by name, and is as suspicious as its most suspicious check', () => {
    // Two made-up checks on a three-feature vector: one on [b, a], one on [c].
    const base = { spec: 'x', threshold: 0, humanFalseAlarm: 0 };
    const ba: SyntheticCheck = { ...base, name: 'ba', names: ['b', 'a'], mean: [1, 0], scale: [2, 1], weights: [1, -1], bias: 0.5 };
    const c: SyntheticCheck = { ...base, name: 'c', names: ['c'], mean: [0], scale: [1], weights: [2], bias: -1.25 };
    const names = ['a', 'b', 'c'];
    const x = [3, 5, 0.25];
    // ba: 0.5 + ((5 − 1) / 2) · 1 + (3 − 0) · −1 = −0.5; c: −1.25 + 0.25 · 2 = −0.75, and with c = 1: 0.75.
    expect(detectorFor([ba], names)!.margin(x)).toBeCloseTo(-0.5, 12);
    expect(detectorFor([ba, c], names)!.margin(x)).toBeCloseTo(-0.5, 12);
    expect(detectorFor([ba, c], names)!.margin([3, 5, 1])).toBeCloseTo(0.75, 12);
    expect(detectorFor([ba, c], names)!.soundsSynthetic([3, 5, 1])).toBe(true);
    expect(detectorFor([ba, c], names)!.soundsSynthetic(x)).toBe(false);
    // Reordered features give the same answer when the names move with them.
    expect(detectorFor([ba], ['c', 'b', 'a'])!.margin([0.25, 5, 3])).toBeCloseTo(-0.5, 12);
  });
});

describe('espeak-ng voices, synthesized here with a sentence the check never saw', () => {
  it('no variant gets a high-confidence answer; each utterance is flagged synthetic', async () => {
    const { stdout } = await run('espeak-ng', ['--voices=variant']);
    const variants = stdout.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[4]?.replace(/^!v\//, '')).filter((v): v is string => !!v);
    expect(variants.length).toBeGreaterThan(50);
    const confident: string[] = [];
    let flagged = 0;
    let segments = 0;
    for (const v of variants) {
      const a = analyze(await decodeAudio(await espeak(`en-gb+${v}`)), model);
      if (a.level === 'high') confident.push(`${v}: ${a.emotion} ${a.confidence.toFixed(2)}`);
      segments += a.segments.length;
      flagged += a.segments.filter((s) => s.synthetic).length;
    }
    expect(confident).toEqual([]);
    // A short trailing piece may pass as human; nearly every utterance must not.
    expect(flagged / segments).toBeGreaterThan(0.95);
  }, 600_000);

  it('through a real Ogg/Opus encoder (as a Discord voice note) it is still not trusted', async () => {
    const wav = join(dir, 'opus-src.wav');
    const ogg = join(dir, 'voice.ogg');
    await run('espeak-ng', ['-v', 'en-us', '-w', wav, SENTENCE]);
    await run('opusenc', ['--quiet', '--bitrate', '32', wav, ogg]);
    const a = analyze(await decodeAudio(await readFile(ogg)), model);
    expect(a.synthetic).toBe(true);
    expect(a.level).not.toBe('high');
  }, 120_000);
});

/** The level analyze() would give with the check off: the same utterances, probabilities and gate, nothing capped. */
function levelWithoutCheck(p: Pcm): string {
  let weight = 0;
  const sum = new Array<number>(EMOTIONS.length).fill(0);
  for (const seg of utterances(p)) {
    const c = clipFeatures(slicePcm(p, seg));
    if (c.speechSec <= 0) continue;
    const v = decide(toProbabilities(model.predict(c.features)), c.rmsDb, model.rules);
    EMOTIONS.forEach((e, i) => (sum[i] += v.probabilities[e] * (seg.end - seg.start)));
    weight += seg.end - seg.start;
  }
  return weight ? levelFor(Math.max(...sum) / weight, model.rules.uncertainBelow) : 'none';
}

describe('music and tones made in code (seeds the check was never fitted on)', () => {
  it('none gets a high-confidence answer, though with the check off some do', () => {
    const confident: string[] = [];
    const withoutCheck: string[] = [];
    const notExplained: string[] = [];
    let analyzed = 0;
    for (const kind of MUSIC_GENERATOR_NAMES) {
      for (let seed = 5000; seed < 5010; seed++) {
        const p = pcm(music(kind, seed));
        const high = levelWithoutCheck(p) === 'high';
        if (high) withoutCheck.push(`${kind}#${seed}`);
        let a;
        try {
          a = analyze(p, model);
        } catch (e) {
          // Much of it is not speech at all, which is an honest answer too.
          expect(e).toBeInstanceOf(AudioError);
          expect(['NO_SPEECH', 'TOO_SHORT']).toContain((e as AudioError).code);
          continue;
        }
        analyzed++;
        if (a.level === 'high' || a.segments.some((s) => s.level === 'high')) confident.push(`${kind}#${seed}: ${a.emotion} ${a.confidence.toFixed(2)}`);
        // Where the check took a confident answer away, the reply says why.
        if (high) notExplained.push(...(a.synthetic ? [] : [`${kind}#${seed}`]));
      }
    }
    expect(analyzed).toBeGreaterThan(10);
    // The model alone is confidently wrong on some of these: this test fails with the check off.
    expect(withoutCheck.length).toBeGreaterThan(0);
    expect(confident).toEqual([]);
    expect(notExplained).toEqual([]);
  }, 300_000);
});

describe('held notes: the music the voices-and-music check alone still let through', () => {
  // Seeds 7000–7299 of scripts/music-like.ts held 8 such clips of 2,100 (none is fitted on); the held-notes check was made
  // for them. With the f10 model averaging its members there were 9; with its members pooled in log space (f10-a69ab15c)
  // a scan of all 2,100 finds these 4, and none keeps a confident moment with both checks.
  const CLIPS = [['harmonic-vibrato', 7084], ['harmonic-vibrato', 7142], ['harmonic-vibrato', 7158], ['song', 7292]] as const;

  it('had a confident moment with that check alone, and has none with both', () => {
    const voicesOnly = detectorFor(SYNTHETIC_CHECKS.filter((c) => c.name !== 'held notes'))!;
    const confidentBefore: string[] = [];
    const confident: string[] = [];
    for (const [kind, seed] of CLIPS) {
      const p = pcm(music(kind, seed));
      for (const seg of utterances(p)) {
        const c = clipFeatures(slicePcm(p, seg));
        if (c.speechSec <= 0) continue;
        const v = decide(toProbabilities(model.predict(c.features)), c.rmsDb, model.rules, voicesOnly.soundsSynthetic(c.features));
        if (v.level === 'high') confidentBefore.push(`${kind}#${seed}`);
      }
      const a = analyze(p, model);
      if (a.segments.some((s) => s.level === 'high')) confident.push(`${kind}#${seed}`);
      else expect(a.segments.some((s) => s.synthetic)).toBe(true);
    }
    expect(new Set(confidentBefore).size).toBe(CLIPS.length);
    expect(confident).toEqual([]);
  }, 120_000);
});

describe('a note with a synthetic voice and a person in it', () => {
  it('caps the synthetic utterances only, and calls the note synthetic only when most of its speech is', async () => {
    const robot = (await decodeAudio(await espeak('en-us+m3'))).samples;
    const reader = join(DATA, 'librispeech-mini', (await readdir(join(DATA, 'librispeech-mini'))).filter((d) => /^\d+$/.test(d)).sort()[0]);
    const person = (await decodeAudio(await readFile(join(reader, (await readdir(reader)).filter((n) => n.endsWith('.flac')).sort()[0])), { ffmpegPath })).samples;
    const gap = new Float32Array(16_000);
    const note = (parts: Float32Array[]) => pcm(Float32Array.from(parts.flatMap((x) => [...x, ...gap])));
    const mixed = analyze(note([robot, person]), model);
    const robotSegs = mixed.segments.filter((s) => s.end <= robot.length / 16_000 + 0.5);
    const personSegs = mixed.segments.filter((s) => s.start >= robot.length / 16_000 + 0.5);
    expect(robotSegs.length).toBeGreaterThan(0);
    expect(personSegs.length).toBeGreaterThan(0);
    expect(robotSegs.every((s) => s.synthetic && s.level === 'uncertain')).toBe(true);
    expect(personSegs.some((s) => s.synthetic)).toBe(false);
    expect(person.length).toBeGreaterThan(robot.length);
    expect(mixed.synthetic).toBe(false);
    const robots = Array.from({ length: Math.ceil(person.length / robot.length) + 1 }, () => robot);
    expect(analyze(note([...robots, person]), model).synthetic).toBe(true);
  }, 120_000);
});

describe('real people are not judged synthetic', () => {
  it('RAVDESS, CREMA-D and LibriSpeech speakers of every emotion keep their answers', async () => {
    const files = [
      'ravdess/Actor_01/03-01-01-01-01-01-01.wav',
      'ravdess/Actor_04/03-01-05-02-02-01-04.wav',
      'ravdess/Actor_09/03-01-03-01-01-02-09.wav',
      'ravdess/Actor_12/03-01-08-02-01-01-12.wav',
      'ravdess/Actor_16/03-01-04-01-02-01-16.wav',
      'ravdess/Actor_18/03-01-06-02-01-02-18.wav',
    ];
    for (const speaker of ['1001', '1030', '1062', '1091']) {
      const names = (await readdir(join(DATA, 'crema-d', speaker))).sort();
      files.push(join('crema-d', speaker, names[0]), join('crema-d', speaker, names[names.length >> 1]));
    }
    for (const speaker of (await readdir(join(DATA, 'librispeech-mini'))).filter((d) => /^\d+$/.test(d)).sort().slice(0, 6)) {
      const names = (await readdir(join(DATA, 'librispeech-mini', speaker))).filter((n) => n.endsWith('.flac')).sort();
      files.push(join('librispeech-mini', speaker, names[0]));
    }
    const flagged: string[] = [];
    for (const f of files) {
      const a = analyze(await decodeAudio(await readFile(join(DATA, f)), { ffmpegPath }), model);
      if (a.synthetic || a.segments.some((s) => s.synthetic)) flagged.push(f);
    }
    expect(files.length).toBe(20);
    expect(flagged).toEqual([]);
  }, 300_000);
});
