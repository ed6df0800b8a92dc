// /about — what the bot does, how good the model is (and how that was measured), privacy and limits.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { ReliabilityBin } from '../core/model/metrics.js';
import { drawChart, mayAttachFiles, pngFile } from '../bot/charts.js';
import { FFMPEG_FREE_FORMATS } from '../core/audio/index.js';
import { EMOTIONS, EMOJI } from '../core/emotions.js';
import { CONFIDENCE_MEANING, fitEmbed, percent } from '../bot/embeds.js';
import type { Services } from '../bot/services.js';

export const data = new SlashCommandBuilder()
  .setName('about')
  .setDescription('What this bot does, how accurate it is, and what happens to your audio.')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export const RELIABILITY_NAME = 'reliability.png';
// /about must answer within Discord's 3 s: a diagram that is not ready by then is left out (and tried next time).
const DIAGRAM_TIMEOUT_MS = 2_000;

/** The training report beside the model (`<model dir>/report/metrics.json`), if it belongs to this model. */
async function reportReliability(s: Services): Promise<{ raw: ReliabilityBin[]; calibrated: ReliabilityBin[] } | null> {
  const path = join(dirname(resolve(s.config.modelPath)), 'report', 'metrics.json');
  try {
    const r = JSON.parse(await readFile(path, 'utf8'));
    if (r?.file?.card?.version !== s.model.version) {
      s.log.info({ path, reportModel: r?.file?.card?.version, model: s.model.version }, 'the training report belongs to another model: /about shows no reliability diagram');
      return null;
    }
    return { raw: r.raw.reliability, calibrated: r.calibrated.reliability };
  } catch (err) {
    s.log.info({ err, path }, 'no training report beside the model: /about shows no reliability diagram');
    return null;
  }
}

// Drawn once per bot (on the pool) and kept: one ~100 kB PNG. No report for this model is kept too (read once);
// a draw that failed or was late is not, so the next /about tries again.
const diagrams = new WeakMap<Services, Promise<Buffer | null>>();

function reliabilityDiagram(s: Services): Promise<Buffer | null> {
  let p = diagrams.get(s);
  if (!p) {
    p = reportReliability(s).then(async (bins) => {
      if (!bins) return null;
      const png = await drawChart(s, { chart: 'reliability', ...bins }, { command: 'about' }, DIAGRAM_TIMEOUT_MS);
      if (!png) diagrams.delete(s);
      return png;
    });
    diagrams.set(s, p);
  }
  return p;
}

export function aboutEmbed(s: Pick<Services, 'config' | 'model' | 'ffmpegPath'>, o: { diagram?: boolean } = {}): EmbedBuilder {
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
        { name: 'Confidence', value: o.diagram ? `${CONFIDENCE_MEANING} The diagram below shows it: dots on the dashed line are perfectly honest.` : CONFIDENCE_MEANING },
        {
          name: 'Privacy',
          value:
            'Audio is processed in memory and never stored or logged: it is decoded, analyzed and dropped. Only the result is posted. ' +
            'In voice channels (`/listen`) the audio is end-to-end encrypted (Discord’s DAVE) all the way to the bot, which takes part in the call’s encryption and decrypts it in memory only.' +
            // Honest about the one case where audio leaves this bot.
            (c.transcribe
              ? ` For a transcript (\`/analyze transcribe:true\`, **Analyze emotion** and \`/listen transcribe:true\`), the decoded audio is also sent to the speech-to-text service at ${new URL(c.transcribe.endpoint).host}; the words are shown to whoever sees the result and are not logged.`
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
      ...(o.diagram ? { image: { url: `attachment://${RELIABILITY_NAME}` } } : {}),
    }),
  );
}

export async function execute(interaction: ChatInputCommandInteraction, services: Services): Promise<void> {
  const png = mayAttachFiles(interaction.appPermissions) ? await reliabilityDiagram(services) : null;
  const files = png ? [pngFile(png, RELIABILITY_NAME, 'Reliability diagram: confidence shown against how often it was right')] : [];
  await interaction.reply({ embeds: [aboutEmbed(services, { diagram: !!png })], files, flags: MessageFlags.Ephemeral });
}
