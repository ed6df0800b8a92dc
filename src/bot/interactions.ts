// Routes each interaction to its command; whatever a handler throws is logged and answered, never fatal.
import type { Interaction } from 'discord.js';
import { describeError } from './errors.js';
import { sendError } from './respond.js';
import type { Command, Services } from './services.js';

export async function handleInteraction(i: Interaction, commands: ReadonlyMap<string, Command<any>>, s: Services): Promise<void> {
  if (!i.isChatInputCommand() && !i.isMessageContextMenuCommand()) return;
  const command = commands.get(i.commandName);
  try {
    if (!command) throw new Error(`no handler for command "${i.commandName}" (stale registration? run deploy-commands)`);
    await command.execute(i, s);
  } catch (e) {
    await sendError(i, describeError(e, s.config, s.log, { interactionId: i.id, command: i.commandName }), s.log);
  }
}
