// The model report as pictures: confusion matrix, reliability diagram and accuracy bars (per condition, per corpus),
// in the card style of the bot's other charts. Training writes them as SVG and PNG; /about shows the reliability diagram.
import { EMOTIONS } from '../core/emotions.js';
import type { ReliabilityBin } from '../core/model/metrics.js';
import { fitText, xml } from './font.js';
import { CARD, hexToRgb } from './palette.js';

const RAW = '#E69F00'; // Okabe–Ito orange
const CALIBRATED = '#56B4E9'; // Okabe–Ito sky blue
const HEAT = '#56B4E9';

function card(w: number, h: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans">
<rect x="0.5" y="0.5" width="${w - 1}" height="${h - 1}" rx="10" fill="${CARD.background}" stroke="${CARD.border}"/>
${body}
</svg>
`;
}

function mix(a: string, b: string, t: number): string {
  const [x, y] = [hexToRgb(a), hexToRgb(b)];
  return `rgb(${x.map((v, i) => Math.round(v + (y[i]! - v) * t)).join(',')})`;
}

/** Rows: true emotion; columns: predicted; each cell shaded by its share of the row. */
export function confusionSvg(confusion: number[][]): string {
  const cell = 56, left = 112, top = 84, k = EMOTIONS.length;
  const w = left + k * cell + 24, h = top + k * cell + 48;
  const parts: string[] = [];
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, p) => {
      const share = v / total;
      parts.push(`<rect x="${left + p * cell}" y="${top + t * cell}" width="${cell}" height="${cell}" fill="${mix(CARD.track, HEAT, share)}" stroke="${CARD.background}" stroke-width="2"/>`);
      parts.push(`<text x="${left + p * cell + cell / 2}" y="${top + t * cell + cell / 2 + 5}" text-anchor="middle" font-size="14" fill="${share > 0.55 ? '#111214' : CARD.text}">${v}</text>`);
    });
  });
  EMOTIONS.forEach((e, i) => {
    parts.push(`<text x="${left - 8}" y="${top + i * cell + cell / 2 + 5}" text-anchor="end" font-size="13" fill="${CARD.text}">${e}</text>`);
    parts.push(`<text x="${left + i * cell + cell / 2}" y="${top - 8}" text-anchor="middle" font-size="11" fill="${CARD.text}">${e}</text>`);
  });
  return card(
    w,
    h,
    `<text x="16" y="30" font-size="17" fill="${CARD.text}">Confusion matrix (out-of-fold)</text>
<text x="16" y="50" font-size="12" fill="${CARD.muted}">rows: true emotion · columns: predicted · shade: share of the row</text>
${parts.join('\n')}
<text x="${left + (k * cell) / 2}" y="${h - 16}" text-anchor="middle" font-size="12" fill="${CARD.muted}">predicted</text>`,
  );
}

/** Confidence shown vs. how often it was right, before and after calibration; the diagonal is perfect honesty. */
export function reliabilitySvg(raw: readonly ReliabilityBin[], calibrated: readonly ReliabilityBin[]): string {
  const size = 340, left = 64, top = 76;
  const w = left + size + 150, h = top + size + 56;
  const X = (v: number) => left + v * size;
  const Y = (v: number) => top + (1 - v) * size;
  const used = (bins: readonly ReliabilityBin[]) => bins.filter((b) => b.count > 0);
  const series = (bins: readonly ReliabilityBin[], color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${used(bins).map((b) => `${X(b.meanConfidence).toFixed(1)},${Y(b.accuracy).toFixed(1)}`).join(' ')}"/>` +
    used(bins).map((b) => `<circle cx="${X(b.meanConfidence).toFixed(1)}" cy="${Y(b.accuracy).toFixed(1)}" r="${(3 + Math.sqrt(b.count) / 2.5).toFixed(1)}" fill="${color}" fill-opacity="0.75"/>`).join('');
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (t) =>
        `<line x1="${X(t)}" y1="${Y(0)}" x2="${X(t)}" y2="${Y(1)}" stroke="${CARD.grid}"/><line x1="${X(0)}" y1="${Y(t)}" x2="${X(1)}" y2="${Y(t)}" stroke="${CARD.grid}"/>` +
        `<text x="${X(t)}" y="${Y(0) + 18}" text-anchor="middle" font-size="12" fill="${CARD.muted}">${t * 100} %</text><text x="${X(0) - 8}" y="${Y(t) + 4}" text-anchor="end" font-size="12" fill="${CARD.muted}">${t * 100} %</text>`,
    )
    .join('');
  const lx = left + size + 20;
  return card(
    w,
    h,
    `<text x="16" y="30" font-size="17" fill="${CARD.text}">Is the confidence honest?</text>
<text x="16" y="50" font-size="12" fill="${CARD.muted}">dots: answers given at a confidence · height: how often right · size: how many</text>
${ticks}
<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="${CARD.muted}" stroke-dasharray="5 5"/>
${series(raw, RAW)}
${series(calibrated, CALIBRATED)}
<rect x="${lx}" y="${top + 10}" width="14" height="14" fill="${CALIBRATED}"/><text x="${lx + 20}" y="${top + 22}" font-size="13" fill="${CARD.text}">calibrated</text>
<text x="${lx + 20}" y="${top + 38}" font-size="11" fill="${CARD.muted}">(what the bot says)</text>
<rect x="${lx}" y="${top + 52}" width="14" height="14" fill="${RAW}"/><text x="${lx + 20}" y="${top + 64}" font-size="13" fill="${CARD.text}">raw model</text>
<line x1="${lx}" y1="${top + 92}" x2="${lx + 14}" y2="${top + 92}" stroke="${CARD.muted}" stroke-dasharray="4 3"/><text x="${lx + 20}" y="${top + 96}" font-size="13" fill="${CARD.text}">perfectly</text>
<text x="${lx + 20}" y="${top + 112}" font-size="13" fill="${CARD.text}">honest</text>
<text x="${left + size / 2}" y="${h - 14}" text-anchor="middle" font-size="12" fill="${CARD.muted}">confidence shown</text>
<text x="18" y="${top + size / 2}" text-anchor="middle" font-size="12" fill="${CARD.muted}" transform="rotate(-90 18 ${top + size / 2})">right this often</text>`,
  );
}

