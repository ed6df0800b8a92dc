// `npm run bench -- --stages [--baseline DIR]`: CPU per audio-second of each spectral stage and of the
// 48 kHz resampler, on the same real clips. With --baseline (another checkout's root, e.g. one made by
// `git archive main src package.json | tar -x -C DIR`), the same stages of that checkout run interleaved
// with this one's in one process, so their ratio is measured under the same load.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pcm } from '../../src/core/pcm.js';

/** The stage functions a checkout exports (their signatures have not changed since issue 15's start). */
interface Kernels {
  spectrogram: typeof import('../../src/core/features/spectrogram.js').spectrogram;
  logMel: typeof import('../../src/core/features/mel.js').logMel;
  melFlux: typeof import('../../src/core/features/mel.js').melFlux;
  mfcc: typeof import('../../src/core/features/mfcc.js').mfcc;
  deltas: typeof import('../../src/core/features/deltas.js').deltas;
  spectralShape: typeof import('../../src/core/features/spectral.js').spectralShape;
  chromagram: typeof import('../../src/core/features/chroma.js').chromagram;
  tonnetz: typeof import('../../src/core/features/tonnetz.js').tonnetz;
  spectralContrast: typeof import('../../src/core/features/contrast.js').spectralContrast;
  harmonicPercussive: typeof import('../../src/core/features/hpss.js').harmonicPercussive;
  voiceQuality: typeof import('../../src/core/features/voice-quality.js').voiceQuality;
  resample: typeof import('../../src/core/audio/resample.js').resample;
}

async function loadKernels(root: string): Promise<Kernels> {
  // Without the package.json that says "type": "module", tsx loads the checkout's files as CommonJS,
  // which ran extractFeatures 2.6 times slower: the ratio would measure the loader, not the code.
  let type: unknown;
  try {
    type = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { type?: unknown }).type;
  } catch {
    type = undefined;
  }
  if (type !== 'module') throw new Error(`${root} needs the project's package.json ("type": "module") beside src/: git archive main src package.json | tar -x -C DIR`);
  const m = (p: string) => import(pathToFileURL(join(root, 'src/core', p)).href);
  const [spectrogram, mel, mfcc, deltas, spectral, chroma, tonnetz, contrast, hpss, vq, resample] = await Promise.all([
    m('features/spectrogram.ts'), m('features/mel.ts'), m('features/mfcc.ts'), m('features/deltas.ts'), m('features/spectral.ts'),
    m('features/chroma.ts'), m('features/tonnetz.ts'), m('features/contrast.ts'), m('features/hpss.ts'), m('features/voice-quality.ts'),
    m('audio/resample.ts'),
  ]);
  return {
    spectrogram: spectrogram.spectrogram, logMel: mel.logMel, melFlux: mel.melFlux, mfcc: mfcc.mfcc, deltas: deltas.deltas,
    spectralShape: spectral.spectralShape, chromagram: chroma.chromagram, tonnetz: tonnetz.tonnetz,
    spectralContrast: contrast.spectralContrast, harmonicPercussive: hpss.harmonicPercussive, voiceQuality: vq.voiceQuality,
    resample: resample.resample,
  };
}

/** What every stage reads for one clip, computed once with this checkout's code. */
interface ClipInputs {
  x: Float32Array;
  x48k: Float32Array;
  pitch: import('../../src/core/features/pitch.js').PitchTrack;
}

const STAGES = ['stft', 'mel + flux', 'mfcc', 'deltas (mfcc, Δ, mel)', 'spectral shape', 'chroma', 'tonnetz', 'contrast', 'hpss', 'voice quality', 'resample 48 kHz'] as const;
type Stage = (typeof STAGES)[number];

