// Lists a training dataset: RAVDESS (as its zip unpacks), CREMA-D, a labels.csv, DIR/<emotion>/<files>, or ordinary speech as neutral.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { RAVDESS_EMOTION, normalizeLabel, type EmotionLabel } from '../../src/core/emotions.js';
import { filesBelow, isAudioName, isDirectory } from '../audio-files.js';

export interface DatasetItem {
  path: string;
  label: EmotionLabel;
  /** Speaker id for grouped folds; null when unknown. */
  speaker: string | null;
  gender: 'male' | 'female' | null;
  /** What listeners heard from the audio alone (CREMA-D's voice_vote), when the dataset says. */
  heard?: EmotionLabel | null;
}

export interface Listing {
  layout: 'ravdess' | 'crema-d' | 'labels.csv' | 'folders' | 'ordinary';
  items: DatasetItem[];
  /** Files that were passed over, with the reason (bad name, unknown label). */
  skipped: { path: string; reason: string }[];
}

export const DATASET_HELP = `Expected either
  RAVDESS as the official zip unpacks: DIR/Audio_Speech_Actors_01-24/Actor_NN/03-01-EE-II-SS-RR-NN.wav
  (or DIR/Actor_NN/*.wav, or the files themselves in DIR), downloadable from https://zenodo.org/record/1188976 (CC BY-NC-SA 4.0);
or CREMA-D: DIR/<actor>/<actor>_<SENTENCE>_<EMO>_<LEVEL>.{wav,flac}, or those files in DIR (its labels.csv is used when present);
or DIR/labels.csv with a header naming at least "path,label" (optional "speaker", "voice_vote");
or your own recordings in one folder per emotion: DIR/<emotion>/*.{wav,ogg,mp3,...}
  with emotion one of neutral, calm, happy, sad, angry, fearful, disgust, surprised
  (optional DIR/speakers.csv with "file,speaker" lines enables speaker-grouped evaluation);
or ordinary, un-acted speech with --neutral DIR: DIR/<speaker>/*, every file labelled neutral.
See dataset/README.md.`;

/** The command-line options that name datasets, the same for `npm run train` and `npm run eval`. */
export const DATASET_OPTIONS = {
  data: { type: 'string', multiple: true },
  neutral: { type: 'string', multiple: true },
  labels: { type: 'string', default: 'intended' },
} as const;

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

const CREMA_NAME = /^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})\.(wav|flac)$/i;
const CREMA_EMOTION: Readonly<Record<string, EmotionLabel>> = { ANG: 'angry', DIS: 'disgust', FEA: 'fearful', HAP: 'happy', NEU: 'neutral', SAD: 'sad' };

/** Parses `1001_DFA_ANG_XX.flac` → intended label and actor, or says why not. */
export function parseCremaName(name: string): { label: EmotionLabel; actor: string } | { error: string } {
  const m = CREMA_NAME.exec(name);
  if (!m) return { error: 'not a CREMA-D file name (AAAA_SSS_EMO_LL.wav)' };
  const label = CREMA_EMOTION[m[3].toUpperCase()];
  return label ? { label, actor: m[1] } : { error: `unknown emotion code ${m[3]}` };
}

/**
 * `ordinary`: every file is un-acted speech, labelled neutral, its speaker the first folder below DIR
 * (LibriSpeech's layout). Otherwise the layout is recognised from what DIR holds.
 */
export async function listDataset(dir: string, opts: { ordinary?: boolean } = {}): Promise<Listing> {
  if (!(await isDirectory(dir))) {
    const file = await stat(dir).then((s) => s.isFile(), () => false);
    throw new DatasetError(file ? `${dir} is a file: give the folder that holds the labelled recordings (one file: \`npm run analyze -- ${dir}\`).\n${DATASET_HELP}` : `Dataset folder ${dir} does not exist.\n${DATASET_HELP}`);
  }
  const entries = await readdir(dir, { withFileTypes: true });
  // A link to a folder counts as one (a folder of links is how one picks recordings without copying them).
  const isDir = await Promise.all(entries.map((e) => e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, e.name)))));
  const top = entries.filter((_, i) => isDir[i]).map((e) => e.name);
  // With no folders at all, the corpora's own file names can still say the emotion and the speaker.
  const flat = top.length ? [] : entries.map((e) => e.name);
  const actorDirs = top.some((n) => /^Actor_\d+$/i.test(n)) || top.some((n) => /^Audio_Speech_Actors/i.test(n));
  const csv = await readFile(join(dir, 'labels.csv'), 'utf8').catch(() => null);
  const listing = opts.ordinary
    ? await listOrdinary(dir)
    : actorDirs || (csv === null && flat.some((n) => RAVDESS_NAME.test(n)))
      ? await listNamed(dir, 'ravdess', ravdessItem)
      : csv !== null
        ? listCsv(dir, csv)
        : top.some((n) => /^\d{4}$/.test(n)) || flat.some((n) => CREMA_NAME.test(n))
          ? await listNamed(dir, 'crema-d', cremaItem)
          : await listFolders(dir, top);
  if (!listing.items.length) {
    throw new DatasetError(`No usable audio files found in ${dir}${listing.skipped.length ? ` (${listing.skipped.length} files skipped, e.g. ${listing.skipped[0].path}: ${listing.skipped[0].reason})` : ''}.\n${DATASET_HELP}`);
  }
  return listing;
}

