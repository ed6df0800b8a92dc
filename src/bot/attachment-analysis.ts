// The /analyze walk shared by the slash command and the context menu: checks → defer → download → worker → embed.
import { MessageFlags, PermissionFlagsBits, type Attachment, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { analysisTimeline } from '../charts/lanes.js';
import type { Analysis } from '../core/analysis.js';
import { failureReason, operatorHint, outcomeLogFields, type TranscribeOutcome } from '../transcribe/client.js';
import { drawChart, mayAttachFiles, pngFile } from './charts.js';
import { downloadAttachment } from './download.js';
import { analysisEmbed, type TranscriptView } from './embeds.js';
import { BotError, describeError, downloadLogFields, NOT_THE_USERS_FAULT } from './errors.js';
import { BusyError, readyBefore, type Ticket } from './limits.js';
import { sendError } from './respond.js';
import type { Services } from './services.js';
import type { AnalysisWithWav } from './worker.js';

type Repliable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/** How long after the command a queued request may still start (its token lasts 15 minutes; the analysis needs some). */
const QUEUE_DEADLINE_MS = 12 * 60_000;

// Declared types that can carry speech. Voice messages are audio/ogg; screen recordings often video/*.
const AUDIO_TYPES = /^(audio\/|video\/(webm|ogg|mp4|quicktime|x-matroska|3gpp2?)|application\/ogg)/i;
const AUDIO_EXTENSIONS = /\.(ogg|oga|opus|wav|wave|mp3|m4a|mp4|aac|flac|webm|weba|mka|mov|aif|aiff|caf|wma)$/i;

/** Whether an attachment claims to be audio (the worker still sniffs the real bytes). */
export function looksLikeAudio(att: Attachment): boolean {
  if (att.contentType) return AUDIO_TYPES.test(att.contentType);
  return AUDIO_EXTENSIONS.test(att.name);
}

// Interaction replies go through the webhook and need no channel permissions, but a channel where the
// bot may not post or embed is one where the server did not want it speaking: answer privately there.
const PUBLIC_NEEDS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];

export function mayPostPublicly(i: Repliable): boolean {
  return !i.inGuild() || !i.appPermissions || i.appPermissions.has(PUBLIC_NEEDS);
}

const PRIVATE_NOTE = '_Only you can see this: I am not allowed to post embeds in this channel (needs View Channel, Send Messages and Embed Links)._';
export const TIMELINE_NAME = 'timeline.png';
export const TRANSCRIBE_NOT_SET_UP = 'Transcription is not set up on this bot, so only the emotion is shown.';

export interface AnalyzeRequest {
  interaction: Repliable;
  attachment: Attachment | null;
  /** The user asked for a private answer. */
  private: boolean;
  /**
   * Also show what was said. `asked`: the user chose it, so tell them when this bot has no speech-to-text;
   * `when-available`: transcribe if set up, say nothing otherwise (the context menu, which has no options).
   */
  transcribe?: 'asked' | 'when-available';
}

/** The emotion is posted; the transcript is still on its way. */
interface PendingTranscript {
  analysis: Analysis;
  note: string | undefined;
  /** The timeline picture shown in the embed, kept when the transcript is edited in. */
  image: string | undefined;
  outcome: Promise<TranscribeOutcome>;
}

