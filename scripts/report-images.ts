// `npm run report:images [-- models/report]`: redraws the model report's pictures (SVG + PNG) from its metrics.json, without training.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReportImages, type ReportNumbers } from './train/report.js';

const dir = process.argv[2] ?? 'models/report';
const r = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as ReportNumbers;
const written = await writeReportImages(dir, r);
process.stdout.write(`${written.map((f) => join(dir, f)).join('\n')}\n`);
