// Issue 11, item 3: an absurd sample rate never reaches the resampler (which would design and cache a filter bank for it).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { audioErrorOf, makeWav, tone } from '../../helpers/audio-fixtures.js';

const rates: number[] = [];
vi.mock('../../../src/core/audio/resample.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/core/audio/resample.js')>();
  return {
    ...real,
    resample: (x: Float32Array, rate: number) => {
      rates.push(rate);
      return real.resample(x, rate);
    },
  };
});

const { decodeAudio, s16leInterleavedToMono16k } = await import('../../../src/core/audio/decode.js');

/** A real 48 kHz WAV whose header is then made to claim `rate`. */
function claiming(rate: number): Uint8Array {
  const wav = makeWav({ bits: 16, rate: 48_000, samples: tone(440, 0.2, 48_000) }).slice();
  const v = new DataView(wav.buffer, wav.byteOffset);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * 2) >>> 0, true);
  return wav;
}

describe('the decoder boundary accepts only 8–384 kHz', () => {
  beforeEach(() => {
    rates.length = 0;
  });

  it('WAV headers claiming 1 Hz … 4 GHz outside the range are CORRUPT_AUDIO and resample() is never called', async () => {
    for (const rate of [1, 1_000, 7_999, 384_001, 1_000_000, 2 ** 32 - 1]) {
      expect((await audioErrorOf(decodeAudio(claiming(rate)))).code).toBe('CORRUPT_AUDIO');
    }
    expect(rates).toEqual([]);
  });

  it('the edges of the range and ordinary rates do reach it', async () => {
    for (const rate of [8_000, 44_100, 384_000]) await decodeAudio(claiming(rate));
    expect(rates).toEqual([8_000, 44_100, 384_000]);
  });

  it('live voice PCM at an impossible rate is refused before resampling', () => {
    expect(() => s16leInterleavedToMono16k(new Uint8Array(3840), 1_000_000, 2)).toThrow(RangeError);
    expect(rates).toEqual([]);
    expect(s16leInterleavedToMono16k(new Uint8Array(3840), 48_000, 2)).toHaveLength(320);
  });
});
