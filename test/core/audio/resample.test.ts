import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESAMPLE_WASM } from '../../../src/core/audio/resample-wasm.js';
import { downmix, resample, resamplerCacheBytes } from '../../../src/core/audio/resample.js';
import { rms, tone, whiteNoise } from '../../helpers/audio-fixtures.js';

const db = (ratio: number) => 20 * Math.log10(ratio);
// Skip the filter's edge transients (a few ms) when measuring.
const steady = (x: Float32Array) => rms(x, 400, x.length - 400);

describe('resample to 16 kHz', () => {
  it('removes a 12 kHz tone at 48 kHz (it would alias to 4 kHz) by at least 40 dB', () => {
    const x = tone(12_000, 1, 48_000);
    const y = resample(x, 48_000);
    expect(db(steady(y) / rms(x))).toBeLessThan(-40);
  });

  it.each([48_000, 44_100, 22_050, 8_000, 11_025, 32_000, 96_000])('passes a 1 kHz tone from %i Hz within ±0.5 dB', (rate) => {
    const x = tone(1000, 1, rate);
    const y = resample(x, rate);
    expect(Math.abs(db(steady(y) / rms(x)))).toBeLessThan(0.5);
  });

  it('keeps the frequency: a 1 kHz tone from 44.1 kHz crosses zero 2000 times per second at 16 kHz', () => {
    const y = resample(tone(1000, 2, 44_100), 44_100);
    let crossings = 0;
    for (let i = 401; i < y.length - 400; i++) if (y[i - 1] < 0 !== y[i] < 0) crossings++;
    expect(crossings / ((y.length - 801) / 16_000)).toBeCloseTo(2000, -1);
  });

  it('stops what lies between 8 kHz and the input Nyquist for a non-integer ratio (44.1 kHz, 9 kHz tone)', () => {
    const x = tone(9000, 1, 44_100);
    expect(db(steady(resample(x, 44_100)) / rms(x))).toBeLessThan(-40);
  });

  it.each([
    [96_000, 12_000],
    [48_000, 8_500],
    [384_000, 9_000],
    [352_800, 8_200],
    [383_999, 30_000],
    [47_999, 12_000],
  ])('removes what would alias from %i Hz (a %i Hz tone) by at least 40 dB', (rate, freq) => {
    const x = tone(freq, 1, rate);
    expect(db(steady(resample(x, rate)) / rms(x))).toBeLessThan(-40);
  });

  it.each([384_000, 352_800, 383_999, 47_999, 88_200])('passes 1 kHz and 6 kHz tones from the odd or high rate %i Hz within ±0.5 dB', (rate) => {
    for (const f of [1000, 6000]) {
      const x = tone(f, 1, rate);
      expect(Math.abs(db(steady(resample(x, rate)) / rms(x)))).toBeLessThan(0.5);
    }
  });

  it.each([48_000, 44_100, 22_050, 24_000, 88_200, 47_999, 17_000])(
    'from %i Hz: flat within ±0.05 dB from 50 Hz to 7 kHz, and at least 60 dB down from 8 kHz to the input Nyquist',
    (rate) => {
      // A tone sweep over the whole band, the filter's response measured numerically on each tone.
      let passLo = Infinity, passHi = -Infinity, stopWorst = -Infinity;
      for (let f = 50; f < rate / 2; f += 97) {
        const x = tone(f, 0.25, rate);
        const gain = db(steady(resample(x, rate)) / rms(x));
        if (f <= 7000) {
          passLo = Math.min(passLo, gain);
          passHi = Math.max(passHi, gain);
        } else if (f >= 8000) stopWorst = Math.max(stopWorst, gain);
      }
      expect(passLo).toBeGreaterThan(-0.05);
      expect(passHi).toBeLessThan(0.05);
      expect(stopWorst).toBeLessThan(-60);
    },
  );

  it('the integer-decimation path (FFT) gives the same samples as the direct filter: a 48 kHz impulse response is the filter row', () => {
    // An impulse at input 3·k lands on output k: the response around it is the (symmetric) filter, sampled every 3rd tap.
    const x = new Float32Array(48_000);
    x[24_000] = 1;
    const y = resample(x, 48_000);
    for (let d = 1; d < 30; d++) expect(y[8000 + d]).toBeCloseTo(y[8000 - d], 6);
    let sum = 0;
    for (const v of y) sum += v;
    expect(sum * 3).toBeCloseTo(1, 4); // each output phase sums to one, so the impulse's energy lands whole
  });

  it('keeps its filter cache bounded in bytes, however many odd rates it meets', () => {
    for (let r = 40_001; r < 40_001 + 60 * 997; r += 997) resample(new Float32Array(100), r);
    expect(resamplerCacheBytes()).toBeLessThanOrEqual(4 << 20);
  });

  it('upsampling 8 kHz white noise creates no images between 4 and 8 kHz', () => {
    const y = resample(whiteNoise(1, 8000, 0.5), 8000);
    // The first difference (y[i] − y[i−1]) / 2 has power gain sin²(πf/16000). Over noise flat to
    // 4 kHz that averages 0.5 − 1/π ≈ 0.18; images flat to 8 kHz would lift it to 0.5.
    let diff = 0;
    let all = 0;
    for (let i = 401; i < y.length - 400; i++) {
      diff += ((y[i] - y[i - 1]) / 2) ** 2;
      all += y[i] ** 2;
    }
    expect(diff / all).toBeGreaterThan(0.12);
    expect(diff / all).toBeLessThan(0.22);
  });

  it('gives the right lengths', () => {
    expect(resample(new Float32Array(48_000), 48_000)).toHaveLength(16_000);
    expect(resample(new Float32Array(44_100), 44_100)).toHaveLength(16_000);
    expect(resample(new Float32Array(22_050 * 3), 22_050)).toHaveLength(48_000);
    expect(resample(new Float32Array(8000), 8000)).toHaveLength(16_000);
    expect(resample(new Float32Array(12_345), 11_127).length).toBe(Math.ceil((12_345 * 16_000) / 11_127));
    expect(resample(new Float32Array(0), 48_000)).toHaveLength(0);
    expect(resample(new Float32Array(1), 48_000)).toHaveLength(1);
    expect(resample(new Float32Array(352_801), 352_800).length).toBe(Math.ceil((352_801 * 16_000) / 352_800));
    expect(resample(new Float32Array(100_003), 383_999).length).toBe(Math.ceil((100_003 * 16_000) / 383_999));
    expect(resample(new Float32Array(7), 96_000)).toHaveLength(2);
  });

  it('has no delay: an impulse stays where it was', () => {
    const x = new Float32Array(48_000);
    x[24_000] = 1;
    const y = resample(x, 48_000);
    let peak = 0;
    for (let i = 0; i < y.length; i++) if (Math.abs(y[i]) > Math.abs(y[peak])) peak = i;
    expect(peak).toBe(8000);
  });

  it('keeps DC exactly (each filter phase sums to one)', () => {
    const y = resample(new Float32Array(44_100).fill(0.25), 44_100);
    expect(y[8000]).toBeCloseTo(0.25, 6);
  });

  it('gives the samples it gave before: the direct form is pinned bit for bit (exact rows, interpolated rows, edges, chunk ends)', () => {
    // Hashes from the JavaScript direct form of commit 84dd614, which resample.wat replaced with the same float64 sums.
    // 9,001 samples: 16 kHz → 48 kHz crosses the kernel's 4,096-output chunks; 47,999 Hz takes the interpolated grid.
    let seed = 3;
    const x = Float32Array.from({ length: 9001 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const hash = (y: Float32Array) => createHash('sha256').update(new Uint8Array(y.buffer, y.byteOffset, y.byteLength)).digest('hex').slice(0, 16);
    expect(hash(resample(x, 8000))).toBe('a6e03562581fb927');
    expect(hash(resample(x, 11_025))).toBe('b597bb58a76a1d86');
    expect(hash(resample(x, 15_999))).toBe('18672601bff6ffe0');
    expect(hash(resample(x, 44_100))).toBe('59fcbba42326dd2d');
    expect(hash(resample(x, 47_999))).toBe('a2cb7d8a08243053');
    expect(hash(resample(x, 16_000, 48_000))).toBe('949b50851a1a3a1d');
  });

  it('embeds the bytes of resample.wat (npm run build:fft-wasm after editing it)', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/audio/resample.wat')).toString('base64')).toBe(RESAMPLE_WASM);
  });

  it('returns the input itself when it is already 16 kHz, and rejects nonsense rates', () => {
    const x = new Float32Array(10);
    expect(resample(x, 16_000)).toBe(x);
    expect(() => resample(x, 0)).toThrow(RangeError);
    expect(() => resample(x, 44_100.5)).toThrow(RangeError);
  });
});

describe('downmix', () => {
  it('averages channels', () => {
    const l = Float32Array.from([1, 0.5, -1]);
    const r = Float32Array.from([0, 0.5, 1]);
    expect([...downmix([l, r])]).toEqual([0.5, 0.5, 0]);
  });

  it('returns a single channel unchanged and nothing for no channels', () => {
    const m = Float32Array.from([0.1, 0.2]);
    expect(downmix([m])).toBe(m);
    expect(downmix([])).toHaveLength(0);
  });
});
