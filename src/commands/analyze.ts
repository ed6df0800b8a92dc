// /analyze audio:<attachment> [private:<bool>] [transcribe:<bool>] — the emotion in an uploaded recording (and optionally what was said).
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { analyzeAttachment } from '../bot/attachment-analysis.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder()
  .setName('analyze')
  .setDescription('Hear which emotion a recording carries (voice message, ogg, wav, mp3, …).')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addAttachmentOption((o) => o.setName('audio').setDescription('The recording to analyze').setRequired(true))
  .addBooleanOption((o) => o.setName('private').setDescription('Only you see the result (default: everyone in the channel)'))
  .addBooleanOption((o) => o.setName('transcribe').setDescription('Also show what was said (needs speech-to-text set up on this bot)'));

export async function execute(interaction: ChatInputCommandInteraction, services: Services): Promise<void> {
  await analyzeAttachment(
    {
      interaction,
      attachment: interaction.options.getAttachment('audio'),
      private: interaction.options.getBoolean('private') ?? false,
      ...(interaction.options.getBoolean('transcribe') ? { transcribe: 'asked' as const } : {}),
    },
    services,
  );
}
