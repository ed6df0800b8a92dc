// When libopus cannot load (node_modules built for another Node), an Ogg/Opus file is not "damaged": the error
// says what is wrong with the machine, and formats that need no codec still decode.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { decodeAudio } from '../../../src/core/audio/decode.js';
import { OpusUnavailableError } from '../../../src/core/audio/opus-addon.js';

vi.mock(import('../../../src/core/audio/opus-addon.js'), async (original) => {
  const real = await original();
  return {
    ...real,
    loadOpusAddon: () => {
      throw new real.OpusUnavailableError(new Error('was compiled against a different Node.js version'));
    },
  };
});

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../../samples/${name}`, import.meta.url)));

describe('decoding without libopus', () => {
  it('rejects an Ogg/Opus voice note with the machine error, not CORRUPT_AUDIO', async () => {
    const error = await decodeAudio(sample('happy-actor.ogg')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpusUnavailableError);
    expect((error as { code?: unknown }).code).toBeUndefined();
    expect((error as Error).message).toMatch(/libopus .* could not be loaded .*`npm rebuild @discordjs\/opus`/);
  });

  it('still decodes a WAV file', async () => {
    const pcm = await decodeAudio(sample('angry-actor.wav'));
    expect(pcm.samples.length).toBeGreaterThan(16_000);
  });
});
