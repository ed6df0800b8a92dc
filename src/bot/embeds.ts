// Discord embeds for analysis results and errors, always within Discord's embed limits.
import { EmbedBuilder, embedLength, escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Analysis, ConfidenceLevel, SegmentResult } from '../core/analysis.js';
import { LEVEL_COLOR } from '../core/decision.js';
import { EMOJI } from '../core/emotions.js';

/** Discord's limits (docs: Embed Limits). EmbedBuilder checks the per-field ones but not the 6000 total. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
} as const;

export const ERROR_COLOR = 0xe74c3c;
const BAR_CELLS = 10;
const ELLIPSIS = '…';

/** What the confidence number means, in one line (it is calibrated on speakers the model never heard). */
export const CONFIDENCE_MEANING = 'Confidence is calibrated: of answers given at 70 %, about 7 in 10 are right.';

const LEVEL_WORDS: Readonly<Record<ConfidenceLevel, string>> = {
  high: 'high confidence',
  medium: 'medium confidence',
  low: 'low confidence',
  uncertain: 'not sure',
};

export function percent(p: number): string {
  return `${Math.round(p * 100)} %`;
}

/** `😠 angry ████████░░ 78 %` */
export function bar(emotion: keyof typeof EMOJI, p: number): string {
  const filled = Math.max(0, Math.min(BAR_CELLS, Math.round(p * BAR_CELLS)));
  return `${EMOJI[emotion]} ${emotion} ${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${percent(p)}`;
}

