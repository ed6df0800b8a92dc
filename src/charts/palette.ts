// Colours for pictures: the Okabe–Ito palette (told apart with the common colour-vision deficiencies), on a card that reads
// on Discord's dark (#313338) and light (#ffffff) backgrounds alike.
import type { EmotionLabel } from '../core/emotions.js';

/** Okabe & Ito (2008), "Color Universal Design"; sad and neutral differ in lightness as well as hue. */
export const EMOTION_FILL: Readonly<Record<EmotionLabel, string>> = {
  neutral: '#56B4E9', // sky blue
  happy: '#F0E442', // yellow
  sad: '#0072B2', // blue
  angry: '#D55E00', // vermillion
  fearful: '#CC79A7', // reddish purple
  disgust: '#009E73', // bluish green
  surprised: '#E69F00', // orange
};

/** "Not sure": grey, and hatched in lanes so it never reads as a colour of its own. */
export const UNCERTAIN_FILL = '#8E9297';

export const CARD = {
  /** A mid-dark card: a dark panel on the light theme, a slightly deeper one on the dark theme. */
  background: '#232428',
  border: '#4E5058',
  /** The empty part of a lane. */
  track: '#2F3136',
  text: '#F2F3F5',
  muted: '#B5BAC1',
  grid: '#3F4147',
} as const;

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** How strongly a block is drawn for a confidence: faint near the uncertain line, solid when sure. */
export function confidenceOpacity(confidence: number): number {
  const t = Math.min(1, Math.max(0, (confidence - 0.35) / (0.85 - 0.35)));
  return Math.round((0.45 + 0.55 * t) * 100) / 100;
}
