// The bench scripts are developer tools, but they are run by hand: --help must print their usage and a mistyped
// option must say so in one line (exit 2), not end in node:util's stack trace.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function run(script: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script), ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe.each([
  ['bench.ts', 'npm run bench'],
  ['bench-bot.ts', 'npm run bench:bot'],
  ['bench-voice.ts', 'npm run bench:voice'],
  ['bench-charts.ts', 'npm run bench:charts'],
])('%s', (script, command) => {
  it('--help prints the usage and exits 0, doing nothing else', async () => {
    const r = await run(script, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`Usage: ${command}`)).toBe(true);
    expect(r.stderr).toBe('');
  }, 60_000);

  it('an unknown option is one line and the usage on stderr, exit 2, no stack trace', async () => {
    const r = await run(script, '--bogus');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("Unknown option '--bogus'");
    expect(r.stderr).toContain(`Usage: ${command}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  }, 60_000);
});
