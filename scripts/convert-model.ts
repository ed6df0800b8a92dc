// `npm run model:convert -- IN OUT`: rewrites an older model file (v2 gzipped JSON or v3 binary) in the current binary format.
import { readFile } from 'node:fs/promises';
import { writeModel } from '../src/core/model/io.js';
import { MODEL_FORMAT_VERSION, readOlderModelFile } from '../src/core/model/model-file.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('Usage: npm run model:convert -- IN OUT.bin   (IN: a v2 .json.gz or v3 .bin model file)\n');
    process.exit(2);
  }
  const bytes = await readFile(input);
  const file = readOlderModelFile(bytes, FEATURE_SPEC); // the same checks as loading: format, classes, feature spec, checksum
  const written = await writeModel(output, { ...file, formatVersion: MODEL_FORMAT_VERSION });
  process.stdout.write(`${input} (${bytes.length} bytes, v${file.formatVersion}) → ${output} (${written.length} bytes, v${MODEL_FORMAT_VERSION})\n`);
}

main().catch((e) => {
  process.stderr.write(`convert failed: ${(e as Error).message}\n`);
  process.exit(1);
});
