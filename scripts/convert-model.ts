// `npm run model:convert -- IN OUT`: rewrites an older model file (v7 and before) in the current binary format.
import { readFile } from 'node:fs/promises';
import { writeModelBytes } from '../src/core/model/io.js';
import { convertModelBytes, MODEL_FORMAT_VERSION } from '../src/core/model/model-file.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write(`Usage: npm run model:convert -- IN OUT.bin   (IN: a model file older than format v${MODEL_FORMAT_VERSION}: v2 .json.gz to v${MODEL_FORMAT_VERSION - 1} .bin)\n`);
    process.exit(2);
  }
  const bytes = await readFile(input);
  const converted = convertModelBytes(bytes, FEATURE_SPEC); // the same checks as loading: format, classes, feature spec, checksum
  await writeModelBytes(output, converted.bytes);
  process.stdout.write(`${input} (${bytes.length} bytes, v${converted.fromVersion}) → ${output} (${converted.bytes.length} bytes, v${MODEL_FORMAT_VERSION})\n`);
}

main().catch((e) => {
  process.stderr.write(`convert failed: ${(e as Error).message}\n`);
  process.exit(1);
});
