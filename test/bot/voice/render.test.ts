// What /listen posts: uncertain shown as such, shares of speech time, and a summary that fits Discord's embed limits.
import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { groupedCode, guildOfStopButton, liveEmbed, miniTimeline, noticeEmbed, resultLine, stopButtonId, summaryEmbed } from '../../../src/bot/voice/render.js';
import { Speaker } from '../../../src/bot/voice/speaker.js';
import { EMOTIONS } from '../../../src/core/emotions.js';
import { analysisOf } from '../fixtures/analysis.js';


function speaker(name: string, results: [emotion: (typeof EMOTIONS)[number], level: 'high' | 'medium' | 'uncertain', seconds: number][]) {
  const s = new Speaker(`id-${name}`, name);
  results.forEach(([emotion, level, sec], k) => {
    const a = analysisOf({ emotion, level, confidence: level === 'uncertain' ? 0.3 : 0.8, speechSec: sec, segmentCount: 1 });
    a.segments = [{ ...a.segments[0]!, emotion, level, start: 0, end: sec }];
    s.record(a, k * 1000);
  });
  return s;
}

describe('live message', () => {
  it('shows the latest result per speaker, newest first, and an uncertain one as "not sure"', () => {
    const a = speaker('alice', [['angry', 'high', 3]]);
    const b = speaker('bob', [['sad', 'medium', 2], ['neutral', 'uncertain', 2]]);
    const e = liveEmbed({ voiceChannelId: '1', speakers: [a, b] });
    const lines = e.description!.split('\n');
    expect(lines[0]).toBe('**bob** — ❔ not sure (best guess 😐 neutral, 30 %)');
    expect(lines[1]).toBe('**alice** — 😠 angry · 80 % · high confidence');
  });

  it('escapes markdown in display names', () => {
    expect(liveEmbed({ voiceChannelId: '1', speakers: [speaker('*bold*_x', [['happy', 'high', 2]])] }).description).toContain('**\\*bold\\*\\_x**');
  });

  it('a display name or transcript cannot bring a masked link, heading or list into the bot\'s embed', () => {
    const sp = speaker('[Verify here](https://evil.x)', [['happy', 'high', 2]]);
    sp.latest!.transcript = '# Claim [Nitro](https://gift.example/x) now';
    const d = liveEmbed({ voiceChannelId: '1', speakers: [sp] }).description!;
    expect(d).not.toMatch(/(?<!\\)\[(Verify here|Nitro)\]\(/);
    expect(d).toContain('\\[Verify here](https://evil.x)'); // an escaped bracket is no link
    expect(d).toContain('> \\# Claim \\[Nitro](');
    const summaryName = summaryEmbed({ voiceChannelId: '1', speakers: [sp], durationMs: 60_000, reason: 'stopped', skipped: 0, dropped: 0 }).fields![0]!.name;
    expect(summaryName).toBe('\\[Verify here](https://evil.x)');
  });

  it('cuts a long transcript between code points: an emoji at the cut is never split into half a character', () => {
    const sp = speaker('alice', [['happy', 'high', 2]]);
    sp.latest!.transcript = `${'a'.repeat(158)}😀 and more`;
    const d = liveEmbed({ voiceChannelId: '1', speakers: [sp] }).description!;
    expect(d).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
    expect(d).toMatch(/a…$/);
  });

  it('says nobody has spoken yet before the first result', () => {
    expect(liveEmbed({ voiceChannelId: '9', speakers: [] }).description).toMatch(/Nobody has spoken/);
  });

  it('formats a confident result with emotion, confidence and level', () => {
    expect(resultLine({ emotion: 'happy', confidence: 0.554, level: 'medium', at: 0 })).toBe('😄 happy · 55 % · medium confidence');
  });

  it('says why a synthetic voice (a TTS bot) is not sure', () => {
    const s = speaker('tts-bot', []);
    s.record(analysisOf({ emotion: 'neutral', confidence: 0.34, level: 'uncertain', synthetic: true }), 1000);
    expect(resultLine(s.latest!)).toBe("❔ not sure (doesn't sound like a human voice; best guess 😐 neutral, 34 %)");
    s.record(analysisOf({ emotion: 'neutral', confidence: 0.31, level: 'uncertain' }), 2000);
    expect(resultLine(s.latest!)).toBe('❔ not sure (best guess 😐 neutral, 31 %)');
  });
});

describe('end-to-end encryption (DAVE) in the notice and the live message', () => {
  const code = '012345678901234567890123456789';
  const notice = (privacyCode?: string | null) => noticeEmbed({ voiceChannelId: '1', minutes: 10, minUtteranceSec: 1, privacyCode }).data.description!;

  it('shows the 30-digit voice privacy code in groups of five, as Discord clients do', () => {
    expect(groupedCode(code)).toBe('01234 56789 01234 56789 01234 56789');
    expect(notice(code)).toContain('voice privacy code `01234 56789 01234 56789 01234 56789`');
    expect(liveEmbed({ voiceChannelId: '1', speakers: [], privacyCode: code }).footer!.text).toContain('voice privacy code 01234 56789');
  });

  it('says when the encryption is still being set up, and says nothing when the call has none', () => {
    expect(notice(null)).toMatch(/still being set up/);
    expect(notice(undefined)).not.toMatch(/encrypt/);
    expect(liveEmbed({ voiceChannelId: '1', speakers: [], privacyCode: null }).footer!.text).not.toMatch(/code/);
  });
});

describe('summary', () => {
  it('gives each speaker their shares of speech time, dominant emotion, utterance count and a mini timeline', () => {
    const a = speaker('alice', [['angry', 'high', 6], ['neutral', 'medium', 3], ['neutral', 'uncertain', 1]]);
    const e = summaryEmbed({ voiceChannelId: '1', speakers: [a], durationMs: 65_000, reason: 'stopped on request', skipped: 2, dropped: 0 });
    const v = e.fields![0]!.value;
    expect(e.fields![0]!.name).toBe('alice');
    expect(v).toContain('Mostly 😠 **angry**');
    expect(v).toContain('3 utterances, 10 s of speech');
    expect(v).toContain('😠 angry 60 % · 😐 neutral 30 % · ❔ not sure 10 %');
    expect(v.split('\n').at(-1)).toBe('😠😐❔');
    expect(e.description).toMatch(/1 min 5 s; ended: stopped on request/);
    // Hours read as hours (it said "120 min 00 s"), in the same words as every other length the bot writes.
    expect(summaryEmbed({ voiceChannelId: '1', speakers: [], durationMs: 7_200_000, reason: 'time limit reached', skipped: 0, dropped: 0 }).description).toMatch(/for 2 h; ended/);
    expect(e.description).toMatch(/2 very short utterances were skipped/);
  });

  it('stays within every embed limit with many speakers and long sessions, folding the rest into one field', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      speaker(`speaker-with-a-rather-long-display-name-${i}`, Array.from({ length: 300 }, (_, k) => [EMOTIONS[(i + k) % 7]!, k % 5 ? 'high' : 'uncertain', 2] as const) as any),
    );
    const e = summaryEmbed({ voiceChannelId: '1', speakers: many, durationMs: 3_600_000, reason: 'time limit reached', skipped: 0, dropped: 3 });
    expect(embedLength(e)).toBeLessThanOrEqual(6000);
    expect(e.fields!.length).toBeLessThanOrEqual(25);
    expect(e.fields!.at(-1)!.name).toBe('16 more speakers');
    for (const f of e.fields!) expect(f.value.length).toBeLessThanOrEqual(1024);
    expect(e.description).toMatch(/3 utterances were not analyzed because I was too busy/);
  });

  it('cuts a mini timeline with a count of what is left', () => {
    const s = speaker('a', Array.from({ length: 50 }, () => ['happy', 'high', 1] as const) as any);
    const t = miniTimeline(s, 30)!;
    expect(t.length).toBeLessThanOrEqual(30);
    expect(t).toMatch(/… \+\d+$/);
    const shown = Array.from(t.replace(/ … \+\d+$/, '')).length;
    expect(shown + Number(/\+(\d+)$/.exec(t)![1])).toBe(50);
  });
});

it('the Stop button id carries the guild', () => {
  expect(guildOfStopButton(stopButtonId('123'))).toBe('123');
  expect(guildOfStopButton('other:thing')).toBeNull();
});
