// `npm run bench -- --check`: the answers on a fixed set of RAVDESS clips, compared with stored ones, so
// every speed change can show it changed nothing (or exactly how much it changed).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { clipFeatures } from '../../src/core/clip-features.js';
import type { EmotionModel } from '../../src/core/model/model-file.js';

/** One clip's answer: the feature vector, the model's calibrated probabilities, and what the user is told. */
interface Answer {
  file: string;
  features: number[];
  probabilities: number[];
  label: string;
  confidence: number;
}

async function answersFor(paths: string[], model: EmotionModel): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const path of paths) {
    const p = await decodeAudio(await readFile(path));
    const clip = clipFeatures(p);
    const a = analyze(p, model);
    out.push({
      file: path.split('/').pop()!,
      features: Array.from(clip.features),
      probabilities: Array.from(model.predict(clip.features)),
      label: a.emotion,
      confidence: a.confidence,
    });
  }
  return out;
}

function maxAbsDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) || (Object.is(a[i], b[i]) ? 0 : Infinity));
  return m;
}

/**
 * Writes the reference on first use (or with `save`); otherwise compares and reports: how many clips
 * have bit-identical features and answers, the largest differences, and every changed label.
 * Returns false when any label changed.
 */
export async function checkAnswers(paths: string[], model: EmotionModel, refPath: string, save: boolean): Promise<boolean> {
  const now = await answersFor(paths, model);
  if (save || !existsSync(refPath)) {
    await mkdir(dirname(refPath), { recursive: true });
    await writeFile(refPath, JSON.stringify(now));
    process.stdout.write(`answers: stored ${now.length} clips as the reference in ${refPath}\n`);
    return true;
  }
  const ref = JSON.parse(await readFile(refPath, 'utf8')) as Answer[];
  const byFile = new Map(ref.map((r) => [r.file, r]));
  let sameFeatures = 0, sameProbs = 0, sameLabel = 0, sameConfidence = 0, compared = 0;
  let featDiff = 0, relFeatDiff = 0, probDiff = 0, worstFeature = -1;
  const changed: string[] = [];
  for (const a of now) {
    const r = byFile.get(a.file);
    if (!r) continue;
    compared++;
    const fd = maxAbsDiff(a.features, r.features);
    if (fd === 0) sameFeatures++;
    for (let i = 0; i < a.features.length; i++) {
      const rel = Math.abs(a.features[i] - r.features[i]) / Math.max(1e-6, Math.abs(r.features[i]));
      if (rel > relFeatDiff) { relFeatDiff = rel; worstFeature = i; }
    }
    featDiff = Math.max(featDiff, fd);
    const pd = maxAbsDiff(a.probabilities, r.probabilities);
    if (pd === 0) sameProbs++;
    probDiff = Math.max(probDiff, pd);
    if (a.label === r.label) sameLabel++;
    else changed.push(`${a.file}: ${r.label} ${r.confidence.toFixed(3)} → ${a.label} ${a.confidence.toFixed(3)}`);
    if (a.confidence === r.confidence) sameConfidence++;
  }
  process.stdout.write(
    `answers vs ${refPath} (${compared} of ${now.length} clips compared):\n` +
      `  features bit-identical ${sameFeatures}/${compared}; largest difference ${featDiff.toExponential(2)} abs, ${relFeatDiff.toExponential(2)} relative (feature #${worstFeature})\n` +
      `  probabilities bit-identical ${sameProbs}/${compared}; largest difference ${probDiff.toExponential(2)}\n` +
      `  labels identical ${sameLabel}/${compared}; confidences identical ${sameConfidence}/${compared}\n` +
      changed.map((c) => `  changed: ${c}\n`).join(''),
  );
  return changed.length === 0 && compared === now.length;
}
