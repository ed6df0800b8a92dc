// The /analyze walk shared by the slash command and the context menu: checks → defer → download → worker → embed.
import { MessageFlags, PermissionFlagsBits, type Attachment, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Analysis } from '../core/analysis.js';
import { downloadAttachment } from './download.js';
import { analysisEmbed } from './embeds.js';
import { BotError, describeError } from './errors.js';
import { BusyError, type Ticket } from './limits.js';
import { sendError } from './respond.js';
import type { Services } from './services.js';

type Repliable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

// Declared types that can carry speech. Voice messages are audio/ogg; screen recordings often video/*.
const AUDIO_TYPES = /^(audio\/|video\/(webm|ogg|mp4|quicktime)|application\/ogg)/i;
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

export interface AnalyzeRequest {
  interaction: Repliable;
  attachment: Attachment | null;
  /** The user asked for a private answer. */
  private: boolean;
}

export async function analyzeAttachment(req: AnalyzeRequest, s: Services): Promise<void> {
  const { interaction: i, attachment: att } = req;
  const limits = s.config;
  const fail = async (e: unknown): Promise<void> => {
    const facing = describeError(e, limits, s.log, { interactionId: i.id, command: i.commandName });
    if (!facing.errorId) s.log.info({ interactionId: i.id, command: i.commandName, code: facing.code }, 'request not analyzed');
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
  const started = performance.now();
  try {
    // Defer before any download: Discord wants an answer within 3 s.
    await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await ticket.ready;
    const bytes = await downloadAttachment(att.url, { maxBytes: limits.maxAttachmentBytes, timeoutMs: limits.downloadTimeoutMs, declaredSize: att.size });
    const job = { kind: 'bytes' as const, bytes, maxDurationSec: limits.maxAudioSec, ...(limits.minSpeechSec !== null ? { minSpeechSec: limits.minSpeechSec } : {}) };
    // Transfer, not copy: the bytes leave this thread, and are dropped with the job (nothing is stored).
    const analysis = (await s.pool.run(job, [bytes.buffer as ArrayBuffer])) as Analysis;
    const note = !req.private && !publicOk ? PRIVATE_NOTE : undefined;
    await i.editReply({ embeds: [analysisEmbed(analysis, { note })] });
    s.log.info(
      { interactionId: i.id, command: i.commandName, emotion: analysis.emotion, level: analysis.level, durationSec: analysis.durationSec, ms: Math.round(performance.now() - started) },
      'analysis answered',
    );
  } catch (e) {
    await fail(e);
  } finally {
    ticket.release();
  }
}
