// V8 settings for a CLI run, imported first by analyze.ts so they hold before any analysis code is compiled.
// A CLI run is short, and most of its CPU beyond the analysis itself is V8's optimising compiler (TurboFan)
// compiling the analysis functions on its background threads, two or three times each (on-stack for a hot
// loop, then whole). Neither pass turned off here changes any arithmetic, so the answers are the same.
// This process only: the bot and its workers keep V8's defaults. Only on the V8 this was measured on (Node 22's
// 12.4): another version may name its flags differently, and V8 prints an error for a flag it does not know.
// The heap is left at V8's defaults: it is already the cheapest here. A 30-file run makes ~28 scavenges and one
// mark-compact, ~20-27 ms of the main thread's ~200. A larger young generation (on the command line, since semi-space
// sizes cannot change once the heap exists) made fewer scavenges but more CPU in alternated pairs (base/variant:
// --min-semi-space-size=2 0.976, 4 0.968, 16 0.938), as did --single-threaded-gc (0.97), --no-parallel-scavenge
// (0.985) and --initial-old-space-size=32 (0.94); the mark-compact comes early in any short run (V8 shrinks its
// first old-generation limit after each scavenge) and stayed with every initial-size flag tried.
import { setFlagsFromString } from 'node:v8';

const MEASURED_V8 = process.versions.v8.startsWith('12.4.');

// Without inlining each compile is smaller and the compiled code was not slower (medians of interleaved runs at
// load ~12-20): 30 WAV files ~10 % less CPU in all, 300 files ~5 % less, the main thread's share unchanged.
if (MEASURED_V8) setFlagsFromString('--no-turbo-inlining');

/** Runs of at most this many files also compile without loop peeling. */
export const SHORT_RUN_FILES = 100;

/**
 * Without loop peeling the compiles are smaller still, but the compiled loops are a little slower: on 30 files
 * it saved another ~8 % (16 runs: 855 -> 770 -> 700 ms), on 300 files the main thread took ~5 % more and the run
 * came out even. So only for short runs; called before the first file is analyzed.
 */
export function shortRunFlags(): void {
  if (MEASURED_V8) setFlagsFromString('--no-turbo-loop-peeling');
}
