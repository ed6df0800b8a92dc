import { describe, expect, it } from 'vitest';
import { BandSums, BlockDecimator, ComplexFFT, PowerSpectra, RealFFT, WasmKernels } from '../../../src/core/dsp/fft.js';

/** The DFT by its definition, in doubles (O(N²): the reference the fast forms must match). */
function dft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let a = 0;
    let b = 0;
    for (let t = 0; t < n; t++) {
      const phase = (-2 * Math.PI * ((k * t) % n)) / n;
      a += re[t] * Math.cos(phase) - im[t] * Math.sin(phase);
      b += re[t] * Math.sin(phase) + im[t] * Math.cos(phase);
    }
    outRe[k] = a;
    outIm[k] = b;
  }
  return { re: outRe, im: outIm };
}

/** Deterministic values in [−1, 1) (a fixed LCG), so a failure reproduces. */
function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>, n = a.length) => {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('ComplexFFT', () => {
  it.each([4, 8, 16, 32, 64, 128, 256, 512, 1024])('matches the DFT definition at N = %i (radix-2 first pass when log2 N is odd)', (n) => {
    const re = noise(n, n);
    const im = noise(n, n + 1);
    const want = dft(re, im);
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    new ComplexFFT(n).transform(re, im, outRe, outIm);
    // Rounding grows like log N; the reference itself sums N terms.
    expect(maxDiff(outRe, want.re)).toBeLessThan(1e-12 * n);
    expect(maxDiff(outIm, want.im)).toBeLessThan(1e-12 * n);
  });

  it('transforms an impulse at n0 into the pure phase ramp e^(−2πik·n0/N)', () => {
    const n = 64;
    const re = new Float64Array(n);
    re[5] = 1;
    const outRe = new Float64Array(n);
    const outIm = new Float64Array(n);
    new ComplexFFT(n).transform(re, new Float64Array(n), outRe, outIm);
    for (let k = 0; k < n; k++) {
      expect(outRe[k]).toBeCloseTo(Math.cos((-2 * Math.PI * k * 5) / n), 12);
      expect(outIm[k]).toBeCloseTo(Math.sin((-2 * Math.PI * k * 5) / n), 12);
    }
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new ComplexFFT(12)).toThrow(RangeError);
    expect(() => new ComplexFFT(2)).toThrow(RangeError);
  });
});

describe('RealFFT', () => {
  it.each([8, 16, 32, 64, 128, 256, 512, 1024, 2048])('gives bins 0…N/2 of the DFT of N real samples at N = %i', (n) => {
    const x = noise(n, 7 * n);
    const want = dft(x, new Float64Array(n));
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    new RealFFT(n).forward(x, re, im);
    expect(maxDiff(re, want.re, n / 2 + 1)).toBeLessThan(1e-12 * n);
    expect(maxDiff(im, want.im, n / 2 + 1)).toBeLessThan(1e-12 * n);
    // DC and Nyquist of a real signal are real.
    expect(im[0]).toBe(0);
    expect(im[n / 2]).toBe(0);
  });

  it.each([8, 64, 512, 1024])('inverts its own transform at N = %i (scaled by 1/N)', (n) => {
    const x = noise(n, 3 * n);
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const back = new Float64Array(n);
    fft.inverse(re, im, back);
    expect(maxDiff(back, x)).toBeLessThan(1e-14);
  });

  it('puts a cosine at bin 10 of 512 into bin 10 alone, with amplitude N/2', () => {
    const n = 512;
    const x = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 10 * t) / n));
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    new RealFFT(n).forward(x, re, im);
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBeCloseTo(k === 10 ? n / 2 : 0, 9);
      expect(im[k]).toBeCloseTo(0, 9);
    }
  });

  it('keeps no state between calls: the same input gives the same output after other inputs', () => {
    const n = 256;
    const fft = new RealFFT(n);
    const a = noise(n, 1);
    const re1 = new Float64Array(n / 2 + 1);
    const im1 = new Float64Array(n / 2 + 1);
    fft.forward(a, re1, im1);
    const re2 = new Float64Array(n / 2 + 1);
    const im2 = new Float64Array(n / 2 + 1);
    fft.forward(noise(n, 2), re2, im2);
    fft.inverse(re2, im2, new Float64Array(n));
    fft.forward(a, re2, im2);
    expect([...re2]).toEqual([...re1]);
    expect([...im2]).toEqual([...im1]);
  });

  it('rejects sizes that are not powers of two ≥ 8', () => {
    expect(() => new RealFFT(4)).toThrow(RangeError);
    expect(() => new RealFFT(500)).toThrow(RangeError);
  });
});

