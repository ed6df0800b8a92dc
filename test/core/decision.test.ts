import { describe, expect, it } from 'vitest';
import { applyGate, decide, DEFAULT_RULES, LEVEL_COLOR, levelFor, topK, toProbabilities } from '../../src/core/decision.js';
import { EMOJI, EMOTION_COLOR, EMOTIONS, normalizeLabel, RAVDESS_EMOTION } from '../../src/core/emotions.js';

const probs = (pairs: Record<string, number>) => toProbabilities(EMOTIONS.map((e) => pairs[e] ?? 0));

describe('confidence levels', () => {
  it.each([
    [1, 'high'], [0.7, 'high'], [0.695, 'high'], [0.694, 'medium'], [0.69, 'medium'], [0.4, 'medium'],
    [0.399, 'medium'], [0.394, 'low'], [0.39, 'low'], [0.35, 'low'], [0.345, 'low'], [0.344, 'uncertain'], [0.34, 'uncertain'], [0.1, 'uncertain'], [0, 'uncertain'],
  ] as const)('%s → %s (boundaries as the user sees the rounded percent)', (c, level) => {
    expect(levelFor(c)).toBe(level);
  });

  it('takes the uncertain threshold the model chose', () => {
    expect(levelFor(0.37, 0.38)).toBe('uncertain');
    expect(levelFor(0.38, 0.38)).toBe('low');
  });

  it('has a distinct color per level and per emotion, and an emoji per emotion', () => {
    expect(new Set(Object.values(LEVEL_COLOR)).size).toBe(4);
    expect(new Set(Object.values(EMOTION_COLOR)).size).toBe(7);
    expect(new Set(Object.values(EMOJI)).size).toBe(7);
  });
});

describe('labels', () => {
  it('merges calm into neutral and knows the 7 classes', () => {
    expect(EMOTIONS).toEqual(['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
    expect(normalizeLabel('Calm')).toBe('neutral');
    expect(RAVDESS_EMOTION['02']).toBe('neutral');
    expect(normalizeLabel('boredom')).toBeNull();
  });
});

describe('energy gate', () => {
  const gate = { belowDb: -40, factor: 0.3, emotions: ['angry', 'fearful'] as ('angry' | 'fearful')[] };
  const p = probs({ angry: 0.5, sad: 0.3, neutral: 0.2 });

  it('leaves speech at or above the level alone', () => {
    expect(applyGate(p, -40, gate)).toEqual({ probabilities: p, gated: false });
    expect(applyGate(p, -20, gate).gated).toBe(false);
  });

  it('turns a close angry call on quiet speech into the next emotion', () => {
    const v = decide(p, -50, { uncertainBelow: 0.35, gate });
    expect(v.gated).toBe(true);
    expect(v.emotion).toBe('sad');
    expect(Object.values(v.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(v.probabilities.angry).toBeCloseTo((0.5 * 0.3) / (0.15 + 0.5), 10);
  });

  it('does not forbid anger the model is sure of', () => {
    expect(decide(probs({ angry: 0.95, sad: 0.05 }), -50, { uncertainBelow: 0.35, gate }).emotion).toBe('angry');
  });

  it('is off when the model carries no gate', () => {
    expect(decide(p, -80, { uncertainBelow: 0.35, gate: null }).emotion).toBe('angry');
  });
});

describe('top-3', () => {
  it('sorts by probability and breaks ties in the fixed class order', () => {
    const t = topK(probs({ sad: 0.3, happy: 0.3, angry: 0.4 }));
    expect(t.map((x) => x.emotion)).toEqual(['angry', 'happy', 'sad']);
  });

  it('reports the top guess even when uncertain', () => {
    const v = decide(probs({ neutral: 0.2, happy: 0.15, sad: 0.15, angry: 0.15, fearful: 0.15, disgust: 0.1, surprised: 0.1 }), -20, DEFAULT_RULES);
    expect(v.level).toBe('uncertain');
    expect(v.emotion).toBe('neutral');
    expect(v.top3).toHaveLength(3);
  });
});
