// Routes each interaction to its command; whatever a handler throws is logged and answered, never fatal.
import { MessageFlags, type ButtonInteraction, type Interaction } from 'discord.js';
import { describeError } from './errors.js';
import { sendError } from './respond.js';
import type { Command, Services } from './services.js';

/** A command that also owns buttons: their custom ids start with `<command name>:`. */
interface WithButtons {
  onButton(i: ButtonInteraction, s: Services): Promise<void>;
}

export async function handleInteraction(i: Interaction, commands: ReadonlyMap<string, Command<any>>, s: Services): Promise<void> {
  if (i.isButton()) return handleButton(i, commands, s);
  if (!i.isChatInputCommand() && !i.isMessageContextMenuCommand()) return;
  const command = commands.get(i.commandName);
  try {
    if (!command) throw new Error(`no handler for command "${i.commandName}" (stale registration? run deploy-commands)`);
    await command.execute(i, s);
  } catch (e) {
    await sendError(i, describeError(e, s.config, s.log, { interactionId: i.id, command: i.commandName }), s.log);
  }
}

async function handleButton(i: ButtonInteraction, commands: ReadonlyMap<string, Command<any>>, s: Services): Promise<void> {
  const owner = commands.get(i.customId.split(':')[0]!) as (Command & Partial<WithButtons>) | undefined;
  try {
    if (!owner?.onButton) throw new Error(`no handler for button "${i.customId}"`);
    await owner.onButton(i, s);
  } catch (e) {
    const facing = describeError(e, s.config, s.log, { interactionId: i.id, button: i.customId });
    const content = `⚠️ ${facing.title}: ${facing.description}`;
    await (i.replied || i.deferred ? i.followUp({ content, flags: MessageFlags.Ephemeral }) : i.reply({ content, flags: MessageFlags.Ephemeral })).catch((err) =>
      s.log.warn({ err, interactionId: i.id }, 'could not deliver an error message'),
    );
  }
}
