// `npm run model:convert -- IN OUT`: rewrites an older model file (v7 and before) in the current binary format.
import { parseArgs } from 'node:util';
import { readModelBytes } from '../src/core/model/file-bytes.js';
import { writeModelBytes } from '../src/core/model/io.js';
import { convertModelBytes, MODEL_FORMAT_VERSION } from '../src/core/model/model-file.js';
import { FEATURE_SPEC } from '../src/core/features/spec.js';

const USAGE = `Usage: npm run model:convert -- IN OUT.bin
Rewrites a model file older than format v${MODEL_FORMAT_VERSION} (v2 .json.gz to v${MODEL_FORMAT_VERSION - 1} .bin) as v${MODEL_FORMAT_VERSION}, checked as loading checks it.`;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    usage((e as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [input, output, ...extra] = parsed.positionals;
  if (!input || !output || extra.length) usage(extra.length ? `One input and one output, not ${parsed.positionals.length} paths.` : 'Give the file to convert and where to write it.');
  // Read as loading reads a model (its size from the file, once): a device such as /dev/zero is not read forever.
  const bytes = await readModelBytes(input);
  const converted = convertModelBytes(bytes, FEATURE_SPEC); // the same checks as loading: format, classes, feature spec, checksum
  await writeModelBytes(output, converted.bytes);
  process.stdout.write(`${input} (${bytes.length} bytes, v${converted.fromVersion}) → ${output} (${converted.bytes.length} bytes, v${MODEL_FORMAT_VERSION})\n`);
}

main().catch((e) => {
  // A model error's message says it all, and a file system one names its call and path: never a stack.
  process.stderr.write(`convert failed: ${(e as Error).message}\n`);
  process.exit(1);
});
