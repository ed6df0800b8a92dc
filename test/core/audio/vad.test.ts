import { describe, expect, it } from 'vitest';
import { detectSpeech, slicePcm, speechOnly, speechThresholds, utterances, type Segment } from '../../../src/core/audio/vad.js';
import { frameDb } from '../../../src/core/dsp/signal-passes.js';
import { pcm, type Pcm } from '../../../src/core/pcm.js';
import { concat, readRavdess, scale, silence, tone, whiteNoise } from '../../helpers/audio-fixtures.js';

const SR = 16_000;
const FRAME = 0.011; // one 10-ms hop, plus rounding

/** A 440 Hz tone during each [start, end] and silence elsewhere. */
function bursts(total: number, spans: Array<[number, number]>, amp = 0.3): Pcm {
  const x = new Float32Array(Math.round(total * SR));
  for (const [a, b] of spans) x.set(tone(440, b - a, SR, amp), Math.round(a * SR));
  return pcm(x);
}

const ravdess = [
  [1, 0],
  [4, 17],
  [8, 45],
  [13, 30],
  [20, 45],
] as const;

describe('detectSpeech', () => {
  it('finds synthetic bursts where they are, padded by padSec', () => {
    const segs = detectSpeech(bursts(5, [[1, 2], [3, 3.5]]));
    expect(segs).toHaveLength(2);
    const expected = [
      [0.9, 2.1],
      [2.9, 3.6],
    ];
    segs.forEach((s, i) => {
      expect(Math.abs(s.start - expected[i][0])).toBeLessThan(0.03);
      expect(Math.abs(s.end - expected[i][1])).toBeLessThan(0.03);
    });
    const unpadded = detectSpeech(bursts(5, [[1, 2]]), { padSec: 0 });
    expect(Math.abs(unpadded[0].start - 1)).toBeLessThan(0.03);
    expect(Math.abs(unpadded[0].end - 2)).toBeLessThan(0.03);
  });

  it('merges pauses shorter than minGapSec and keeps longer ones', () => {
    expect(detectSpeech(bursts(4, [[1, 1.5], [1.7, 2.2]]))).toHaveLength(1); // 0.2 s pause
    expect(detectSpeech(bursts(4, [[1, 1.5], [2.0, 2.5]]))).toHaveLength(2); // 0.5 s pause
    expect(detectSpeech(bursts(4, [[1, 1.5], [2.0, 2.5]]), { minGapSec: 0.6 })).toHaveLength(1);
  });

  it('drops clicks shorter than 100 ms', () => {
    expect(detectSpeech(bursts(3, [[1, 1.04]]))).toEqual([]);
    expect(detectSpeech(bursts(3, [[1, 1.2]]))).toHaveLength(1);
  });

  it.each(ravdess)('RAVDESS actor %i file %i: one main segment, after the ~1 s of leading silence', (actor, file) => {
    const clip = readRavdess(actor, file);
    const segs = detectSpeech(pcm(clip.samples));
    expect(segs.length).toBeGreaterThanOrEqual(1);
    const main = segs.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    const total = segs.reduce((n, s) => n + s.end - s.start, 0);
    expect((main.end - main.start) / total).toBeGreaterThan(0.7);
    expect(main.start).toBeGreaterThan(0.4);
    expect(main.end - main.start).toBeGreaterThan(1);
    expect(main.end).toBeLessThanOrEqual(clip.samples.length / SR);
  });

  it.each(ravdess)('is gain-independent: actor %i file %i at −18 dB gives the same segments ± a frame', (actor, file) => {
    const clip = readRavdess(actor, file);
    const a = detectSpeech(pcm(clip.samples));
    const b = detectSpeech(pcm(scale(clip.samples, -18)));
    const c = detectSpeech(pcm(scale(clip.samples, 12).map((v) => Math.max(-1, Math.min(1, v)))));
    expect(b).toHaveLength(a.length);
    a.forEach((s, i) => {
      expect(Math.abs(b[i].start - s.start)).toBeLessThanOrEqual(FRAME);
      expect(Math.abs(b[i].end - s.end)).toBeLessThanOrEqual(FRAME);
    });
    // +12 dB clips the loudest peaks of some clips; the main region must still be where it was.
    expect(Math.abs(c[0].start - a[0].start)).toBeLessThan(0.05);
  });

  it('ignores a DC offset', () => {
    const clip = readRavdess(1, 0);
    const a = detectSpeech(pcm(clip.samples));
    const b = detectSpeech(pcm(clip.samples.map((v) => v + 0.3)));
    expect(b).toEqual(a);
  });

  it('finds nothing in digital silence, steady low noise, steady loud noise or a steady hum', () => {
    expect(detectSpeech(pcm(silence(5, SR)))).toEqual([]);
    expect(detectSpeech(pcm(whiteNoise(5, SR, 0.003)))).toEqual([]); // about −55 dBFS
    expect(detectSpeech(pcm(whiteNoise(5, SR, 0.5)))).toEqual([]);
    expect(detectSpeech(pcm(tone(50, 5, SR, 0.2)))).toEqual([]);
  });

  it('still finds speech in noise at 20 dB SNR', () => {
    const clip = readRavdess(4, 17);
    const clean = detectSpeech(pcm(clip.samples));
    const speechRms = Math.sqrt(clip.samples.reduce((s, v) => s + v * v, 0) / clip.samples.length);
    const noise = whiteNoise(clip.samples.length / SR, SR, speechRms * 0.1 * Math.sqrt(3), 9);
    const noisy = detectSpeech(pcm(clip.samples.map((v, i) => v + noise[i])));
    expect(noisy.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(noisy[0].start - clean[0].start)).toBeLessThan(0.25);
  });

  it('copes with inputs shorter than a frame and a 0.3 s clip', () => {
    expect(detectSpeech(pcm(new Float32Array(0)))).toEqual([]);
    expect(detectSpeech(pcm(tone(440, 0.01, SR)))).toEqual([]);
    const short = detectSpeech(pcm(concat(silence(0.1, SR), tone(440, 0.15, SR), silence(0.05, SR))));
    expect(short).toHaveLength(1);
    expect(short[0].start).toBeGreaterThanOrEqual(0);
    expect(short[0].end).toBeLessThanOrEqual(0.3);
  });
});

