// /optout — never be listened to by /listen, in any server; takes effect at once, even mid-session.
import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { afterStore, answerPrivately } from '../bot/respond.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder().setName('optout').setDescription('Never have your voice analyzed by /listen (undo with /optin).');

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  // Running sessions, here and in every other process, drop them at once: the store announces it (voice/registry.ts).
  const changed = await afterStore(i, services.store.optOut(i.user.id));
  await answerPrivately(i, {
    content: changed
      ? '🔇 Done: `/listen` will never analyze your voice, in any server, and you were removed from any session running now. Only your user id is kept, to remember this. `/optin` undoes it.'
      : '🔇 You had already opted out: `/listen` never analyzes your voice. `/optin` undoes it.',
  });
}