describe('the embedded WebAssembly', () => {
  it('is the compiled fft.wat beside it (npm run build:fft-wasm regenerates it)', async () => {
    const { compileWat } = await import('../../../scripts/build-fft-wasm.js');
    const { FFT_WASM } = await import('../../../src/core/dsp/fft-wasm.js');
    expect(Buffer.from(await compileWat('src/core/dsp/fft.wat')).toString('base64')).toBe(FFT_WASM);
  });
});

describe('realFFT', () => {
  it('hands out one transform per size, so resampler plans for many rates share a few WebAssembly memories', async () => {
    const { realFFT } = await import('../../../src/core/dsp/fft.js');
    expect(realFFT(512)).toBe(realFFT(512));
    expect(realFFT(1024)).not.toBe(realFFT(512));
    expect(realFFT(1024).size).toBe(1024);
  });
});

describe('PowerSpectra', () => {
  it.each([
    [512, 160, 16000 * 3 + 77],
    [64, 16, 40],
    [512, 160, 100],
  ])('gives RealFFT.forward\'s re² + im² (and √, Σ) bit for bit, frames past either end zero-padded (N = %i, hop %i, %i samples)', (n, hop, len) => {
    const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const x = Float32Array.from(noise(len, len));
    const bins = n / 2 + 1;
    const first = -n / 2;
    const frames = 1 + Math.floor(len / hop);
    const power = new Float32Array(frames * bins);
    const magnitude = new Float32Array(frames * bins);
    const total = new Float64Array(frames);
    new PowerSpectra(window).frames(x, frames, first, hop, power, magnitude, total);
    const fft = new RealFFT(n);
    const buf = new Float64Array(n);
    const re = new Float64Array(bins);
    const im = new Float64Array(bins);
    for (let t = 0; t < frames; t++) {
      for (let i = 0; i < n; i++) {
        const j = first + t * hop + i;
        buf[i] = j >= 0 && j < len ? x[j] * window[i] : 0;
      }
      fft.forward(buf, re, im);
      let sum = 0;
      for (let k = 0; k < bins; k++) {
        const p = re[k] * re[k] + im[k] * im[k];
        sum += p;
        if (power[t * bins + k] !== Math.fround(p) || magnitude[t * bins + k] !== Math.fround(Math.sqrt(p))) {
          throw new Error(`frame ${t} bin ${k}: ${power[t * bins + k]} against ${p}`);
        }
      }
      expect(total[t]).toBe(sum);
    }
  });

  it('keeps its WebAssembly memory the same size for a 1-s and a 60-s signal', () => {
    const window = new Float64Array(512).fill(1);
    const spectra = new PowerSpectra(window);
    const run = (seconds: number) => {
      const x = Float32Array.from(noise(16000 * seconds, seconds));
      const frames = 1 + Math.floor(x.length / 160);
      spectra.frames(x, frames, -256, 160, new Float32Array(frames * 257), new Float32Array(frames * 257), new Float64Array(frames));
      return (spectra as unknown as { half: ComplexFFT }).half.buffer.byteLength;
    };
    const oneSecond = run(1);
    expect(run(60)).toBe(oneSecond);
  });
});

describe('BlockDecimator', () => {
  it.each([
    [1024, 3, -200, 1000],
    [256, 2, 5, 3],
    [64, 4, -300, 10],
    [1024, 3, 2900, 40],
  ])('gives RealFFT.forward, a multiply-add per bin and RealFFT.inverse\'s samples bit for bit (N = %i, factor %i, block from %i)', (n, factor, start, count) => {
    const bins = n / 2 + 1;
    const spectraRe = Array.from({ length: factor }, (_, p) => noise(bins, 100 + p));
    const spectraIm = Array.from({ length: factor }, (_, p) => noise(bins, 200 + p));
    const x = Float32Array.from(noise(3000, 9));
    const fft = new RealFFT(n);
    const sumRe = new Float64Array(bins);
    const sumIm = new Float64Array(bins);
    const seg = new Float64Array(n);
    const re = new Float64Array(bins);
    const im = new Float64Array(bins);
    for (let p = 0; p < factor; p++) {
      for (let i = 0; i < n; i++) {
        const s = start + p + i * factor;
        seg[i] = s >= 0 && s < x.length ? x[s] : 0;
      }
      fft.forward(seg, re, im);
      for (let k = 0; k < bins; k++) {
        sumRe[k] += re[k] * spectraRe[p][k] - im[k] * spectraIm[p][k];
        sumIm[k] += re[k] * spectraIm[p][k] + im[k] * spectraRe[p][k];
      }
    }
    const back = new Float64Array(n);
    fft.inverse(sumRe, sumIm, back);
    const skip = 7;
    const out = new Float32Array(count + 4);
    const blocks = new BlockDecimator(n, spectraRe, spectraIm);
    blocks.block(x, start, skip, count, out, 4);
    expect([...out.subarray(4)]).toEqual([...Float32Array.from(back.subarray(skip, skip + count))]);
    // Twice: nothing of the first block stays in the sums.
    blocks.block(x, start, skip, count, out, 4);
    expect([...out.subarray(4)]).toEqual([...Float32Array.from(back.subarray(skip, skip + count))]);
  });
});

