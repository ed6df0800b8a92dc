// Chart data for tests: hand-placed blocks, and seeded random sessions (many speakers, an hour long).
import { shareOf, type Lane, type LaneBlock } from '../../src/charts/lanes.js';
import { EMOTIONS } from '../../src/core/emotions.js';

export function lane(name: string, blocks: LaneBlock[]): Lane {
  return { name, blocks, share: shareOf(blocks) };
}

export function block(start: number, end: number, emotion: LaneBlock['emotion'], confidence: number): LaneBlock {
  return { start, end, emotion, confidence, uncertain: confidence < 0.35 };
}

/** `speakers` people taking turns for `seconds`: utterances of 1–12 s with pauses, emotions and confidences drawn from `seed`. */
export function randomSession(speakers: number, seconds: number, seed = 1): Lane[] {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: speakers }, (_, i) => {
    const blocks: LaneBlock[] = [];
    for (let t = rnd() * 30; t < seconds - 1; t += 2 + rnd() * 10 * speakers) {
      const end = Math.min(seconds, t + 1 + rnd() * 11);
      blocks.push(block(t, end, EMOTIONS[Math.floor(rnd() * EMOTIONS.length)]!, 0.2 + rnd() * 0.75));
      t = end;
    }
    return lane(`speaker ${i + 1}`, blocks);
  });
}
