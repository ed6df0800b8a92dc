// What /listen posts: the notice with its Stop button, the live per-speaker message, and the end-of-session summary.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIEmbed, type APIEmbedField } from 'discord.js';
import { LEVEL_COLOR } from '../../core/decision.js';
import { EMOJI, EMOTIONS, EMOTION_COLOR } from '../../core/emotions.js';
import { cut, EMBED_LIMITS, fitEmbed, literal, percent } from '../embeds.js';
import { duration } from '../errors.js';
import { emptyShare, type LatestResult, type Speaker, type SpeechShare } from './speaker.js';

export const STOP_BUTTON_PREFIX = 'listen:stop:';
const UNCERTAIN_EMOJI = '❔';
const LIVE_COLOR = 0x5865f2;
const WARNING_COLOR = 0xe67e22;

/** The Stop button's custom id carries the guild, so a click ends that guild's session whatever message it is on. */
export function stopButtonId(guildId: string): string {
  return `${STOP_BUTTON_PREFIX}${guildId}`;
}

export function guildOfStopButton(customId: string): string | null {
  return customId.startsWith(STOP_BUTTON_PREFIX) ? customId.slice(STOP_BUTTON_PREFIX.length) || null : null;
}

export function stopRow(guildId: string, disabled = false): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(stopButtonId(guildId)).setLabel('Stop listening').setEmoji('⏹️').setStyle(ButtonStyle.Danger).setDisabled(disabled),
  );
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** `12345 67890 …`: the 30-digit DAVE code in groups of five, as Discord clients show it. */
export function groupedCode(code: string): string {
  return code.match(/.{1,5}/g)!.join(' ');
}

function privacyLine(code: string | null | undefined): string {
  if (code === undefined) return '';
  return code
    ? `\n**End-to-end encrypted:** voice privacy code \`${groupedCode(code)}\` — compare it with the one in your call’s encryption details in Discord.`
    : '\n_The call’s end-to-end encryption is still being set up; the live message shows the voice privacy code once it is._';
}

/** The public notice: who is heard, what happens to the audio, how to opt out and how to stop. */
export function noticeEmbed(o: { voiceChannelId: string; minutes: number; minUtteranceSec: number; transcribe?: 'on' | 'unavailable' | 'off-here'; privacyCode?: string | null }): EmbedBuilder {
  return new EmbedBuilder(
    fitEmbed({
      title: '🎙️ Listening for emotion in this voice channel',
      description:
        `I'm listening in <#${o.voiceChannelId}> for up to ${minutes(o.minutes)} and will post the emotion I hear in each person's voice here.\n\n` +
        '**Privacy:** audio is analyzed in memory and never stored or recorded; only the emotion labels are posted. ' +
        'Bots are ignored.\n' +
        '**Opt out:** `/optout` and I will never listen to you, in any session (`/optin` undoes it).\n' +
        '**Stop:** `/stop` or the button below. I also leave when everyone else has left.' +
        (o.transcribe === 'on'
          ? '\n**Transcripts are on:** each utterance is also sent to this bot’s speech-to-text service, and what was said is shown next to the emotion.'
          : o.transcribe === 'unavailable'
            ? '\n_Transcription is not set up on this bot, so only emotions are shown._'
            : o.transcribe === 'off-here'
              ? '\n_This server’s admins turned transcription off (`/settings`), so only emotions are shown._'
              : '') +
        privacyLine(o.privacyCode),
      color: LIVE_COLOR,
      footer: { text: `Utterances shorter than ${o.minUtteranceSec} s are skipped. I judge how something is said, not what is said.` },
    }),
  );
}

function name(s: Speaker): string {
  return `**${literal(s.name)}**`;
}