describe('utterances', () => {
  // A ~60 s "voice note": RAVDESS clips back to back, each with its own leading/trailing silence.
  function voiceNote(count: number): { note: Pcm; joins: number[] } {
    const parts: Float32Array[] = [];
    const joins = [0];
    for (let k = 0; k < count; k++) {
      const clip = readRavdess(1 + ((k * 7) % 20), (k * 5) % 60);
      parts.push(clip.samples);
      joins.push(joins[joins.length - 1] + clip.samples.length / SR);
    }
    return { note: pcm(concat(...parts)), joins };
  }

  const within = (s: Segment, a: number, b: number, slack: number) => s.start >= a - slack && s.end <= b + slack;

  it('cuts a 60-s note of 16 RAVDESS clips into utterances that each stay inside one clip', () => {
    const { note, joins } = voiceNote(16);
    expect(note.samples.length / SR).toBeGreaterThan(55);
    const utts = utterances(note);
    expect(utts.length).toBeGreaterThanOrEqual(16);
    expect(utts.length).toBeLessThanOrEqual(20);
    for (const u of utts) {
      const k = joins.findIndex((j, i) => i > 0 && u.start < j);
      expect(within(u, joins[k - 1], joins[k], 0.3)).toBe(true);
    }
    // Every clip is heard.
    for (let k = 1; k < joins.length; k++) expect(utts.some((u) => within(u, joins[k - 1], joins[k], 0.3))).toBe(true);
  });

  it('splits speech with only short breaths between sentences at those breaths, into pieces ≤ maxSegmentSec', () => {
    // Speech of each clip without its silences, 0.25 s apart: with minGapSec 0.5 that is one long
    // region, which must be cut at the joins (the longest pauses), not inside sentences.
    const parts: Float32Array[] = [];
    const joins: number[] = [];
    let t = 0;
    for (let k = 0; k < 12; k++) {
      const s = speechOnly(pcm(readRavdess(2 + k, k * 4).samples), { padSec: 0.05 }).samples;
      parts.push(s, silence(0.25, SR));
      t += s.length / SR + 0.25;
      joins.push(t - 0.125);
    }
    const note = pcm(concat(...parts));
    const opts = { minGapSec: 0.5, maxSegmentSec: 8 };
    expect(detectSpeech(note, opts).some((r) => r.end - r.start > 8)).toBe(true);
    const utts = utterances(note, opts);
    expect(utts.length).toBeGreaterThanOrEqual(Math.ceil(note.samples.length / SR / 8));
    for (const u of utts) expect(u.end - u.start).toBeLessThanOrEqual(8);
    for (let i = 1; i < utts.length; i++) {
      const cut = (utts[i - 1].end + utts[i].start) / 2;
      expect(Math.min(...joins.map((j) => Math.abs(j - cut)))).toBeLessThan(0.3);
    }
  });

  it('splits continuous sound with no pause at all at its quietest moment', () => {
    const x = tone(440, 20, SR, 0.3);
    for (let i = 0; i < x.length; i++) x[i] *= 0.6 + 0.4 * Math.cos((2 * Math.PI * i) / SR / 5); // dips every 5 s
    const utts = utterances(pcm(x));
    expect(utts.length).toBeGreaterThanOrEqual(3);
    for (const u of utts) expect(u.end - u.start).toBeLessThanOrEqual(8);
  });

  it('gives nothing for silence', () => {
    expect(utterances(pcm(silence(3, SR)))).toEqual([]);
  });

  it('merges a very short piece into a close neighbour and drops an isolated one', () => {
    // A 0.12 s blip far from anything else is padded to ~0.32 s and kept as speech by detectSpeech…
    const far = bursts(6, [[1, 3], [5, 5.12]]);
    expect(detectSpeech(far)).toHaveLength(2);
    // …and with padding off it is under 0.25 s, too short for an utterance on its own.
    expect(utterances(far, { padSec: 0 })).toHaveLength(1);
  });
});

