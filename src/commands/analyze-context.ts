// "Analyze emotion" on a message: the emotion in its voice message or first audio attachment.
import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import { analyzeAttachment, looksLikeAudio } from '../bot/attachment-analysis.js';
import type { Services } from '../bot/services.js';

export const data = new ContextMenuCommandBuilder()
  .setName('Analyze emotion')
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(interaction: MessageContextMenuCommandInteraction, services: Services): Promise<void> {
  const message = interaction.targetMessage;
  // A forwarded message has no attachments of its own: the original's are in its snapshot.
  const forward = message.attachments.size === 0 ? message.messageSnapshots.first() : undefined;
  const source = forward ?? message;
  // A voice message has exactly one attachment, and it is audio whatever its declared type says.
  const attachment = source.flags.has(MessageFlags.IsVoiceMessage) ? (source.attachments.first() ?? null) : (source.attachments.find(looksLikeAudio) ?? null);
  // Judging someone else's voice in public is not ours to decide: only the author's own messages get a public answer
  // (a forward's voice may be anyone's, so it is answered privately). A context menu has no options, so the transcript
  // comes whenever the bot has speech-to-text set up, for one's own voice only: someone else's recording is not sent to
  // a third-party service because another person right-clicked it.
  const own = !forward && message.author.id === interaction.user.id;
  await analyzeAttachment({ interaction, attachment, private: !own, ...(own ? { transcribe: 'when-available' as const } : {}) }, services);
}
