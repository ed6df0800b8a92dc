// /optin — undo /optout: /listen may analyze your voice again (only while a session is announced in the channel).
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { afterStore, answerPrivately } from '../bot/respond.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder().setName('optin').setDescription('Let /listen analyze your voice again (undoes /optout).');

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  const changed = await afterStore(i, services.store.optIn(i.user.id));
  await answerPrivately(i, {
    content: changed
      ? '🔊 Done: `/listen` sessions may analyze your voice again from your next utterance. `/optout` stops it at any time.'
      : 'You were not opted out: `/listen` sessions may analyze your voice. `/optout` stops it.',
  });
}
