// A model file's bytes, read in one go; nothing else imported, so the bot's main thread can read the model for
// its workers without loading the model code (forest, features) itself.
import { open } from 'node:fs/promises';
import { ModelError } from '../errors.js';

/**
 * The whole file in one read into one buffer that the model then predicts from in place (fs.readFile would
 * read it in 512 KB pieces, one thread-pool round trip each: 2-3× the CPU for a 2.4 MB model). `shared`: the
 * buffer is a SharedArrayBuffer, so worker threads given it predict from this one copy.
 */
async function readWhole(path: string, shared: boolean): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const bytes = shared ? new Uint8Array(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
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

/**
 * A model file's bytes, unchecked (`modelFromBytes` checks them). `shared: true` reads them into a
 * SharedArrayBuffer: the bot reads the model once and hands it to every analysis worker, which predict from
 * that one copy instead of 2.4 MB each (issue 15).
 */
export async function readModelBytes(path: string, opts: { shared?: boolean } = {}): Promise<Uint8Array> {
  try {
    return await readWhole(path, opts.shared ?? false);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelError('MODEL_NOT_FOUND', code === 'ENOENT' ? `No model file at ${path}. Train one with \`npm run train\`.` : `Cannot read the model file ${path} (${code}).`);
  }
}
