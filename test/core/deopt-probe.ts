// Child process of deopt.test.ts: analyzes real RAVDESS clips the way a worker does, so that V8's
// --trace-deopt output (on stdout) shows every deoptimisation the hot path goes through.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze.js';
import { decodeAudio } from '../../src/core/audio/decode.js';
import { readModel } from '../../src/core/model/io.js';
import { RAVDESS_DIR, ravdessFiles } from '../helpers/audio-fixtures.js';

const clips = Number(process.argv[2] ?? 30);
const model = await readModel(join(import.meta.dirname, '../../models/ser-model.bin'));
// Two actors (a male and a female voice), alternating, so clip lengths and pitch ranges vary.
const paths = [3, 4].flatMap((a) => ravdessFiles(a).map((f) => join(RAVDESS_DIR, `Actor_0${a}`, f)));
for (let i = 0; i < clips; i++) analyze(await decodeAudio(await readFile(paths[(i * 7) % paths.length])), model);
process.stderr.write(`probe: analyzed ${clips} clips\n`);
