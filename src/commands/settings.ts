// /settings — a server's choices for /listen (who may start it, transcripts, minutes, language); admins only.
import {
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { errorEmbed } from '../bot/embeds.js';
import { afterStore, answerPrivately } from '../bot/respond.js';
import type { Services } from '../bot/services.js';
import type { GuildSettings } from '../bot/store/store.js';

const MAX_MINUTES = 24 * 60;

export const data = new SlashCommandBuilder()
  .setName('settings')
  .setDescription('This server’s /listen settings (admins). Without options: show them.')
  .setContexts(InteractionContextType.Guild)
  // Hidden from members without Manage Server; the handler checks again (admins can re-grant the command to anyone).
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addRoleOption((o) => o.setName('listen_role').setDescription('Only members with this role may start /listen'))
  .addBooleanOption((o) => o.setName('listen_everyone').setDescription('True: everyone may start /listen again (clears the role)'))
  .addBooleanOption((o) => o.setName('transcription').setDescription('Allow /listen transcribe:true (speech sent to the speech-to-text service)'))
  .addIntegerOption((o) => o.setName('default_minutes').setDescription('Session length when /listen is given none').setMinValue(1).setMaxValue(MAX_MINUTES))
  .addIntegerOption((o) => o.setName('max_minutes').setDescription('The longest session anyone may ask for here').setMinValue(1).setMaxValue(MAX_MINUTES))
  .addStringOption((o) => o.setName('language').setDescription('Transcript language code (en, de, fr…), or auto to detect it').setMinLength(2).setMaxLength(4));

/** The patch the options ask for, or a one-line reason why not. */
function patchFrom(i: ChatInputCommandInteraction): Partial<GuildSettings> | string {
  const patch: Partial<GuildSettings> = {};
  const role = i.options.getRole('listen_role');
  const everyone = i.options.getBoolean('listen_everyone');
  if (role && everyone) return 'Choose either a `listen_role` or `listen_everyone`, not both.';
  if (role) patch.listenRoleId = role.id === i.guildId ? null : role.id; // @everyone is "everyone"
  if (everyone) patch.listenRoleId = null;
  const transcription = i.options.getBoolean('transcription');
  if (transcription !== null) patch.transcribeAllowed = transcription;
  const def = i.options.getInteger('default_minutes');
  if (def !== null) patch.defaultMinutes = def;
  const max = i.options.getInteger('max_minutes');
  if (max !== null) patch.maxMinutes = max;
  const lang = i.options.getString('language')?.trim().toLowerCase();
  if (lang !== undefined) {
    if (lang === 'auto') patch.language = null;
    else if (/^[a-z]{2,3}$/.test(lang)) patch.language = lang;
    else return `\`${lang.slice(0, 8)}\` is not a language code: use a code such as en, de or fr, or auto.`;
  }
  return patch;
}

function describe(s: GuildSettings, services: Services): EmbedBuilder {
  const { listen, transcribe } = services.config;
  const max = Math.min(s.maxMinutes ?? listen.maxMinutes, listen.maxMinutes);
  const def = Math.min(s.defaultMinutes ?? listen.defaultMinutes, max);
  const transcription = !s.transcribeAllowed ? 'off in this server' : services.transcriber ? 'allowed (`/listen transcribe:true`)' : 'allowed, but speech-to-text is not set up on this bot';
  const language = s.language ?? transcribe?.language ?? 'detected automatically';
  return new EmbedBuilder({
    title: '⚙️ /listen settings for this server',
    color: 0x5865f2,
    fields: [
      { name: 'Who may start /listen', value: s.listenRoleId ? `members with <@&${s.listenRoleId}> (and anyone with Manage Server)` : 'everyone' },
      { name: 'Transcription', value: transcription },
      { name: 'Session length', value: `${def} minutes by default, at most ${max}${max < (s.maxMinutes ?? 0) ? ` (this bot allows no more than ${listen.maxMinutes})` : ''}` },
      { name: 'Transcript language', value: language },
    ],
    footer: { text: 'Change with /settings and an option; opt-outs are per person (/optout), in every server.' },
  });
}

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  if (!i.inCachedGuild()) {
    await i.reply({ embeds: [errorEmbed('Only in servers', '`/settings` changes a server’s `/listen` settings; use it in a server.')], flags: MessageFlags.Ephemeral });
    return;
  }
  if (!i.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await i.reply({ embeds: [errorEmbed('Admins only', 'Only members with **Manage Server** may see or change `/settings`.')], flags: MessageFlags.Ephemeral });
    return;
  }
  const patch = patchFrom(i);
  if (typeof patch === 'string') {
    await i.reply({ embeds: [errorEmbed('Not saved', patch)], flags: MessageFlags.Ephemeral });
    return;
  }
  const { store } = services;
  const current = await afterStore(i, store.guildSettings(i.guildId));
  const next = { ...current, ...patch };
  const max = next.maxMinutes ?? services.config.listen.maxMinutes;
  if (next.defaultMinutes !== null && next.defaultMinutes > max) {
    await answerPrivately(i, { embeds: [errorEmbed('Not saved', `The default session (${next.defaultMinutes} minutes) cannot be longer than the maximum (${max} minutes).`)] });
    return;
  }
  const changed = Object.keys(patch).length > 0;
  const saved = changed ? await afterStore(i, store.updateGuildSettings(i.guildId, patch)) : current;
  if (changed) services.log.info({ guildId: i.guildId, by: i.user.id, changed: Object.keys(patch) }, 'server settings changed');
  await answerPrivately(i, { content: changed ? '✅ Saved. New `/listen` sessions use these settings.' : undefined, embeds: [describe(saved, services)] });
}