export async function analyzeAttachment(req: AnalyzeRequest, s: Services): Promise<void> {
  const { interaction: i, attachment: att } = req;
  const limits = s.config;
  const fail = async (e: unknown): Promise<void> => {
    const facing = describeError(e, limits, s.log, { interactionId: i.id, command: i.commandName });
    if (!facing.errorId) s.log.info({ interactionId: i.id, command: i.commandName, code: facing.code, ...downloadLogFields(e) }, 'request not analyzed');
    if (NOT_THE_USERS_FAULT.has(facing.code)) s.cooldowns.refund(i.user.id);
    await sendError(i, facing, s.log);
  };

  // Everything that can be refused without downloading is refused with an immediate private reply.
  if (s.shuttingDown) return fail(new BotError('SHUTTING_DOWN', 'shutting down'));
  if (!att) return fail(new BotError('NO_ATTACHMENT', 'no attachment'));
  const waitMs = s.cooldowns.remainingMs(i.user.id);
  if (waitMs > 0) return fail(new BotError('COOLDOWN', 'cooldown', { retryAfterSec: Math.ceil(waitMs / 1000) }));
  if (!looksLikeAudio(att)) return fail(new BotError('NOT_AUDIO', 'not audio', { name: att.name, contentType: att.contentType }));
  if (att.size > limits.maxAttachmentBytes) return fail(new BotError('TOO_BIG', 'declared size over the cap', { size: att.size }));

  let ticket: Ticket;
  try {
    ticket = s.gate.enter();
  } catch (e) {
    if (e instanceof BusyError) s.log.info({ interactionId: i.id, retryAfterSec: e.retryAfterSec, ...s.gate.stats }, 'busy: request refused');
    return fail(e);
  }
  s.cooldowns.hit(i.user.id);
  const publicOk = mayPostPublicly(i);
  const ephemeral = req.private || !publicOk;
  const transcriber = req.transcribe ? s.transcriber : null;
  const notSetUp = req.transcribe === 'asked' && !s.transcriber;
  const started = performance.now();
  let pending: PendingTranscript | null = null;
  try {
    // Defer before any download: Discord wants an answer within 3 s.
    await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // An interaction can be answered for 15 minutes: a request still queued near the end is told to try again, while
    // its answer can still be given, rather than analyzed for nobody.
    if (!(await readyBefore(ticket, i.createdTimestamp + QUEUE_DEADLINE_MS))) throw new BusyError(s.gate.retryAfterSec());
    const bytes = await downloadAttachment(att.url, { maxBytes: limits.maxAttachmentBytes, timeoutMs: limits.downloadTimeoutMs, declaredSize: att.size });
    const job = {
      kind: 'bytes' as const,
      bytes,
      maxDurationSec: limits.maxAudioSec,
      ...(limits.minSpeechSec !== null ? { minSpeechSec: limits.minSpeechSec } : {}),
      ...(transcriber ? { wav: true } : {}),
    };
    // Transfer, not copy: the bytes leave this thread, and are dropped with the job (nothing is stored).
    const result = await s.pool.run(job, [bytes.buffer as ArrayBuffer]);
    const { analysis, wav } = transcriber ? (result as AnalysisWithWav) : { analysis: result as Analysis, wav: null };
    // Started before the emotion is posted so the upload overlaps Discord's edit, and never awaited before it:
    // the emotion is never held back by speech-to-text, whatever that service does.
    const outcome = transcriber && wav ? transcriber.transcribe(wav) : null;
    const note = [!req.private && !publicOk ? PRIVATE_NOTE : '', notSetUp && ephemeral ? `_${TRANSCRIBE_NOT_SET_UP}_` : ''].filter(Boolean).join('\n') || undefined;
    const transcript = outcome ? { transcript: { state: 'pending' as const } } : {};
    // A recording with several utterances also gets its timeline as a picture under the embed, where the bot may attach files.
    const timeline = analysis.segments.length > 1 && mayAttachFiles(i.appPermissions) ? await drawChart(s, { chart: 'lanes', data: analysisTimeline(analysis, att.name) }, { interactionId: i.id }) : null;
    let image: string | undefined;
    if (timeline) {
      image = `attachment://${TIMELINE_NAME}`;
      const files = [pngFile(timeline, TIMELINE_NAME, 'The emotion of each part of the recording, and its share of speech time')];
      await i.editReply({ embeds: [analysisEmbed(analysis, { note, image, ...transcript })], files }).catch(async (err) => {
        s.log.warn({ err, interactionId: i.id }, 'could not attach the timeline image; answering without it');
        image = undefined;
        await i.editReply({ embeds: [analysisEmbed(analysis, { note, ...transcript })] });
      });
    } else await i.editReply({ embeds: [analysisEmbed(analysis, { note, ...transcript })] });
    s.log.info(
      { interactionId: i.id, command: i.commandName, emotion: analysis.emotion, confidenceLevel: analysis.level, durationSec: analysis.durationSec, ms: Math.round(performance.now() - started) },
      'analysis answered',
    );
    if (outcome) pending = { analysis, note, image, outcome };
    // A public answer cannot carry a private remark: the asker alone hears that transcription is off.
    if (notSetUp && !ephemeral) {
      await i.followUp({ content: TRANSCRIBE_NOT_SET_UP, flags: MessageFlags.Ephemeral }).catch((err) => s.log.warn({ err, interactionId: i.id }, 'could not send the not-set-up notice'));
    }
  } catch (e) {
    await fail(e);
  } finally {
    // The slot bounds CPU work; waiting for a remote transcript must not hold it.
    ticket.release();
  }
  if (pending) await addTranscript(req.interaction, pending, s);
}

/** Waits for the transcript (bounded by its own timeout) and edits it into the posted result, or says it is unavailable. */
async function addTranscript(i: Repliable, p: PendingTranscript, s: Services): Promise<void> {
  const o = await p.outcome;
  const context = { interactionId: i.id, command: i.commandName, transcribe: outcomeLogFields(o) };
  let view: TranscriptView;
  if (o.ok) {
    view = { state: 'done', text: o.text };
    s.log.info(context, 'transcript added');
  } else {
    view = { state: 'unavailable', reason: failureReason(o.code) };
    s.log.warn({ ...context, hint: operatorHint(o) }, 'transcript unavailable');
  }
  try {
    await i.editReply({ embeds: [analysisEmbed(p.analysis, { note: p.note, image: p.image, transcript: view })] });
  } catch (err) {
    // The message may have been deleted meanwhile; the emotion was already delivered.
    s.log.warn({ err, interactionId: i.id }, 'could not edit the transcript in');
  }
}
