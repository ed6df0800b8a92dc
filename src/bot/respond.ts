// Answering an interaction with an error, whatever state it is in, always so that only the user sees it.
import { MessageFlags, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { errorEmbed } from './embeds.js';
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
