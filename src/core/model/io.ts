// Reading and writing model files by path: the only file I/O in the core, shared by every front door.
import { open, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelError } from '../errors.js';
import { FEATURE_SPEC } from '../features/spec.js';
import { parseModel, serializeModel, type EmotionModel, type ModelFile } from './model-file.js';

export type { EmotionModel } from './model-file.js';

/**
 * The whole file in one read into one buffer that the model then predicts from in place (fs.readFile would
 * read it in 512 KB pieces, one thread-pool round trip each: 2-3× the CPU for a 2.4 MB model).
 */
async function readWhole(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const bytes = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(bytes, got, size - got, got);
      if (bytesRead === 0) break; // shrank while being read: parsing reports it cut short
      got += bytesRead;
    }
    return bytes.subarray(0, got);
  } finally {
    await fh.close();
  }
}

export async function readModel(path: string): Promise<EmotionModel> {
  let bytes: Buffer;
  try {
    bytes = await readWhole(path);
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
