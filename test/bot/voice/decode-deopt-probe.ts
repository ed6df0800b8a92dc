// Child process of deopt.test.ts ("/listen decoding"): what a pool worker does with /listen utterances, so that
// V8's --trace-deopt output (stdout) shows every deoptimisation on that path. Real speech (RAVDESS, Opus-encoded
// as a Discord client sends it), four speakers whose RTP counters start anywhere on their circles (timestamps
// past 2^30 are heap numbers, below it small integers), every piece structured-cloned as postMessage does.
import { PacketCollector, decodeBatch } from '../../../src/bot/voice/packets.js';
import { createDecoder } from '../../../src/bot/voice/utterance.js';
import { ravdessClips } from '../../emulator/voice-note.js';
import { opusFrames } from '../../voice/opus-speech.js';

const pieces = Number(process.argv[2] ?? 60);
const clips = await Promise.all(ravdessClips({ actor: 5 }).filter((_, i) => i % 8 === 0).slice(0, 6).map((c) => opusFrames([c])));
let seed = 7;
const random32 = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
const speakers = Array.from({ length: 4 }, () => ({ packets: new PacketCollector(), seq: random32() & 0xffff, ts: random32() }));
for (let i = 0; i < pieces; i++) {
  const s = speakers[i % speakers.length]!;
  for (const payload of clips[i % clips.length]!) {
    s.packets.push({ payload, sequence: s.seq, timestamp: s.ts });
    s.seq = (s.seq + 1) & 0xffff;
    s.ts = (s.ts + 960) >>> 0;
  }
  s.ts = (s.ts + 48_000 * (1 + (i % 3))) >>> 0; // the pause before their next utterance
  decodeBatch(structuredClone(s.packets.take(i % 5 === 4)), createDecoder()); // every fifth a 15-s cut (primed next piece)
}
process.stderr.write(`probe: decoded ${pieces} pieces\n`);