/** `😠 angry · 78 % · high confidence`, or `❔ not sure (best guess 😐 neutral, 31 %)`, with why when it did not sound like a human voice (a TTS bot, music). */
export function resultLine(r: LatestResult): string {
  const why = r.synthetic ? "doesn't sound like a human voice; " : '';
  if (r.level === 'uncertain') return `${UNCERTAIN_EMOJI} not sure (${why}best guess ${EMOJI[r.emotion]} ${r.emotion}, ${percent(r.confidence)})`;
  return `${EMOJI[r.emotion]} ${r.emotion} · ${percent(r.confidence)} · ${r.level} confidence`;
}

// A live line carries at most this much of a transcript, so many speakers still fit in one message.
const TRANSCRIPT_CHARS = 160;

function transcriptLine(r: LatestResult): string {
  if (r.transcript === undefined) return '';
  if (r.transcript === null) return '\n> _transcript unavailable_';
  // Cut between code points: half an emoji is not text Discord accepts, and one bad line would fail every edit.
  return `\n> ${literal(cut(r.transcript, TRANSCRIPT_CHARS))}`;
}

/** The live message: the latest result per speaker, most recent first. */
export function liveEmbed(o: { voiceChannelId: string; speakers: readonly Speaker[]; ended?: string; privacyCode?: string | null }): APIEmbed {
  const heard = o.speakers.filter((s) => s.latest).sort((a, b) => b.latest!.at - a.latest!.at);
  const lines = heard.map((s) => `${name(s)} — ${resultLine(s.latest!)}${transcriptLine(s.latest!)}`);
  const latest = heard[0]?.latest;
  return fitEmbed({
    title: o.ended ? '🎙️ Live emotion (ended)' : '🎙️ Live emotion',
    description: lines.length ? lines.join('\n') : `Nobody has spoken long enough in <#${o.voiceChannelId}> yet.`,
    color: o.ended ? 0x7f8c8d : latest ? LEVEL_COLOR[latest.level] : LIVE_COLOR,
    // The code changes whenever someone joins or leaves (a new MLS epoch): each edit shows the current one.
    footer: { text: o.ended ?? `Latest result per speaker · /stop ends the session${o.privacyCode ? ` · voice privacy code ${groupedCode(o.privacyCode)}` : ''}` },
  });
}

/** `😠 45 % · 😐 30 % · ❔ 5 %`: share of speech time, largest first. */
export function distribution(share: SpeechShare): string {
  const total = Object.values(share).reduce((a, b) => a + b, 0);
  if (total <= 0) return 'no speech analyzed';
  return ([...EMOTIONS, 'uncertain'] as const)
    .filter((e) => share[e] > 0)
    .sort((a, b) => share[b] - share[a])
    .map((e) => `${e === 'uncertain' ? UNCERTAIN_EMOJI : EMOJI[e]} ${e === 'uncertain' ? 'not sure' : e} ${percent(share[e] / total)}`)
    .join(' · ');
}

/** `😐😐😠❔😄` in speaking order, cut to `max` UTF-16 units (what Discord counts) with `… +N` for the rest. */
export function miniTimeline(s: Speaker, max: number): string | null {
  const marks = s.timeline.map((t) => (t.uncertain ? UNCERTAIN_EMOJI : EMOJI[t.emotion]));
  if (marks.length < 2) return null;
  const total = Math.max(s.utterances, marks.length);
  let out = '';
  for (let i = 0; i < marks.length; i++) {
    const left = total - i - 1;
    // Each step keeps room for the tail, so stopping at any point still fits.
    if (out.length + marks[i]!.length + (left > 0 ? ` … +${left}`.length : 0) > max) return out ? `${out} … +${total - i}` : null;
    out += marks[i];
  }
  return total > marks.length ? `${out} … +${total - marks.length}` : out;
}

export interface SummaryInput {
  voiceChannelId: string;
  speakers: readonly Speaker[];
  durationMs: number;
  reason: string;
  /** Utterances skipped for being too short, and dropped because the bot was too busy. */
  skipped: number;
  dropped: number;
  /**
   * Why the bot could not hear for some of the session, so the summary does not say nobody spoke: audio arrived but
   * did not decrypt or decode, or a moderator server-deafened it.
   */
  deaf?: 'undecodable' | 'deafened' | false;
}