describe('slicePcm and speechOnly', () => {
  it('slicePcm copies exactly the segment', () => {
    const x = pcm(Float32Array.from({ length: SR }, (_, i) => i / SR));
    const s = slicePcm(x, { start: 0.25, end: 0.5 });
    expect(s.samples).toHaveLength(4000);
    expect(s.samples[0]).toBeCloseTo(0.25, 6);
    s.samples[0] = 9;
    expect(x.samples[4000]).not.toBe(9);
    expect(slicePcm(x, { start: 0.9, end: 5 }).samples).toHaveLength(1600);
  });

  it('speechOnly trims RAVDESS leading/trailing silence and is empty for silence', () => {
    const clip = readRavdess(1, 0);
    const speech = speechOnly(pcm(clip.samples));
    const segs = detectSpeech(pcm(clip.samples));
    const expected = segs.reduce((n, s) => n + Math.round(s.end * SR) - Math.round(s.start * SR), 0);
    expect(speech.samples).toHaveLength(expected);
    expect(speech.samples.length).toBeLessThan(clip.samples.length * 0.8);
    expect(speechOnly(pcm(silence(2, SR))).samples).toHaveLength(0);
  });
});

/** vad.ts's localPeak() and threshold loop before the kernels, unchanged (the constants inlined). */
function referenceThresholds(db: Float64Array, hold: number, decay: number, noise: number): [Float64Array, Float64Array] {
  const n = db.length;
  const smooth = new Float64Array(n);
  const half = 2;
  for (let f = 0; f < n; f++) {
    let s = 0;
    let c = 0;
    for (let g = Math.max(0, f - half); g <= Math.min(n - 1, f + half); g++, c++) s += db[g];
    smooth[f] = s / c;
  }
  const peak = new Float64Array(n);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let f = 0, next = 0; f < n; f++) {
    for (; next < n && next <= f + hold; next++) {
      while (tail > head && smooth[deque[tail - 1]] <= smooth[next]) tail--;
      deque[tail++] = next;
    }
    while (deque[head] < f - hold) head++;
    peak[f] = smooth[deque[head]];
  }
  for (let f = 1; f < n; f++) peak[f] = Math.max(peak[f], peak[f - 1] - decay);
  for (let f = n - 2; f >= 0; f--) peak[f] = Math.max(peak[f], peak[f + 1] - decay);
  const threshold = new Float64Array(n);
  const keep = new Float64Array(n);
  for (let f = 0; f < n; f++) {
    threshold[f] = Math.max(noise + 10, peak[f] - 30, -100);
    keep[f] = Math.max(threshold[f] - 6, noise + 10 / 2, -100);
  }
  return [threshold, keep];
}

describe('speechThresholds', () => {
  it('gives the old JavaScript\'s thresholds bit for bit: real clips\' levels and long synthetic ones (many chunks), plateaus, −120-dB silence, holds of 0…300 frames', () => {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const levels: Float64Array[] = [];
    for (const n of [1, 2, 3, 5, 60, 2047, 2048, 2049, 9000, 20_011]) {
      let v = -40;
      levels.push(Float64Array.from({ length: n }, (_, i) => {
        if (i % 700 > 600) return -120;
        v = Math.min(0, Math.max(-110, v + (rnd() - 0.5) * 6));
        // Coarse values make equal neighbours (plateaus, ties in the running maximum) common.
        return i % 3 === 0 ? Math.round(v / 5) * 5 : v;
      }));
    }
    // Real levels: the frame dB the VAD computes on RAVDESS clips (48 kHz: 240-sample blocks), joined.
    const x = concat(...ravdess.map(([a, c]) => readRavdess(a, c).samples));
    const db = new Float64Array(Math.floor((Math.floor(x.length / 240) - 5) / 2) + 1);
    frameDb(x, 240, 5, 2, -120, db);
    levels.push(db);
    let checked = 0;
    for (const level of levels) {
      for (const [hold, decay] of [[50, 0.1], [0, 0.1], [1, 0.5], [300, 0.02]]) {
        const noise = level.slice().sort()[Math.floor(0.1 * (level.length - 1))];
        const th = new Float64Array(level.length).fill(7);
        const kp = new Float64Array(level.length).fill(7);
        speechThresholds(level, hold, decay, noise, th, kp);
        const [wantTh, wantKp] = referenceThresholds(level, hold, decay, noise);
        expect(Buffer.from(th.buffer).equals(Buffer.from(wantTh.buffer))).toBe(true);
        expect(Buffer.from(kp.buffer).equals(Buffer.from(wantKp.buffer))).toBe(true);
        checked += level.length;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(db.length).toBeGreaterThan(500);
    expect(db.some((v) => v === -120)).toBe(false);
  });
});
