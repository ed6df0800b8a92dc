// The CLI contract other tools rely on: one JSON object per file per line, exit 0/1/2, the model loaded once.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../src/core/emotions.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const CLIP = join(ROOT, '../shared/datasets/ravdess/Actor_05/03-01-05-02-02-01-05.wav');
let dir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // The compiled CLI, as `npm run analyze` runs it (dist/ is built by npm install and npm test).
    const r = await exec(process.execPath, [join(ROOT, 'dist/scripts/analyze.js'), ...args], { cwd: ROOT, timeout: 120_000 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ser-cli-'));
  await copyFile(CLIP, join(dir, 'clip.wav'));
  await writeFile(join(dir, 'notes.txt'), 'not audio, and not picked from a folder');
  await writeFile(join(dir, 'fake.wav'), 'this is text pretending to be a wav file');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('npm run analyze', () => {
  it('prints one JSON object per file per line and exits 1 when any file failed', async () => {
    const r = await cli('--json', CLIP, join(dir, 'fake.wav'), join(dir, 'missing.wav'));
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const [ok, fake, missing] = lines;
    expect(ok).toMatchObject({ file: CLIP, emotion: expect.any(String), level: expect.stringMatching(/^(high|medium|low|uncertain)$/) });
    expect(EMOTIONS).toContain(ok.emotion);
    expect(ok.confidence).toBeGreaterThan(0);
    expect(ok.top3).toHaveLength(3);
    expect(ok.top3[0]).toEqual({ emotion: ok.emotion, probability: ok.confidence });
    expect(ok.durationSec).toBeCloseTo(4.1, 0);
    expect(ok.segments.length).toBeGreaterThanOrEqual(1);
    expect(fake).toEqual({ file: join(dir, 'fake.wav'), error: { code: 'UNSUPPORTED_FORMAT', message: expect.any(String) } });
    expect(missing.error.code).toBe('FILE_NOT_FOUND');
  });

  it('walks folders for audio files and exits 0 when all succeed (human output)', async () => {
    await rm(join(dir, 'fake.wav'));
    const r = await cli(dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/clip\.wav {2}\S+ (neutral|happy|sad|angry|fearful|disgust|surprised) \d+ % \((high|medium|low|uncertain).*top-3: /);
    expect(r.stderr).toMatch(/Confidence is calibrated/);
  });

  it('runs on the bundled samples with no arguments', async () => {
    const r = await cli('--json');
    const files = r.stdout.trim().split('\n').map((l) => JSON.parse(l).file);
    expect(files).toEqual(['samples/angry-actor.wav', 'samples/happy-actor.ogg', 'samples/long-voice-note.ogg', 'samples/read-aloud.ogg', 'samples/sad-actor.ogg']);
    expect(r.code).toBe(0);
    // Nothing but the answers: no warning, and no "unrecognized flag" from the V8 options it sets for itself.
    expect(r.stderr).toBe('');
    // The long note has pauses: it gets a per-utterance timeline.
    const long = JSON.parse(r.stdout.trim().split('\n')[2]);
    expect(long.segments.length).toBeGreaterThan(2);
  });

  it('stops quietly when its reader closes the pipe (`npm run analyze | head -1`)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/scripts/analyze.js'), '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // Like `head -1`: read the first line, then close our end while four more files are still to come.
    await new Promise<void>((done) => child.stdout.once('data', () => { child.stdout.destroy(); done(); }));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).not.toMatch(/EPIPE|Unhandled|analyze failed/);
    expect(code).toBe(0);
  });

  it.each([
    [['--bogus'], /Unknown option/],
    [['--max-seconds', '0', CLIP], /--max-seconds/],
  ])('usage errors exit 2 (%s)', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/Usage: npm run analyze/);
  });

  it('a missing or foreign model file exits 2 with a clear message', async () => {
    const r = await cli('--model', join(dir, 'none.json.gz'), CLIP);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No model file .*npm run train/);
    const bad = join(dir, 'bad.json.gz');
    await writeFile(bad, JSON.stringify({ format: 'something-else' }));
    const r2 = await cli('--model', bad, CLIP);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/Not a ser-bot model file/);
  });

  it('says when a file is longer than the limit', async () => {
    const r = await cli('--json', '--max-seconds', '2', CLIP);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('TOO_LONG');
    expect((await readFile(CLIP)).length).toBeGreaterThan(0); // input untouched
  });
});

describe('npm run analyze -- --plot', () => {
  it('writes the timeline the bot attaches: PNG (decoded: one lane, blocks per segment) or SVG; a bad extension is a usage error', async () => {
    const { spawnSync } = await import('node:child_process');
    const clips = ['03-01-05-02-02-01-05.wav', '03-01-04-02-01-01-05.wav', '03-01-03-02-02-01-05.wav'].map((f) => join(ROOT, '../shared/datasets/ravdess/Actor_05', f));
    const long = join(dir, 'long.wav');
    expect(spawnSync('sox', [...clips, long]).status).toBe(0);
    const png = join(dir, 'tl.png');
    const r = await cli('--json', '--plot', png, long);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout.trim());
    const { decodePng, PNG_SIGNATURE } = await import('../helpers/png.js');
    const { laneChart, analysisTimeline } = await import('../../src/charts/lanes.js');
    const bytes = await readFile(png);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const img = decodePng(bytes);
    const { layout } = laneChart(analysisTimeline({ ...a, durationSec: a.durationSec, segments: a.segments } as any, 'long.wav'));
    expect([img.width, img.height]).toEqual([layout.width * 2, layout.height * 2]);
    expect(a.segments.length).toBeGreaterThan(1);

    const svg = join(dir, 'tl.svg');
    expect((await cli('--plot', svg, long)).code).toBe(0);
    expect(await readFile(svg, 'utf8')).toMatch(/^<svg[^>]+>[\s\S]*>long\.wav<\/text>/);

    const bad = await cli('--plot', join(dir, 'tl.jpg'), long);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--plot needs a file name ending in .png or .svg');
  });
});
