// /stop — end this server's /listen session; the summary follows in the channel it was started from.
import { InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Services } from '../bot/services.js';
import { listenContext } from '../bot/voice/registry.js';

export const data = new SlashCommandBuilder()
  .setName('stop')
  .setDescription('Stop listening in this server’s voice channel and post the summary.')
  .setContexts(InteractionContextType.Guild);

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  const session = i.guildId ? listenContext(services, i.client).sessions.get(i.guildId) : undefined;
  if (!session) {
    await i.reply({ content: 'I’m not listening anywhere in this server.', flags: MessageFlags.Ephemeral });
    return;
  }
  // Anyone may stop it: ending a recording should never be harder than starting one.
  await i.reply({ content: `⏹️ Stopped listening in <#${session.voiceChannelId}>. The summary follows.` });
  await session.stop('stopped');
}
