// Voice-note fixtures made at test time: RAVDESS speech (or silence) encoded as Discord does, Ogg/Opus 48 kHz mono 32 kbps.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** RAVDESS lives beside the repository (`../shared/datasets/ravdess`), never inside it. */
export const RAVDESS_DIR = fileURLToPath(new URL('../../../shared/datasets/ravdess/', import.meta.url));

export function hasRavdess(): boolean {
  return existsSync(join(RAVDESS_DIR, 'Actor_01'));
}

/** Paths of RAVDESS clips; `emotion` is the 2-digit code (05 = angry), `actor` the actor number. */
export function ravdessClips(filter: { actor?: number; emotion?: string; intensity?: string } = {}): string[] {
  const actors = filter.actor
    ? [`Actor_${String(filter.actor).padStart(2, '0')}`]
    : readdirSync(RAVDESS_DIR).filter((d) => d.startsWith('Actor_')).sort();
  const out: string[] = [];
  for (const a of actors) {
    const dir = join(RAVDESS_DIR, a);
    for (const f of readdirSync(dir).sort()) {
      const [, , emotion, intensity] = f.split('-');
      if (filter.emotion && emotion !== filter.emotion) continue;
      if (filter.intensity && intensity !== filter.intensity) continue;
      out.push(join(dir, f));
    }
  }
  return out;
}

function run(cmd: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.on('data', (c: Buffer) => err.push(c));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString()}`))));
    p.stdin.on('error', () => undefined);
    p.stdin.end(input);
  });
}

async function opus(wav: Buffer): Promise<Uint8Array> {
  // opus-tools' encoder, the same family Discord clients use for voice messages.
  return new Uint8Array(await run('opusenc', ['--quiet', '--bitrate', '32', '--framesize', '20', '-', '-'], wav));
}

/** The clips back to back (cut to `seconds` when given), as an Ogg/Opus voice note. */
export async function voiceNote(wavPaths: string[], seconds?: number): Promise<Uint8Array> {
  const wav = await run('sox', [...wavPaths, '-t', 'wav', '-r', '48000', '-c', '1', '-b', '16', '-', ...(seconds ? ['trim', '0', String(seconds)] : [])]);
  return opus(wav);
}

/** `seconds` of speech: as many RAVDESS clips as needed, back to back. */
export async function speechNote(seconds: number, clips = ravdessClips({ actor: 3 })): Promise<Uint8Array> {
  // RAVDESS statements are ~3.5 s each; take enough of them and cut.
  return voiceNote(clips.slice(0, Math.ceil(seconds / 3) + 1), seconds);
}

/** Digital silence of `seconds`, as an Ogg/Opus voice note. */
export async function silenceNote(seconds: number): Promise<Uint8Array> {
  return opus(await run('sox', ['-n', '-t', 'wav', '-r', '48000', '-c', '1', '-b', '16', '-', 'trim', '0', String(seconds)]));
}
