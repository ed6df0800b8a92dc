// `npm run model:convert -- IN OUT`: rewrites a model file (v2 gzipped JSON or v3) in the current binary format.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { writeModel } from '../src/core/model/io.js';
import { MODEL_FORMAT_VERSION, parseModel, type ModelFile } from '../src/core/model/model-file.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('Usage: npm run model:convert -- IN.json.gz OUT.bin\n');
    process.exit(2);
  }
  const bytes = await readFile(input);
  parseModel(bytes, FEATURE_SPEC); // the same checks as loading: format, classes, feature spec
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const file = JSON.parse(raw.toString('utf8')) as ModelFile;
  const written = await writeModel(output, { ...file, formatVersion: MODEL_FORMAT_VERSION });
  process.stdout.write(`${input} (${bytes.length} bytes, v${file.formatVersion}) → ${output} (${written.length} bytes, v${MODEL_FORMAT_VERSION})\n`);
}

main().catch((e) => {
  process.stderr.write(`convert failed: ${(e as Error).message}\n`);
  process.exit(1);
});
