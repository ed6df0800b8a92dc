// The product's vocabulary: the 7 emotions, how RAVDESS labels map onto them, their emoji and colors.

export const EMOTIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;
export type EmotionLabel = (typeof EMOTIONS)[number];

export const EMOJI: Readonly<Record<EmotionLabel, string>> = {
  neutral: '😐',
  happy: '😄',
  sad: '😢',
  angry: '😠',
  fearful: '😨',
  disgust: '🤢',
  surprised: '😲',
};

/** One color per emotion (0xRRGGBB), for timelines and charts. */
export const EMOTION_COLOR: Readonly<Record<EmotionLabel, number>> = {
  neutral: 0x95a5a6,
  happy: 0xf1c40f,
  sad: 0x3498db,
  angry: 0xe74c3c,
  fearful: 0x9b59b6,
  disgust: 0x27ae60,
  surprised: 0xe67e22,
};

/**
 * Maps a source label onto the 7 product classes. Calm is merged into neutral: the two are barely
 * separable by ear, and the original system merged them too. Unknown labels give null.
 */
export function normalizeLabel(raw: string): EmotionLabel | null {
  const l = raw.trim().toLowerCase();
  if (l === 'calm') return 'neutral';
  if (l === 'disgusted') return 'disgust';
  if (l === 'fear') return 'fearful';
  if (l === 'surprise') return 'surprised';
  if (l === 'anger') return 'angry';
  if (l === 'happiness') return 'happy';
  if (l === 'sadness') return 'sad';
  return (EMOTIONS as readonly string[]).includes(l) ? (l as EmotionLabel) : null;
}

/** RAVDESS emotion field (3rd of `03-01-EE-II-SS-RR-AA`) → product label; 02 calm → neutral. */
export const RAVDESS_EMOTION: Readonly<Record<string, EmotionLabel>> = {
  '01': 'neutral',
  '02': 'neutral',
  '03': 'happy',
  '04': 'sad',
  '05': 'angry',
  '06': 'fearful',
  '07': 'disgust',
  '08': 'surprised',
};
