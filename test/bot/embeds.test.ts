import { embedLength, type APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { LEVEL_COLOR } from '../../src/core/decision.js';
import { analysisEmbed, bar, CONFIDENCE_MEANING, EMBED_LIMITS, errorEmbed, fitEmbed, timeline } from '../../src/bot/embeds.js';
import { analysisOf } from './fixtures/analysis.js';

function withinLimits(e: APIEmbed): void {
  expect(Array.from(e.title ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.title);
  expect(Array.from(e.description ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.description);
  expect((e.fields ?? []).length).toBeLessThanOrEqual(EMBED_LIMITS.fields);
  for (const f of e.fields ?? []) {
    expect(f.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
    expect(f.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    expect(f.value.length).toBeGreaterThan(0);
  }
  expect((e.footer?.text ?? '').length).toBeLessThanOrEqual(EMBED_LIMITS.footer);
  expect(embedLength(e)).toBeLessThanOrEqual(EMBED_LIMITS.total);
}

describe('analysisEmbed', () => {
  it('shows emotion, confidence and level, top-3 bars, durations and the model in the footer', () => {
    const e = analysisEmbed(analysisOf({ emotion: 'angry', confidence: 0.78, level: 'high' })).toJSON();
    expect(e.title).toBe('😠 Angry');
    expect(e.description).toContain('**78 %** · high confidence');
    expect(e.color).toBe(LEVEL_COLOR.high);
    const top = e.fields!.find((f) => f.name === 'Top 3')!;
    expect(top.value.split('\n')).toHaveLength(3);
    expect(top.value.split('\n')[0]).toBe('😠 angry ████████░░ 78 %');
    expect(e.fields!.find((f) => f.name === 'Duration')!.value).toBe('2.0 s');
    expect(e.fields!.find((f) => f.name === 'Speech')!.value).toBe('1.5 s');
    expect(e.fields!.some((f) => f.name.startsWith('Timeline'))).toBe(false); // one segment: no timeline
    expect(e.footer!.text).toBe(`Model 2026.01.01-test · ${CONFIDENCE_MEANING}`);
    withinLimits(e);
  });

  it('gives each confidence level its own color', () => {
    const colors = (['high', 'medium', 'low', 'uncertain'] as const).map((level) => analysisEmbed(analysisOf({ level, confidence: 0.5 })).toJSON().color);
    expect(new Set(colors).size).toBe(4);
  });

  it('says plainly when the model is not sure, and still shows its best guess', () => {
    const e = analysisEmbed(analysisOf({ emotion: 'sad', confidence: 0.31, level: 'uncertain' })).toJSON();
    expect(e.title).toBe('😢 Sad? (not sure)');
    expect(e.description).toMatch(/not sure/);
    expect(e.description).toContain('best guess is **sad** at 31 %');
    expect(e.color).toBe(LEVEL_COLOR.uncertain);
  });

  it('mentions the quiet-speech gate when it changed the result', () => {
    expect(analysisEmbed(analysisOf({ gated: true })).toJSON().description).toMatch(/Quiet speech/);
  });

  it('says why a synthetic voice gets no confident answer, and only then', () => {
    const e = analysisEmbed(analysisOf({ emotion: 'neutral', confidence: 0.34, level: 'uncertain', synthetic: true })).toJSON();
    expect(e.title).toBe('😐 Neutral? (not sure)');
    expect(e.description).toMatch(/doesn't sound like a human voice \(a synthetic voice, music or tones\)/);
    expect(analysisEmbed(analysisOf({ synthetic: false })).toJSON().description).not.toMatch(/synthetic/);
  });

  it('adds a compact timeline when there are several segments', () => {
    const e = analysisEmbed(analysisOf({ segmentCount: 3 })).toJSON();
    const t = e.fields!.find((f) => f.name === 'Timeline (3 segments)')!;
    expect(t.value).toBe('`0:00–0:02` 😐 · `0:02–0:04` 😄 · `0:04–0:06` 😢');
  });

  it('keeps a very long recording within every limit, saying how many segments were left out', () => {
    const e = analysisEmbed(analysisOf({ segmentCount: 500 })).toJSON();
    const t = e.fields!.find((f) => f.name.startsWith('Timeline'))!;
    expect(t.value).toMatch(/… \+\d+ more$/);
    const shown = t.value.split(' · ').length - 1;
    expect(Number(/\+(\d+) more/.exec(t.value)![1]) + shown).toBe(500);
    withinLimits(e);
  });

  it('keeps within limits when the model version is absurdly long', () => {
    withinLimits(analysisEmbed(analysisOf({ modelVersion: 'v'.repeat(5000), segmentCount: 200 })).toJSON());
  });
});

describe('bar and timeline', () => {
  it('draws ten cells rounded to the nearest tenth', () => {
    expect(bar('happy', 0)).toBe('😄 happy ░░░░░░░░░░ 0 %');
    expect(bar('happy', 1)).toBe('😄 happy ██████████ 100 %');
    expect(bar('sad', 0.049)).toBe('😢 sad ░░░░░░░░░░ 5 %');
  });

  it('never passes its budget', () => {
    const segs = analysisOf({ segmentCount: 300 }).segments;
    for (const max of [30, 100, 1024]) expect(timeline(segs, max).length).toBeLessThanOrEqual(max);
  });
});

describe('fitEmbed', () => {
  it('enforces title 256, description 4096, 25 fields, field name 256, field value 1024, footer 2048 and 6000 in total', () => {
    const huge: APIEmbed = {
      title: '😠'.repeat(400),
      description: 'd'.repeat(10_000),
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`.repeat(200), value: 'v'.repeat(3000) })),
      footer: { text: 'f'.repeat(5000) },
      author: { name: 'a'.repeat(1000) },
    };
    const e = fitEmbed(huge);
    withinLimits(e);
    expect(e.fields).toHaveLength(25);
    expect(Array.from(e.title!).length).toBeLessThanOrEqual(256);
    expect(e.title!.endsWith('…')).toBe(true);
    expect(e.title!.includes('\ud83d…')).toBe(false); // no emoji cut in half
    expect(e.author!.name.length).toBeLessThanOrEqual(EMBED_LIMITS.author);
  });

  it('leaves an embed that already fits untouched', () => {
    const small: APIEmbed = { title: 't', description: 'd', fields: [{ name: 'a', value: 'b' }], footer: { text: 'f' } };
    expect(fitEmbed(small)).toEqual(small);
  });
});

describe('errorEmbed', () => {
  it('shows the error id in the footer when there is one', () => {
    const e = errorEmbed('Something went wrong', 'oops', 'ab12cd34').toJSON();
    expect(e.title).toBe('⚠️ Something went wrong');
    expect(e.footer!.text).toBe('Error id: ab12cd34');
    expect(errorEmbed('x', 'y').toJSON().footer).toBeUndefined();
  });
});
