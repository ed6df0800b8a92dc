// The /listen summary as a picture: the session's lanes for the chart, and posting it with the text summary
// (text only when there is no chart or the upload is refused, e.g. no Attach Files).
import type { APIEmbed, Message, MessageCreateOptions } from 'discord.js';
import type { Logger } from 'pino';
import type { LaneChart } from '../../charts/lanes.js';
import { pngFile } from '../charts.js';
import type { SummaryInput } from './render.js';

export const SUMMARY_CHART_NAME = 'session-summary.png';

function span(ms: number): string {
  const min = Math.round(ms / 60_000);
  return min < 1 ? `${Math.round(ms / 1000)} s` : min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** The chart of a session, or null when nobody was heard (a picture of nothing says less than the text). */
export function sessionChart(o: Pick<SummaryInput, 'speakers' | 'durationMs'>): LaneChart | null {
  const heard = o.speakers.filter((s) => s.utterances > 0);
  if (!heard.length) return null;
  return {
    title: 'Session summary',
    subtitle: `${span(o.durationMs)} · ${heard.length} speaker${heard.length === 1 ? '' : 's'} · shares are of speech time`,
    durationSec: o.durationMs / 1000,
    lanes: heard.map((s) => ({ name: s.name, blocks: s.blocks, share: s.share })),
  };
}

/** Posts the summary with its chart; if the upload is refused, posts it again as text alone. Throws only when that fails too. */
export async function sendSummary(target: { send(o: MessageCreateOptions): Promise<Message> }, embed: APIEmbed, png: Buffer | null, log: Logger): Promise<void> {
  if (png) {
    try {
      await target.send({ embeds: [embed], files: [pngFile(png, SUMMARY_CHART_NAME, 'Each speaker’s emotion over the session, and their share of speech time')] });
      return;
    } catch (err) {
      log.warn({ err }, 'could not post the summary chart (missing Attach Files?); posting the text summary alone');
    }
  }
  await target.send({ embeds: [embed] });
}