/** CPU ms spent in each stage over all clips, one pass. */
function runStages(k: Kernels, clips: ClipInputs[], nMfcc: number, nMels: number): Map<Stage, number> {
  const cpu = new Map<Stage, number>(STAGES.map((s) => [s, 0]));
  const timed = <T>(stage: Stage, fn: () => T): T => {
    const c0 = process.cpuUsage();
    const r = fn();
    const c = process.cpuUsage(c0);
    cpu.set(stage, cpu.get(stage)! + (c.user + c.system) / 1000);
    return r;
  };
  for (const clip of clips) {
    const spec = timed('stft', () => k.spectrogram(clip.x));
    const frames = spec.frames;
    const logmel = timed('mel + flux', () => {
      const lm = k.logMel(spec);
      k.melFlux(lm, frames);
      return lm;
    });
    const cepstra = timed('mfcc', () => k.mfcc(logmel, frames));
    timed('deltas (mfcc, Δ, mel)', () => {
      k.deltas(k.deltas(cepstra, nMfcc, frames), nMfcc, frames);
      k.deltas(logmel, nMels, frames);
    });
    timed('spectral shape', () => k.spectralShape(spec));
    const chroma = timed('chroma', () => k.chromagram(spec));
    timed('tonnetz', () => k.tonnetz(chroma, frames));
    timed('contrast', () => k.spectralContrast(spec));
    timed('hpss', () => k.harmonicPercussive(spec));
    timed('voice quality', () => k.voiceQuality(spec, logmel, clip.pitch));
    timed('resample 48 kHz', () => k.resample(clip.x48k, 48_000));
  }
  return cpu;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/** Prints the stage table; `rounds` passes over the clips (each checkout once per round, alternating). */
export async function benchStages(decoded: Pcm[], baseline: string | undefined, rounds: number): Promise<void> {
  const { speechOnly } = await import('../../src/core/audio/vad.js');
  const { normalised } = await import('../../src/core/features/temporal.js');
  const { pitchTrack } = await import('../../src/core/features/pitch.js');
  const { speechMask, powerDb } = await import('../../src/core/features/temporal.js');
  const { N_MFCC } = await import('../../src/core/features/spec.js');
  const { N_MELS } = await import('../../src/core/features/mel.js');
  const self = await loadKernels(resolve(import.meta.dirname, '../..'));
  const base = baseline ? await loadKernels(resolve(baseline)) : undefined;
  const clips: ClipInputs[] = decoded.map((p) => {
    const x = normalised(speechOnly(p).samples);
    const spec = self.spectrogram(x);
    const pitch = pitchTrack(x, speechMask(powerDb(spec.meanSquare)));
    return { x, x48k: self.resample(x, 16_000, 48_000), pitch };
  });
  const audioSec = clips.reduce((s, c) => s + c.x.length / 16_000, 0);
  // One untimed pass each: JIT warm-up and the filter tables.
  runStages(self, clips, N_MFCC, N_MELS);
  if (base) runStages(base, clips, N_MFCC, N_MELS);
  const mine: Map<Stage, number>[] = [];
  const theirs: Map<Stage, number>[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternating which goes first, so neither always runs right after the other's garbage.
    if (base && r % 2 === 1) theirs.push(runStages(base, clips, N_MFCC, N_MELS));
    mine.push(runStages(self, clips, N_MFCC, N_MELS));
    if (base && r % 2 === 0) theirs.push(runStages(base, clips, N_MFCC, N_MELS));
  }
  const perSec = (runs: Map<Stage, number>[], s: Stage) => median(runs.map((m) => m.get(s)!)) / audioSec;
  const rows = STAGES.map((s) => {
    const now = perSec(mine, s);
    if (!base) return `${s.padEnd(24)} ${now.toFixed(4)}`;
    const before = perSec(theirs, s);
    return `${s.padEnd(24)} ${before.toFixed(4)}   ${now.toFixed(4)}   ${(before / now).toFixed(2)}x`;
  });
  const sum = (runs: Map<Stage, number>[]) => STAGES.filter((s) => s !== 'resample 48 kHz').reduce((a, s) => a + perSec(runs, s), 0);
  process.stdout.write(
    `stages: ${clips.length} clips, ${audioSec.toFixed(1)} s of speech, median of ${rounds} rounds, CPU ms per audio-second (process CPU, all threads)\n` +
      (base ? `${'stage'.padEnd(24)} ${'baseline'.padEnd(8)} this      ratio   (baseline: ${baseline})\n` : `${'stage'.padEnd(24)} this\n`) +
      rows.join('\n') +
      `\n${'spectral stages, total'.padEnd(24)} ${base ? `${sum(theirs).toFixed(4)}   ${sum(mine).toFixed(4)}   ${(sum(theirs) / sum(mine)).toFixed(2)}x` : sum(mine).toFixed(4)}\n`,
  );
}
