// Lists a training dataset: RAVDESS (as its zip unpacks) or DIR/<emotion>/<files> for people's own recordings.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { RAVDESS_EMOTION, normalizeLabel, type EmotionLabel } from '../../src/core/emotions.js';
import { filesBelow, isAudioName, isDirectory } from '../audio-files.js';

export interface DatasetItem {
  path: string;
  label: EmotionLabel;
  /** Speaker id for grouped folds; null when unknown. */
  speaker: string | null;
  gender: 'male' | 'female' | null;
}

export interface Listing {
  layout: 'ravdess' | 'folders';
  items: DatasetItem[];
  /** Files that were passed over, with the reason (bad name, unknown label). */
  skipped: { path: string; reason: string }[];
}

export const DATASET_HELP = `Expected either
  RAVDESS as the official zip unpacks: DIR/Audio_Speech_Actors_01-24/Actor_NN/03-01-EE-II-SS-RR-NN.wav
  (or DIR/Actor_NN/*.wav), downloadable from https://zenodo.org/record/1188976 (CC BY-NC-SA 4.0);
or your own recordings in one folder per emotion: DIR/<emotion>/*.{wav,ogg,mp3,...}
  with emotion one of neutral, calm, happy, sad, angry, fearful, disgust, surprised
  (optional DIR/speakers.csv with "file,speaker" lines enables speaker-grouped evaluation).
See dataset/README.md.`;

export class DatasetError extends Error {}

const RAVDESS_NAME = /^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})\.wav$/i;

/** Parses `03-01-05-02-01-01-12.wav` → label and actor, or says why not. */
export function parseRavdessName(name: string): { label: EmotionLabel; actor: number } | { error: string } {
  const m = RAVDESS_NAME.exec(name);
  if (!m) return { error: 'not a RAVDESS file name (MM-VC-EE-II-SS-RR-AA.wav)' };
  const [, modality, channel, emotion, , , , actor] = m;
  if (modality !== '03') return { error: `modality ${modality} is not audio-only (03)` };
  if (channel !== '01') return { error: `vocal channel ${channel} is not speech (01)` };
  const label = RAVDESS_EMOTION[emotion];
  if (!label) return { error: `unknown emotion code ${emotion}` };
  return { label, actor: Number(actor) };
}

export async function listDataset(dir: string): Promise<Listing> {
  if (!(await isDirectory(dir))) throw new DatasetError(`Dataset folder ${dir} does not exist.\n${DATASET_HELP}`);
  const top = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const actorDirs = top.some((n) => /^Actor_\d+$/i.test(n)) || top.some((n) => /^Audio_Speech_Actors/i.test(n));
  const listing = actorDirs ? await listRavdess(dir) : await listFolders(dir, top);
  if (!listing.items.length) {
    throw new DatasetError(`No usable audio files found in ${dir}${listing.skipped.length ? ` (${listing.skipped.length} files skipped, e.g. ${listing.skipped[0].path}: ${listing.skipped[0].reason})` : ''}.\n${DATASET_HELP}`);
  }
  return listing;
}

async function listRavdess(dir: string): Promise<Listing> {
  const items: DatasetItem[] = [];
  const skipped: Listing['skipped'] = [];
  for (const path of await filesBelow(dir)) {
    if (!isAudioName(path)) continue;
    const parsed = parseRavdessName(basename(path));
    if ('error' in parsed) { skipped.push({ path: relative(dir, path), reason: parsed.error }); continue; }
    // RAVDESS: odd-numbered actors are male, even female.
    items.push({ path, label: parsed.label, speaker: `actor${String(parsed.actor).padStart(2, '0')}`, gender: parsed.actor % 2 ? 'male' : 'female' });
  }
  return { layout: 'ravdess', items, skipped };
}

async function readSpeakers(dir: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const text = await readFile(join(dir, 'speakers.csv'), 'utf8').catch(() => '');
  for (const line of text.split(/\r?\n/)) {
    const [file, speaker] = line.split(',').map((s) => s?.trim());
    if (file && speaker && file !== 'file') map.set(file, speaker);
  }
  return map;
}

/** `speaker` from a file name like `alice_01.wav` or `spk-alice-...`, when a CSV does not say. */
export function speakerFromName(name: string): string | null {
  const m = /^(?:spk|speaker)[-_]?([a-z0-9]+)/i.exec(name);
  return m ? m[1].toLowerCase() : null;
}

async function listFolders(dir: string, top: string[]): Promise<Listing> {
  const items: DatasetItem[] = [];
  const skipped: Listing['skipped'] = [];
  const speakers = await readSpeakers(dir);
  for (const folder of top.sort((a, b) => a.localeCompare(b))) {
    const label = normalizeLabel(folder);
    if (!label) { skipped.push({ path: folder + '/', reason: 'folder name is not an emotion' }); continue; }
    for (const path of await filesBelow(join(dir, folder))) {
      if (!isAudioName(path)) continue;
      const rel = relative(dir, path);
      const speaker = speakers.get(rel) ?? speakers.get(basename(path)) ?? speakerFromName(basename(path));
      items.push({ path, label, speaker, gender: null });
    }
  }
  return { layout: 'folders', items, skipped };
}