describe('BandSums', () => {
  /** Each band's weighted bins added in order for one frame, as a JavaScript loop over frames would. */
  function expectSums(sums: BandSums, got: Float64Array, power: Float32Array, t0: number, n: number, bins: number, offset: Int32Array, bin: Int32Array, weights: Float64Array): void {
    const bands = offset.length - 1;
    for (let t = 0; t < n; t++) {
      for (let c = 0; c < bands; c++) {
        let want = 0;
        for (let j = offset[c]; j < offset[c + 1]; j++) want += weights[j] * power[(t0 + t) * bins + bin[j]];
        expect(Object.is(got[t * bands + c], want)).toBe(true);
      }
    }
    expect(sums.bands).toBe(bands);
  }

  it('sums each band\'s weighted bins in order, frame by frame, bit for bit (an odd chunk, an empty band, bins out of order)', () => {
    const bins = 9;
    const offset = Int32Array.of(0, 3, 3, 7);
    const bin = Int32Array.of(0, 1, 2, 8, 2, 5, 4);
    const weights = noise(7, 3);
    const sums = new BandSums(offset, bin, weights, bins);
    const frames = 131;
    const power = Float32Array.from(noise(frames * bins, 4), (v) => v * v);
    const t0 = 128;
    expectSums(sums, sums.run(power, t0, frames - t0), power, t0, frames - t0, bins, offset, bin, weights);
  });

  it('is exact for every chunk length (whole and partial groups of four frames) over 257 bins, with two filterbanks sharing the scratch', () => {
    const bins = 257;
    const bands = 13;
    const offset = new Int32Array(bands + 1);
    const binList: number[] = [];
    for (let c = 0; c < bands; c++) {
      // Bands of 0 to ~60 bins anywhere in the row, the first and last bin included.
      for (let k = 0; k < (c * 7) % 61; k++) binList.push((c * 37 + k * 5) % bins);
      if (c === 3) binList.push(0, bins - 1);
      offset[c + 1] = binList.length;
    }
    const bin = Int32Array.from(binList);
    const weights = Float64Array.from(noise(bin.length, 5), Math.abs);
    const a = new BandSums(offset, bin, weights, bins);
    const b = new BandSums(Int32Array.of(0, 2), Int32Array.of(256, 1), Float64Array.of(0.5, 3), bins);
    const frames = 300;
    const power = Float32Array.from(noise(frames * bins, 6), (v) => v * v);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 61, 127, 128]) {
      const t0 = frames - n - (n % 5);
      expectSums(a, a.run(power, t0, n), power, t0, n, bins, offset, bin, weights);
      expectSums(b, b.run(power, n, n), power, n, n, bins, Int32Array.of(0, 2), Int32Array.of(256, 1), Float64Array.of(0.5, 3));
    }
  });
});

describe('WasmKernels.autocorrelation', () => {
  it('gives the 11 lags of a 256-point window bit for bit as one ascending loop per lag', () => {
    const kernels = new WasmKernels(1 << 16);
    const x = new Float64Array(kernels.buffer, 16, 256);
    x.set(noise(256, 77));
    const r = new Float64Array(kernels.buffer, 16 + 8 * 256, 11);
    kernels.autocorrelation(16, 256, 10, 16 + 8 * 256);
    for (let k = 0; k <= 10; k++) {
      let s = 0;
      for (let i = k; i < 256; i++) s += x[i] * x[i - k];
      expect(r[k]).toBe(s);
    }
  });
});
