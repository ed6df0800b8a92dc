// Reading and writing model files by path: the only file I/O in the core, shared by every front door.
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FEATURE_SPEC } from '../features/spec.js';
import { readModelBytes } from './file-bytes.js';
import { parseModel, serializeModel, type EmotionModel, type ModelFile } from './model-file.js';

export type { EmotionModel } from './model-file.js';

/** The model in `bytes` (read by readModelBytes), checked as readModel checks a file: format, checksum, feature spec. */
export function modelFromBytes(bytes: Uint8Array): EmotionModel {
  return parseModel(bytes, FEATURE_SPEC);
}

export async function readModel(path: string): Promise<EmotionModel> {
  return modelFromBytes(await readModelBytes(path));
}

export async function writeModel(path: string, file: ModelFile): Promise<Buffer> {
  return writeModelBytes(path, serializeModel(file));
}

/** A model file's bytes to `path`, its folder made first. */
export async function writeModelBytes(path: string, bytes: Buffer): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes;
}
