// /listen [minutes] — join your voice channel and post, live, the emotion in each speaker's voice; the Stop button ends it.
import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { drawChart, mayAttachFiles } from '../bot/charts.js';
import { errorEmbed } from '../bot/embeds.js';
import { sendError, storeOrNull } from '../bot/respond.js';
import type { Services } from '../bot/services.js';
import { listenContext } from '../bot/voice/registry.js';
import { guildOfStopButton, noticeEmbed, stopRow } from '../bot/voice/render.js';
import { batchTransfer } from '../bot/voice/packets.js';
import { ListenSession } from '../bot/voice/session.js';
import type { VoiceJobResult } from '../bot/worker.js';
import { outcomeLogFields } from '../transcribe/client.js';

export const data = new SlashCommandBuilder()
  .setName('listen')
  .setDescription('Join your voice channel and post the emotion in each speaker’s voice, live.')
  .setContexts(InteractionContextType.Guild)
  .addIntegerOption((o) => o.setName('minutes').setDescription('How long to listen (default: this server’s setting, 10 minutes unless changed)').setMinValue(1).setMaxValue(24 * 60))
  .addBooleanOption((o) => o.setName('transcribe').setDescription('Also show what each person said (speech-to-text; off by default)'));

const PRIVACY_CODE_WAIT_MS = 3_000;
const NEEDED_IN_TEXT = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.EmbedLinks;

async function refuse(i: ChatInputCommandInteraction, title: string, description: string): Promise<void> {
  await i.reply({ embeds: [errorEmbed(title, description)], flags: MessageFlags.Ephemeral });
}