/** A corpus whose file names say the emotion and the speaker: each name is parsed, or skipped with the reason. */
async function listNamed(dir: string, layout: Listing['layout'], parse: (name: string) => Omit<DatasetItem, 'path'> | { error: string }): Promise<Listing> {
  const items: DatasetItem[] = [];
  const skipped: Listing['skipped'] = [];
  for (const path of await filesBelow(dir)) {
    if (!isAudioName(path)) continue;
    const parsed = parse(basename(path));
    if ('error' in parsed) { skipped.push({ path: relative(dir, path), reason: parsed.error }); continue; }
    items.push({ path, ...parsed });
  }
  return { layout, items, skipped };
}

function ravdessItem(name: string): Omit<DatasetItem, 'path'> | { error: string } {
  const parsed = parseRavdessName(name);
  if ('error' in parsed) return parsed;
  // RAVDESS: odd-numbered actors are male, even female.
  return { label: parsed.label, speaker: `actor${String(parsed.actor).padStart(2, '0')}`, gender: parsed.actor % 2 ? 'male' : 'female' };
}

function cremaItem(name: string): Omit<DatasetItem, 'path'> | { error: string } {
  const parsed = parseCremaName(name);
  return 'error' in parsed ? parsed : { label: parsed.label, speaker: parsed.actor, gender: null };
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


/** Splits one CSV line (quoted fields may hold commas). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** DIR/labels.csv: a header with `path` and `label`; `speaker`, `sex` and `voice_vote` (CREMA-D) when present. */
function listCsv(dir: string, text: string): Listing {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('path') < 0 || col('label') < 0) throw new DatasetError(`${join(dir, 'labels.csv')}: the first line must name the columns, with at least "path" and "label" (found: ${lines[0] ?? 'nothing'}).\n${DATASET_HELP}`);
  const items: DatasetItem[] = [];
  const skipped: Listing['skipped'] = [];
  const crema = lines.slice(1).some((l) => CREMA_NAME.test(basename(csvFields(l)[col('path')] ?? '')));
  const rowOf = new Map<string, number>();
  lines.slice(1).forEach((line, k) => {
    const f = csvFields(line);
    const at = (name: string) => (col(name) >= 0 ? (f[col(name)] ?? '') : '');
    const label = normalizeLabel(at('label'));
    if (!at('path')) return void skipped.push({ path: `row ${k + 2}`, reason: 'no path' });
    if (!label) return void skipped.push({ path: at('path'), reason: `unknown label "${at('label')}"` });
    // A clip listed twice would count twice (with two labels, against itself): the first row counts.
    const path = resolve(dir, at('path'));
    if (rowOf.has(path)) return void skipped.push({ path: at('path'), reason: `listed again (first on row ${rowOf.get(path)})` });
    rowOf.set(path, k + 2);
    const sex = at('sex').toLowerCase();
    items.push({
      path,
      label,
      speaker: at('speaker') || speakerFromName(basename(at('path'))),
      gender: sex === 'male' || sex === 'female' ? sex : null,
      heard: col('voice_vote') >= 0 ? normalizeLabel(at('voice_vote')) : undefined,
    });
  });
  return { layout: crema ? 'crema-d' : 'labels.csv', items, skipped };
}

async function listOrdinary(dir: string): Promise<Listing> {
  const items: DatasetItem[] = [];
  for (const path of await filesBelow(dir)) {
    if (!isAudioName(path)) continue;
    const parts = relative(dir, path).split(/[\\/]/);
    items.push({ path, label: 'neutral', speaker: parts.length > 1 ? parts[0] : speakerFromName(basename(path)), gender: null });
  }
  return { layout: 'ordinary', items, skipped: [] };
}
