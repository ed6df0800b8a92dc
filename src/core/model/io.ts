// Reading and writing model files by path: the only file I/O in the core, shared by every front door.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelError } from '../errors.js';
import { FEATURE_SPEC } from '../features/spec.js';
import { parseModel, serializeModel, type EmotionModel, type ModelFile } from './model-file.js';

export type { EmotionModel } from './model-file.js';

export async function readModel(path: string): Promise<EmotionModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelError('MODEL_NOT_FOUND', code === 'ENOENT' ? `No model file at ${path}. Train one with \`npm run train\`.` : `Cannot read the model file ${path} (${code}).`);
  }
  return parseModel(bytes, FEATURE_SPEC);
}

export async function writeModel(path: string, file: ModelFile): Promise<Buffer> {
  const bytes = serializeModel(file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes;
}