export async function execute(i: ChatInputCommandInteraction, services: Services): Promise<void> {
  if (!i.inCachedGuild()) return refuse(i, 'Only in servers', '`/listen` works in a server’s text channel, next to a voice channel.');
  if (services.shuttingDown) return refuse(i, 'Restarting', 'The bot is restarting; try again in a minute.');
  const { listen } = services.config;
  const { store } = services;
  // Without the store nobody's opt-out can be checked: no session rather than one that may hear them.
  // …nor when it is too slow to answer before Discord's 3-s deadline.
  const settings = store.reachable ? await storeOrNull(store.guildSettings(i.guildId).catch(() => null)) : null;
  if (!settings) return refuse(i, 'Can’t listen right now', 'I can’t reach my database, so I can’t check who opted out. Try again in a minute.');
  const role = settings.listenRoleId;
  if (role && !i.member.roles.cache.has(role) && !i.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    return refuse(i, 'Not allowed here', `In this server only members with <@&${role}> may start \`/listen\` (set by an admin with \`/settings\`).`);
  }
  const ctx = listenContext(services, i.client);
  const current = ctx.sessions.get(i.guildId);
  if (current) {
    return refuse(i, 'Already listening', `I’m already listening in <#${current.voiceChannelId}>. Use \`/stop\` (or the Stop button on its notice) first.`);
  }
  const wait = services.listenCooldowns.remainingMs(i.user.id);
  if (wait > 0) return refuse(i, 'Slow down a little', `You can start \`/listen\` again in ${Math.ceil(wait / 1000)} s.`);
  const voice = i.member.voice.channel;
  if (!voice) return refuse(i, 'Join a voice channel first', 'Join the voice channel you want me to listen in, then use `/listen` again.');
  if (!voice.joinable) return refuse(i, 'I can’t join that channel', `I need **View Channel** and **Connect** in <#${voice.id}>, and it must not be full.`);
  const text = i.channel;
  // In a thread the bot posts with Send Messages in Threads, and not at all once it is archived.
  const send = text?.isThread() ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  if (!text?.isSendable() || !i.appPermissions.has(NEEDED_IN_TEXT | send) || (text.isThread() && text.archived)) {
    const what = text?.isThread() ? '**Send Messages in Threads** and **Embed Links** in this thread, and it must not be archived,' : '**Send Messages** and **Embed Links** in this channel';
    return refuse(i, 'I can’t post here', `I need ${what} to post live results (they outlive this command).`);
  }
  // The people in the call must be able to read the notice (what is happening, and /optout): not from a channel that
  // is hidden from them. Checked for @everyone: a public voice channel next to a private text channel is refused.
  const everyone = i.guild.roles.everyone;
  const textVisible = !(text.isThread() && text.type === ChannelType.PrivateThread) && 'permissionsFor' in text && !!text.permissionsFor(everyone)?.has(PermissionFlagsBits.ViewChannel);
  if (voice.permissionsFor(everyone).has(PermissionFlagsBits.ViewChannel) && !textVisible) {
    return refuse(i, 'Not from a hidden channel', `Everyone in <#${voice.id}> should be able to read what I post (and how to opt out), but this channel is hidden from them. Use \`/listen\` in a channel they can read.`);
  }
  const asked = i.options.getInteger('minutes');
  // A server may shorten the bot's limits, never lengthen them.
  const maxMinutes = Math.min(settings.maxMinutes ?? listen.maxMinutes, listen.maxMinutes);
  const minutes = Math.min(asked ?? settings.defaultMinutes ?? listen.defaultMinutes, maxMinutes);
  const wantsWords = i.options.getBoolean('transcribe') === true;
  const transcriber = wantsWords && settings.transcribeAllowed ? services.transcriber : null;
  const language = settings.language ?? undefined;
  const stopped = new AbortController();

  const session = new ListenSession({
    guild: i.guild,
    voiceChannelId: voice.id,
    textChannel: text,
    config: listen,
    durationMs: minutes * 60_000,
    log: services.log,
    optOuts: store,
    // The worker decodes the utterance's Opus packets too (the main thread only receives them).
    analyze: (batch, o) =>
      services.pool.run(
        { kind: 'opus', batch, minUtteranceSec: o.minUtteranceSec, wav: o.wav, maxDurationSec: 60, minSpeechSec: Math.min(0.5, listen.minUtteranceSec) },
        batchTransfer(batch),
      ) as Promise<VoiceJobResult>,
    transcribe: transcriber
      ? (wav) => {
          return transcriber.transcribe(wav, { signal: stopped.signal, language }).then((o) => {
            // Only sizes and timings are logged, never the words.
            services.log.debug({ guildId: i.guildId, transcribe: outcomeLogFields(o) }, 'utterance transcript');
            return o.ok ? o.text : null;
          });
        }
      : undefined,
    // The summary chart needs Attach Files; without it the summary is text alone.
    drawChart: mayAttachFiles(i.appPermissions) ? (chart) => drawChart(services, { chart: 'lanes', data: chart }, { guildId: i.guildId }) : undefined,
    onVoiceErrors: (kind, n) => services.metrics.voiceError(kind, n),
    onEnded: () => {
      stopped.abort();
      if (ctx.sessions.get(i.guildId) === session) ctx.sessions.delete(i.guildId);
      // The token lives 15 minutes: after that the button simply stays (a click says it has ended).
      void i.editReply({ components: [stopRow(i.guildId, true)] }).catch(() => undefined);
    },
  });
  // The guild's slot is taken before the first await: two /listen at once must not both pass the check above.
  ctx.sessions.set(i.guildId, session);
  services.listenCooldowns.hit(i.user.id);
  const leaveSlot = (): void => {
    if (ctx.sessions.get(i.guildId) === session) ctx.sessions.delete(i.guildId);
  };
  try {
    await i.deferReply();
  } catch (err) {
    leaveSlot();
    throw err;
  }
  try {
    await session.start();
  } catch (err) {
    leaveSlot();
    if (session.ended) {
      // /stop (or the shutdown) came while joining: it has answered, and the session's summary says why.
      await i.editReply({ content: 'Stopped before I had joined the voice channel.' });
      return;
    }
    services.log.warn({ err, guildId: i.guildId }, 'could not join the voice channel');
    services.listenCooldowns.refund(i.user.id); // not their doing: they may try again at once
    // Told to the person who asked, not the channel (the public placeholder goes): nothing was listened to.
    await sendError(i, { code: 'VOICE_JOIN_FAILED', title: 'Could not connect to voice', description: `I could not connect to <#${voice.id}> (Discord’s voice server did not answer in time). Try again in a minute.` }, services.log);
    return;
  }
  const capped = asked !== null && asked > maxMinutes ? ` (the longest allowed here is ${maxMinutes} minutes)` : '';
  // DAVE's MLS handshake runs right after the connection is ready: give it a moment so the notice can show the code.
  const privacyCode = await session.waitForPrivacyCode(PRIVACY_CODE_WAIT_MS);
  await i.editReply({
    content: capped ? `Listening for ${minutes} minutes${capped}.` : undefined,
    embeds: [noticeEmbed({ voiceChannelId: voice.id, minutes, minUtteranceSec: listen.minUtteranceSec, transcribe: transcriber ? 'on' : !wantsWords ? undefined : settings.transcribeAllowed ? 'unavailable' : 'off-here', privacyCode })],
    components: [stopRow(i.guildId)],
  });
  services.log.info({ guildId: i.guildId, voiceChannelId: voice.id, minutes, by: i.user.id }, 'listen session started');
}

/** The Stop button on the notice: anyone may press it; ending a recording should never be harder than starting one. */
export async function onButton(i: ButtonInteraction, services: Services): Promise<void> {
  const guildId = guildOfStopButton(i.customId);
  const session = guildId ? listenContext(services, i.client).sessions.get(guildId) : undefined;
  if (!guildId || !session) {
    await i.reply({ content: 'That session has already ended.', flags: MessageFlags.Ephemeral });
    return;
  }
  await i.update({ components: [stopRow(guildId, true)] });
  await session.stop('stopped');
}
