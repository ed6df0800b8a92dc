// /optin — undo /optout: /listen may analyze your voice again (only while a session is announced in the channel).
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder().setName('optin').setDescription('Let /listen analyze your voice again (undoes /optout).');

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  const changed = await services.store.optIn(i.user.id);
  await i.reply({
    content: changed
      ? '🔊 Done: `/listen` sessions may analyze your voice again from your next utterance. `/optout` stops it at any time.'
      : 'You were not opted out: `/listen` sessions may analyze your voice. `/optout` stops it.',
    flags: MessageFlags.Ephemeral,
  });
}
