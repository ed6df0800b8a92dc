// `npm run deploy-commands`: registers the bot's commands (in DISCORD_GUILD_ID when set, else globally) and prints them.
import { parseArgs } from 'node:util';
import { ApplicationCommandType, DiscordAPIError, REST, Routes } from 'discord.js';
import { configOrExit } from '../src/bot/config.js';
import { commands } from '../src/commands/index.js';

const USAGE = `Usage: npm run deploy-commands
Registers the bot's commands with Discord (replacing the ones registered before) and prints them:
in the server DISCORD_GUILD_ID when it is set (they show up at once), otherwise globally.
Reads DISCORD_TOKEN, DISCORD_CLIENT_ID, DISCORD_GUILD_ID and DISCORD_API_URL from .env or the environment, and checks
the bot's other settings there as \`npm start\` does (see .env.example). Commands registered in a guild stay there after
you deploy globally: with DISCORD_GUILD_ID unset they would show twice in that guild until removed.`;

// It takes no arguments: asking it for help must not register anything, and a typo must not either.
try {
  if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
} catch (e) {
  process.stderr.write(`deploy-commands: ${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}

const config = configOrExit();
const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
const body = commands.map((c) => c.data.toJSON());
// PUT replaces the whole set: commands that are no longer in the code disappear from Discord too.
const route = config.guildId ? Routes.applicationGuildCommands(config.clientId, config.guildId) : Routes.applicationCommands(config.clientId);
const where = config.guildId ? `in guild ${config.guildId} (available at once)` : 'globally (every server the bot is in)';

const KIND: Record<number, string> = {
  [ApplicationCommandType.ChatInput]: 'slash command',
  [ApplicationCommandType.Message]: 'message context menu',
  [ApplicationCommandType.User]: 'user context menu',
};

try {
  const registered = (await rest.put(route, { body })) as { id: string; name: string; type?: number }[];
  process.stdout.write(`Registered ${registered.length} commands ${where}:\n`);
  for (const c of registered) {
    const type = c.type ?? ApplicationCommandType.ChatInput;
    const label = type === ApplicationCommandType.ChatInput ? `/${c.name}` : `"${c.name}"`;
    process.stdout.write(`  ${label.padEnd(20)} ${KIND[type] ?? `type ${type}`}  id ${c.id}\n`);
  }
} catch (e) {
  const why =
    e instanceof DiscordAPIError && e.status === 401
      ? 'Discord rejected DISCORD_TOKEN; reset it in Developer Portal → Bot and update .env.'
      : e instanceof DiscordAPIError && e.status === 403
        ? `not allowed: is DISCORD_CLIENT_ID this bot's Application ID${config.guildId ? ', and is the bot in that guild (invited with the applications.commands scope)' : ''}?`
        : (e as Error).message;
  process.stderr.write(`deploy-commands: could not register commands ${where}: ${why}\n`);
  process.exit(1);
}
