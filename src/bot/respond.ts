// Answering an interaction with an error, whatever state it is in, always so that only the user sees it.
import { MessageFlags, type ChatInputCommandInteraction, type InteractionReplyOptions, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { errorEmbed } from './embeds.js';
import { LATE, within } from './limits.js';
import type { UserFacing } from './errors.js';

type Repliable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/**
 * Shows `facing` privately. Before any answer: an ephemeral reply. After an ephemeral defer: edit it.
 * After a public defer (ephemeral state is fixed at the defer): delete the placeholder and send an
 * ephemeral follow-up, so a failure never shows up in the channel.
 */
export async function sendError(i: Repliable, facing: UserFacing, log: Logger): Promise<void> {
  const embeds = [errorEmbed(facing.title, facing.description, facing.errorId)];
  try {
    if (!i.deferred && !i.replied) {
      await i.reply({ embeds, flags: MessageFlags.Ephemeral });
    } else if (i.deferred && !i.replied && i.ephemeral) {
      await i.editReply({ embeds });
    } else {
      await i.deleteReply().catch(() => undefined);
      await i.followUp({ embeds, flags: MessageFlags.Ephemeral });
    }
  } catch (err) {
    // Expired token, deleted channel...: nothing more can be shown; never let it escape.
    log.warn({ err, code: facing.code, interactionId: i.id }, 'could not deliver an error message');
  }
}

/**
 * Discord drops an interaction not answered within 3 s, and the store can take longer (PostgreSQL: up to 5 s to
 * connect and 5 s a query). Past this, a private answer is deferred and given when the store has answered.
 */
export const STORE_ANSWER_MS = 2_000;

/** Waits for `work` (a store call); when it takes longer than `ms`, defers the private answer first (once). */
export async function afterStore<T>(i: ChatInputCommandInteraction, work: Promise<T>, ms = STORE_ANSWER_MS): Promise<T> {
  if (i.deferred) return work;
  const first = await within(work, ms);
  if (first !== LATE) return first;
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  return work;
}

/** `work`'s result, or null when the store has not answered within `ms` (for a command that must not wait). */
export async function storeOrNull<T>(work: Promise<T>, ms = STORE_ANSWER_MS): Promise<T | null> {
  const first = await within(work, ms);
  return first === LATE ? null : first;
}

/** A private answer, as the reply or into the deferred one (afterStore). */
export async function answerPrivately(i: ChatInputCommandInteraction, answer: Omit<InteractionReplyOptions, 'flags'>): Promise<void> {
  if (i.deferred) await i.editReply(answer);
  else await i.reply({ ...answer, flags: MessageFlags.Ephemeral });
}
