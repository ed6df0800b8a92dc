// The transcript block of the result embed: each state, markdown shown as typed, long text cut with "…" inside Discord's limits.
import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { analysisEmbed, fitEmbed, transcriptBlock } from '../../src/bot/embeds.js';
import { analysisOf } from './fixtures/analysis.js';

describe('transcriptBlock', () => {
  it('says what is happening in each state', () => {
    expect(transcriptBlock({ state: 'pending' })).toBe('📝 _Transcribing…_');
    expect(transcriptBlock({ state: 'unavailable', reason: 'the speech-to-text service took too long' })).toBe('📝 _Transcript unavailable (the speech-to-text service took too long)._');
    expect(transcriptBlock({ state: 'done', text: ' ' })).toBe('📝 _No words recognized._');
    expect(transcriptBlock({ state: 'done', text: ' Kids are\n talking by the door. ' })).toBe('**📝 Transcript**\n> Kids are talking by the door.');
  });

  it('escapes markdown so the words are shown as said', () => {
    expect(transcriptBlock({ state: 'done', text: '**loud** _quiet_ `code` > quote' })).toBe('**📝 Transcript**\n> \\*\\*loud\\*\\* \\_quiet\\_ \\`code\\` > quote');
  });
});

describe('analysisEmbed with a transcript', () => {
  it('puts the transcript last in the description, after the headline and any note', () => {
    const e = analysisEmbed(analysisOf(), { note: '_a note_', transcript: { state: 'done', text: 'hello there' } }).toJSON();
    expect(e.description!.split('\n\n').slice(1)).toEqual(['_a note_', '**📝 Transcript**\n> hello there']);
  });

  it('cuts a long transcript (with emoji) at the end, with "…", within 4096 and 6000 UTF-16 units', () => {
    const text = '🙂 word '.repeat(2000);
    const e = analysisEmbed(analysisOf({ segmentCount: 40 }), { transcript: { state: 'done', text } }).toJSON();
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect(e.description!.endsWith('…')).toBe(true);
    expect(e.description).toContain('**📝 Transcript**\n> 🙂 word 🙂 word');
    expect(e.description!.includes('\ud83d…')).toBe(false); // no emoji cut in half
    expect(embedLength(e)).toBeLessThanOrEqual(6000);
    // Everything but the description is what it is without a transcript.
    const { description: _d, ...rest } = e;
    const { description: _d2, ...plain } = analysisEmbed(analysisOf({ segmentCount: 40 })).toJSON();
    expect(rest).toEqual(plain);
  });

  it('fitEmbed counts UTF-16 units: 4096 emoji become 2047 of them and "…"', () => {
    const e = fitEmbed({ description: '😠'.repeat(4096) });
    expect(e.description!.length).toBe(4095);
    expect(Array.from(e.description!)).toHaveLength(2048);
  });
});