export interface AccuracyRow {
  label: string;
  accuracy: number;
  /** The same clips' clean accuracy, drawn as a tick (for conditions). */
  reference?: number;
}

/** Horizontal accuracy bars, e.g. per corpus or per recording condition; `chance` draws a dashed line. */
export function accuracyBarsSvg(title: string, rows: readonly AccuracyRow[], o: { chance?: number; note?: string } = {}): string {
  const left = 170, barW = 320, rowH = 30, top = o.note ? 72 : 56;
  const w = left + barW + 80, h = top + rows.length * rowH + 40;
  const X = (v: number) => left + Math.max(0, Math.min(1, v)) * barW;
  const parts = rows.map((r, i) => {
    const y = top + i * rowH;
    return (
      `<text x="${left - 10}" y="${y + 17}" text-anchor="end" font-size="13" fill="${CARD.text}">${xml(fitText(r.label, 13, left - 26))}</text>` +
      `<rect x="${left}" y="${y + 4}" width="${barW}" height="${rowH - 10}" fill="${CARD.track}"/>` +
      `<rect x="${left}" y="${y + 4}" width="${(X(r.accuracy) - left).toFixed(1)}" height="${rowH - 10}" fill="${CALIBRATED}"/>` +
      (r.reference !== undefined ? `<line x1="${X(r.reference).toFixed(1)}" y1="${y + 1}" x2="${X(r.reference).toFixed(1)}" y2="${y + rowH - 3}" stroke="${CARD.text}" stroke-width="2"/>` : '') +
      `<text x="${X(1) + 8}" y="${y + 17}" font-size="13" fill="${CARD.text}">${(r.accuracy * 100).toFixed(1)} %</text>`
    );
  });
  const chance = o.chance !== undefined ? `<line x1="${X(o.chance)}" y1="${top}" x2="${X(o.chance)}" y2="${top + rows.length * rowH}" stroke="${CARD.muted}" stroke-dasharray="4 4"/><text x="${X(o.chance)}" y="${top + rows.length * rowH + 16}" text-anchor="middle" font-size="11" fill="${CARD.muted}">chance</text>` : '';
  return card(
    w,
    h,
    `<text x="16" y="30" font-size="17" fill="${CARD.text}">${xml(title)}</text>
${o.note ? `<text x="16" y="50" font-size="12" fill="${CARD.muted}">${xml(o.note)}</text>` : ''}
${parts.join('\n')}
${chance}`,
  );
}
