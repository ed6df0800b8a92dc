// How the level moves over the utterance, relative to its own loud frames: its spread, how much is near full voice, pauses.
import { Reused } from '../dsp/reuse.js';
import { FRAME_SECONDS } from './frames.js';
import { percentileSorted } from './stats.js';
import { finite, meanOf, sortedFirst, stdOf } from './value-stats.js';

/** Speech frames within this of the loud level count as near full voice. */
const NEAR_LOUD_DB = 6;
/** Non-speech stretches inside the speech of at least this many frames (0.1 s) are pauses. */
const MIN_PAUSE = 10;

const LISTS = 4;
const reused = new Reused((n) => new Float64Array(n), LISTS * 4096);

/**
 * levelDb: the frame level; loud: its loud level (temporal.ts loudLevelDb); speech: the speech-frame mask;
 * f0St: F0 per frame (0 unvoiced). In the order of spec.ts LEVEL_SHAPE: p25, p50 and p75 of the speech frames'
 * level below loud, the share of them within NEAR_LOUD_DB of it, the spread of the voiced frames' level, and the
 * mean pause (s) and pauses per second between the first and last speech frame.
 */
export function levelShape(levelDb: Float32Array, loud: number, speech: Uint8Array, f0St: Float32Array): number[] {
  const frames = levelDb.length;
  const lists = reused.take(LISTS * frames);
  const rel = lists.subarray(0, frames);
  const voicedLevel = lists.subarray(frames, 2 * frames);
  const pauses = lists.subarray(2 * frames, 3 * frames);
  let n = 0;
  let nv = 0;
  let nearLoud = 0;
  let first = -1;
  let last = -1;
  for (let t = 0; t < frames; t++) {
    if (!speech[t]) continue;
    const r = levelDb[t] - loud;
    rel[n++] = r;
    if (r > -NEAR_LOUD_DB) nearLoud++;
    if (f0St[t] !== 0) voicedLevel[nv++] = levelDb[t];
    if (first < 0) first = t;
    last = t;
  }
  let np = 0;
  let run = 0;
  for (let t = Math.max(first, 0); t <= last; t++) {
    if (!speech[t]) run++;
    else { if (run >= MIN_PAUSE) pauses[np++] = run * FRAME_SECONDS; run = 0; }
  }
  const s = sortedFirst(rel, n, lists.subarray(3 * frames));
  const seconds = last > first ? (last - first) * FRAME_SECONDS : 0;
  return finite([
    percentileSorted(s, n, 0.25), percentileSorted(s, n, 0.5), percentileSorted(s, n, 0.75),
    n ? nearLoud / n : 0, stdOf(voicedLevel, nv), meanOf(pauses, np), seconds > 0 ? np / seconds : 0,
  ]);
}