function clock(sec: number, round: (x: number) => number): string {
  const s = Math.max(0, round(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function seconds(sec: number): string {
  return `${sec.toFixed(1)} s`;
}

/** Per segment `0:03–0:07 😠`, joined until `max` characters, then `… +N more`. */
export function timeline(segments: readonly SegmentResult[], max: number = EMBED_LIMITS.fieldValue): string {
  // Start rounded down and end up, so a short segment never reads as an empty `0:05–0:05`.
  const parts = segments.map((s) => `\`${clock(s.start, Math.floor)}–${clock(s.end, Math.ceil)}\` ${EMOJI[s.emotion]}`);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const next = out ? `${out} · ${parts[i]}` : parts[i]!;
    const rest = parts.length - i - 1;
    const tail = rest > 0 ? ` · ${ELLIPSIS} +${rest} more` : '';
    if (next.length + tail.length > max) return out ? `${out} · ${ELLIPSIS} +${parts.length - i} more` : `${parts.length} segments`;
    out = next;
  }
  return out;
}

/**
 * Text from people or a remote service (display names, transcripts) shown as written: no formatting, and no masked
 * links, headings or lists that would pass for the bot's own words (discord.js leaves those four unescaped by default).
 */
export function literal(s: string): string {
  return escapeMarkdown(s, { maskedLink: true, heading: true, bulletedList: true, numberedList: true });
}

export function cut(s: string, max: number): string {
  // Measured in UTF-16 units like embedLength (an emoji counts 2, so a 📝 transcript cut by code points
  // overshot 4096 by one); cut only between code points, so an emoji is never split in half.
  if (s.length <= max) return s;
  let out = '';
  for (const cp of s) {
    if (out.length + cp.length > max - ELLIPSIS.length) break;
    out += cp;
  }
  return out + ELLIPSIS;
}

/**
 * Brings any embed within every limit: each text is cut to its own limit, fields beyond 25 are
 * dropped, and if the total still passes 6000 the longest texts are shortened until it fits.
 */
export function fitEmbed(data: APIEmbed): APIEmbed {
  const e: APIEmbed = structuredClone(data);
  if (e.title) e.title = cut(e.title, EMBED_LIMITS.title);
  if (e.description) e.description = cut(e.description, EMBED_LIMITS.description);
  if (e.footer) e.footer = { ...e.footer, text: cut(e.footer.text, EMBED_LIMITS.footer) };
  if (e.author) e.author = { ...e.author, name: cut(e.author.name, EMBED_LIMITS.author) };
  if (e.fields) {
    e.fields = e.fields.slice(0, EMBED_LIMITS.fields).map((f) => ({
      ...f,
      name: cut(f.name, EMBED_LIMITS.fieldName) || '\u200b',
      value: cut(f.value, EMBED_LIMITS.fieldValue) || '\u200b',
    }));
  }
  // embedLength counts UTF-16 units, which is what Discord counts; cutting by code points keeps emoji whole.
  for (let excess = embedLength(e) - EMBED_LIMITS.total; excess > 0; excess = embedLength(e) - EMBED_LIMITS.total) {
    const texts: { get: () => string; set: (s: string) => void }[] = [];
    if (e.description) texts.push({ get: () => e.description!, set: (s) => (e.description = s) });
    for (const f of e.fields ?? []) {
      texts.push({ get: () => f.value, set: (s) => (f.value = s) });
      texts.push({ get: () => f.name, set: (s) => (f.name = s) });
    }
    if (e.footer) texts.push({ get: () => e.footer!.text, set: (s) => (e.footer!.text = s) });
    if (e.author) texts.push({ get: () => e.author!.name, set: (s) => (e.author!.name = s) });
    if (e.title) texts.push({ get: () => e.title!, set: (s) => (e.title = s) });
    const longest = texts.sort((a, b) => b.get().length - a.get().length)[0];
    if (!longest || longest.get().length <= 1) break;
    const text = longest.get();
    longest.set(cut(text, Math.max(1, text.length - excess)));
  }
  return e;
}

function headline(a: Analysis): { title: string; description: string } {
  const name = `${EMOJI[a.emotion]} ${a.emotion[0]!.toUpperCase()}${a.emotion.slice(1)}`;
  const lines: string[] = [];
  if (a.level === 'uncertain') {
    lines.push(
      `**The model is not sure about this one.** Its best guess is **${a.emotion}** at ${percent(a.confidence)}, ` +
        'not far ahead of the others — treat it as a hint, not an answer.',
    );
  } else {
    lines.push(`**${percent(a.confidence)}** · ${LEVEL_WORDS[a.level]}`);
  }
  if (a.gated) lines.push('_Quiet speech: angry and fearful were toned down._');
  if (a.synthetic) lines.push("_This doesn't sound like a human voice (a synthetic voice, music or tones): the model only knows people, so its confidence was capped._");
  return { title: a.level === 'uncertain' ? `${name}? (not sure)` : name, description: lines.join('\n') };
}

/** What was said, as far as the embed knows: still coming, the words, or why there are none. */
export type TranscriptView = { state: 'pending' } | { state: 'done'; text: string } | { state: 'unavailable'; reason: string };

/**
 * The transcript as the last block of the description, so when a long one meets the 4096/6000 limits
 * fitEmbed cuts its end (with "…") and nothing else. Markdown in the words is shown as typed.
 */
export function transcriptBlock(t: TranscriptView): string {
  switch (t.state) {
    case 'pending':
      return '📝 _Transcribing…_';
    case 'unavailable':
      return `📝 _Transcript unavailable (${t.reason})._`;
    case 'done': {
      const words = t.text.replace(/\s+/g, ' ').trim();
      return words ? `**📝 Transcript**\n> ${literal(words)}` : '📝 _No words recognized._';
    }
  }
}

/**
 * The result embed for one analysis: title, confidence, top-3 bars, durations, timeline, footer; optionally what was
 * said, and `image` (an `attachment://` URL: the timeline picture uploaded with the reply).
 */
export function analysisEmbed(a: Analysis, opts: { note?: string; transcript?: TranscriptView; image?: string } = {}): EmbedBuilder {
  const { title, description } = headline(a);
  const fields: { name: string; value: string; inline?: boolean }[] = [
    { name: 'Top 3', value: a.top3.map((t) => bar(t.emotion, t.probability)).join('\n') },
    { name: 'Duration', value: seconds(a.durationSec), inline: true },
    { name: 'Speech', value: seconds(a.speechSec), inline: true },
  ];
  if (a.segments.length > 1) fields.push({ name: `Timeline (${a.segments.length} segments)`, value: timeline(a.segments) });
  const data: APIEmbed = {
    title,
    description: [description, opts.note, opts.transcript && transcriptBlock(opts.transcript)].filter(Boolean).join('\n\n'),
    color: LEVEL_COLOR[a.level],
    fields,
    footer: { text: `Model ${a.modelVersion} · ${CONFIDENCE_MEANING}` },
    ...(opts.image ? { image: { url: opts.image } } : {}),
  };
  return new EmbedBuilder(fitEmbed(data));
}

/** An error the user can act on; `errorId` is shown for unexpected errors so support can find the log line. */
export function errorEmbed(title: string, description: string, errorId?: string): EmbedBuilder {
  const data: APIEmbed = { title: `⚠️ ${title}`, description, color: ERROR_COLOR };
  if (errorId) data.footer = { text: `Error id: ${errorId}` };
  return new EmbedBuilder(fitEmbed(data));
}
