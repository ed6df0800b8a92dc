// /about — what the bot does, how good the model is (and how that was measured), privacy and limits.
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { FFMPEG_FREE_FORMATS } from '../core/audio/index.js';
import { EMOTIONS, EMOJI } from '../core/emotions.js';
import { CONFIDENCE_MEANING, fitEmbed, percent } from '../bot/embeds.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder()
  .setName('about')
  .setDescription('What this bot does, how accurate it is, and what happens to your audio.')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export function aboutEmbed(s: Pick<Services, 'config' | 'model' | 'ffmpegPath'>): EmbedBuilder {
  const { model: card, config: c } = s;
  const m = card.metrics;
  const mb = Math.round((c.maxAttachmentBytes / (1024 * 1024)) * 10) / 10;
  return new EmbedBuilder(
    fitEmbed({
      title: 'ser-bot — emotion in speech',
      description:
        'I listen to speech and say which emotion it most likely carries, with an honest confidence. ' +
        'Use `/analyze` on a recording or **Analyze emotion** on a voice message. I judge *how* something is said, not *what* is said.',
      color: 0x5865f2,
      fields: [
        { name: 'Emotions', value: EMOTIONS.map((e) => `${EMOJI[e]} ${e}`).join(' · ') },
        {
          name: 'How good is it?',
          value:
            `Accuracy **${percent(m.accuracy)}**, macro-F1 **${percent(m.macroF1)}** (chance: ${percent(1 / EMOTIONS.length)}), ` +
            `calibration error (ECE) **${percent(m.ece)}**.\nMeasured with ${card.split}, trained on ${card.trainedOn}. ` +
            'Acted studio speech is easier than real voice notes: expect less in practice.',
        },
        { name: 'Confidence', value: CONFIDENCE_MEANING },
        {
          name: 'Privacy',
          value:
            'Audio is processed in memory and never stored or logged: it is decoded, analyzed and dropped. Only the result is posted.' +
            // Honest about the one case where audio leaves this bot.
            (c.transcribe
              ? ` For a transcript (\`/analyze transcribe:true\`, and **Analyze emotion**), the decoded audio is also sent to the speech-to-text service at ${new URL(c.transcribe.endpoint).host}; the words are shown to whoever sees the result and are not logged.`
              : ''),
        },
        {
          name: 'Limits',
          value:
            `Files up to ${mb} MB and ${c.maxAudioSec} s of audio; one request every ${c.cooldownSec} s per person. ` +
            (s.ffmpegPath ? `Formats: voice messages, ${FFMPEG_FREE_FORMATS}, mp3, m4a, flac and more.` : `Formats: voice messages, ${FFMPEG_FREE_FORMATS}.`),
        },
      ],
      footer: { text: `Model ${card.version} · licence: ${card.licence}` },
    }),
  );
}

export async function execute(interaction: ChatInputCommandInteraction, services: Services): Promise<void> {
  await interaction.reply({ embeds: [aboutEmbed(services)], flags: MessageFlags.Ephemeral });
}