const DEAF_TEXT = 'audio arrives but I cannot decrypt or decode it';
const WHY_DEAF = { undecodable: DEAF_TEXT, deafened: 'a moderator had server-deafened me' } as const;

/** Posted once when the bot cannot hear even after joining again. */
export function deafEmbed(voiceChannelId: string): APIEmbed {
  return {
    title: '⚠️ I cannot hear this channel',
    description: `I am in <#${voiceChannelId}>, but ${DEAF_TEXT}, so nothing said now is analyzed. Joining again did not help. Use \`/stop\` and try \`/listen\` again later; if it keeps happening, tell the bot's owner.`,
    color: WARNING_COLOR,
  };
}

/** A moderator server-deafened the bot: it receives no audio at all until undeafened. */
export function serverDeafEmbed(voiceChannelId: string): APIEmbed {
  return {
    title: '⚠️ I have been deafened',
    description: `Someone server-deafened me in <#${voiceChannelId}>, so I hear nothing and nothing said now is analyzed. A moderator can undo it (right-click me → **Server Deafen**); \`/stop\` ends the session.`,
    color: WARNING_COLOR,
  };
}

/**
 * The end-of-session summary: one field per speaker (distribution by speech time, dominant emotion,
 * utterance count, and a mini timeline when there is room), always within Discord's embed limits.
 */
export function summaryEmbed(o: SummaryInput): APIEmbed {
  const heard = o.speakers.filter((s) => s.utterances > 0).sort((a, b) => b.speechSec - a.speechSec);
  const shown = heard.slice(0, EMBED_LIMITS.fields - 1);
  // Leave room so the mini timelines, which come last in each field, are what gets cut.
  const perField = Math.min(EMBED_LIMITS.fieldValue, Math.floor(4500 / Math.max(1, shown.length)));
  const fields: APIEmbedField[] = shown.map((s) => {
    const dom = s.dominant();
    const head = [
      dom ? `Mostly ${EMOJI[dom]} **${dom}**` : `Mostly ${UNCERTAIN_EMOJI} not sure`,
      `${s.utterances} utterance${s.utterances === 1 ? '' : 's'}, ${s.speechSec.toFixed(0)} s of speech`,
      distribution(s.share),
    ].join('\n');
    const room = perField - head.length - 1;
    const tl = room > 12 ? miniTimeline(s, room) : null;
    return { name: cut(literal(s.name), EMBED_LIMITS.fieldName), value: tl ? `${head}\n${tl}` : head };
  });
  if (heard.length > shown.length) {
    const rest = emptyShare();
    for (const s of heard.slice(shown.length)) for (const k of Object.keys(rest) as (keyof typeof rest)[]) rest[k] += s.share[k];
    fields.push({ name: `${heard.length - shown.length} more speakers`, value: distribution(rest) });
  }
  const notes: string[] = [`Listened in <#${o.voiceChannelId}> for ${duration(o.durationMs / 1000)}; ended: ${o.reason}.`];
  if (o.deaf) notes.push(`${heard.length ? 'For part of the session I could not hear' : 'I could not hear anyone'}: ${WHY_DEAF[o.deaf]}.`);
  else if (!heard.length) notes.push('Nobody spoke long enough to be analyzed.');
  if (o.skipped) notes.push(`${o.skipped} very short utterance${o.skipped === 1 ? ' was' : 's were'} skipped.`);
  if (o.dropped) notes.push(`${o.dropped} utterance${o.dropped === 1 ? ' was' : 's were'} not analyzed because I was too busy.`);
  const top = heard[0]?.dominant();
  return fitEmbed({
    title: '🎙️ Session summary',
    description: notes.join('\n') + '\nShares are of speech time. No audio was kept.',
    color: top ? EMOTION_COLOR[top] : LIVE_COLOR,
    fields,
  });
}
