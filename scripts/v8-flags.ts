// V8 settings for a CLI run, imported first by analyze.ts so they hold before any analysis code is compiled.
// A CLI run is short, and most of its CPU beyond the analysis itself is V8's optimising compiler (TurboFan)
// compiling the analysis functions on its background threads, two or three times each (on-stack for a hot
// loop, then whole). Without inlining and loop peeling each of those compiles is much smaller, while the
// compiled loops, measured, are not slower: on 30 WAV files ~10 % less CPU in all (the background threads'
// share ~290 -> ~190 ms, the main thread's unchanged), on one 111-s file 720 -> 620 ms, and on 300 files the
// CPU per file after warm-up is unchanged. Neither pass changes any arithmetic, so the answers are the same.
// This process only: the bot and its workers keep V8's defaults. Only on the V8 this was measured on (Node 22's
// 12.4): another version may name its flags differently, and V8 prints an error for a flag it does not know.
import { setFlagsFromString } from 'node:v8';

if (process.versions.v8.startsWith('12.4.')) {
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString('--no-turbo-loop-peeling');
}
