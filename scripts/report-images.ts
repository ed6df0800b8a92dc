// `npm run report:images [-- models/report]`: redraws the model report's pictures (SVG + PNG) from its metrics.json, without training.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReportImages, type ReportNumbers } from './train/report.js';

const USAGE = 'Usage: npm run report:images [-- DIR]   (DIR: a training report folder with metrics.json; default: models/report)';
const arg = process.argv[2];
if (arg === '-h' || arg === '--help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (arg?.startsWith('-') || process.argv.length > 3) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const dir = arg ?? 'models/report';
let r: ReportNumbers;
try {
  r = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as ReportNumbers;
} catch (e) {
  process.stderr.write(`report:images: cannot read ${join(dir, 'metrics.json')} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n${USAGE}\n`);
  process.exit(2);
}
const written = await writeReportImages(dir, r);
process.stdout.write(`${written.map((f) => join(dir, f)).join('\n')}\n`);
