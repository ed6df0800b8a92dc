// `tsx scripts/fuzz/worst-case.ts`: the costliest inputs of at most the attachment cap (8 MB) we know how to build,
// each decoded and analyzed (shipped model) in a fresh child: time and peak RSS, for the issue-11 note.
import { fileURLToPath } from 'node:url';
import { burstySignal, ffmpegSource, makeWav, whiteNoise } from '../../test/helpers/audio-fixtures.js';
import { readOggPacketsSimple, writeOgg } from '../../test/helpers/ogg-fixtures.js';
import { ProbeClient } from './probe-client.js';

const CAP = 8 * 1024 * 1024;
const MB = 1024 * 1024;
const MODEL = fileURLToPath(new URL('../../models/ser-model.bin', import.meta.url));

function oggOfPackets(packet: Uint8Array): Uint8Array {
  const head = readOggPacketsSimple(ffmpegSource('sine=f=440:d=1', ['-c:a', 'libopus'], 'ogg')).packets.slice(0, 2);
  const count = Math.floor((CAP - 2000) / (27 + 255 + 255 * packet.length)) * 255;
  return writeOgg([...head.map((data) => ({ data, granule: 0, flush: true })), ...Array.from({ length: count }, () => ({ data: packet, granule: -1 }))]);
}

const ONLY = process.argv[2];
const CASES: [string, () => Uint8Array][] = [
  // The most samples a WAV under the cap holds (8-bit mono) at the highest rate accepted: the resampler's worst.
  ['WAV 8-bit mono 384 kHz, 8 MB (21.8 s)', () => makeWav({ bits: 8, rate: 384_000, samples: whiteNoise(CAP / 384_000 - 0.01, 384_000, 0.5) })],
  // The longest audio allowed, as cheaply stored as possible: analysis's worst.
  // An amplitude-modulated tone passes the VAD as "speech" throughout, so every feature is computed.
  ['WAV 8-bit mono 16 kHz, 300 s of bursts (4.8 MB)', () => makeWav({ bits: 8, rate: 16_000, samples: burstySignal(299.9, 16_000, 220) })],
  ['WAV 8-bit mono 27.9 kHz, 300 s of bursts (8 MB)', () => makeWav({ bits: 8, rate: 27_900, samples: burstySignal(299.9, 27_900, 220) })],
  ['Ogg/Opus 256 kb/s stereo noise, 8 MB (~250 s)', () => ffmpegSource('anoisesrc=d=250:c=white:a=0.3', ['-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '256k'], 'ogg')],
  ['WebM/Opus 256 kb/s stereo noise, 8 MB (~250 s)', () => ffmpegSource('anoisesrc=d=250:c=white:a=0.3', ['-ac', '2', '-ar', '48000', '-c:a', 'libopus', '-b:a', '256k', '-f', 'webm'], 'webm')],
  ['Ogg of 8 MB of empty packets', () => oggOfPackets(new Uint8Array(0))],
  ['Ogg of 8 MB of 1-byte packets (20 ms each)', () => oggOfPackets(Uint8Array.of(0xf8))],
  ['Ogg of 8 MB of 2-byte packets (120 ms each: code 3, 6 × 20 ms)', () => oggOfPackets(Uint8Array.of(0xfb, 0x06))],
  ['Ogg of 8 MB of undecodable packets (valid TOC, junk)', () => oggOfPackets(Uint8Array.from({ length: 40 }, (_, i) => (i === 0 ? 0xf8 : (i * 37) & 0xff)))],
  ['MP3 via ffmpeg, 8 MB of 320 kb/s (~200 s)', () => ffmpegSource('anoisesrc=d=200:c=white:a=0.3', ['-c:a', 'libmp3lame', '-b:a', '320k'], 'mp3')],
];

const probe = new ProbeClient({ deadlineMs: 120_000, maxDurationSec: 300, ffmpegPath: 'ffmpeg', modelPath: MODEL });
for (const [name, make] of CASES.filter(([n]) => !ONLY || n.includes(ONLY))) {
  const bytes = make();
  if (bytes.length > CAP) throw new Error(`${name}: ${bytes.length} bytes is over the cap`);
  probe.close(); // a fresh child per case: its peak RSS is this case's
  // Warm the child (modules and model loaded) with a tiny file, so the peak measured is the case's.
  await probe.run(makeWav({ bits: 16, rate: 16_000, samples: whiteNoise(1.5, 16_000, 0.3) }));
  const r = await probe.run(bytes);
  process.stdout.write(`${name.padEnd(62)} ${(bytes.length / MB).toFixed(2)} MB  ${r.outcome.padEnd(13)} ${(r.ms / 1000).toFixed(2)} s  peak RSS ${(r.maxRss / MB).toFixed(0)} MB (bare probe ${(r.baselineRss / MB).toFixed(0)} MB)\n`);
}
probe.close();
