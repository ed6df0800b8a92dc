// Fast Fourier transforms for the sizes the core uses (512-point frames, the resampler's blocks).
// The butterflies run in WebAssembly with 128-bit SIMD (fft.wat beside this file: radix 4 over
// precomputed twiddles, one complex value per f64x2 lane pair, the bit reversal folded into the first
// pass); for RealFFT, JavaScript moves the samples in and out and does the real-signal split. A real
// transform of N points runs as one complex transform of N/2 points. Nothing is allocated per call.
//
// Whole stages run in the same module where the data can stay in its memory: a spectrogram frame
// (PowerSpectra), a block of the resampler's decimation (BlockDecimator), and the feature kernels that
// need no transform (WasmKernels, BandSums: several frames, lags or coefficients per SIMD vector, each
// lane adding in the order the JavaScript did, so every result is bit-identical to it).
//
// Why not fft.js (used before): at N = 512 it ends in a slow radix-2 pass over plain interleaved
// arrays. The same radix-4 passes in JavaScript took 2.8-3.5 us per 512-point real frame under load;
// in WebAssembly SIMD the passes take about a third of that (the arithmetic is the same, in the same
// order, so the results are bit-identical to the JavaScript version).
import { FFT_WASM } from './fft-wasm.js';
import { compileEmbedded, wasm, type WasmMemory } from './wasm.js';

const fftModule = compileEmbedded(FFT_WASM);
type FftExport = (n: number, radix2: number, twiddles: number, input: number, base: number) => void;
type SpectrumExport = (
  n: number, radix2: number, twiddles: number, input: number, base: number,
  xs: number, win: number, cos: number, sin: number, pw: number, mg: number, pt: number,
) => number;
type DecimateExport = (
  n: number, radix2: number, twiddles: number, input: number, base: number,
  xs: number, xlen: number, start: number, d: number, cos: number, sin: number,
  g: number, acc: number, out: number, skip: number, count: number,
) => void;
/**
 * Complex DFT X[k] = Σ x[n]·e^(−2πikn/N), N a power of two ≥ 4, decimation in time. Write the input
 * (natural order, re/im interleaved) into `input`, call `run()`, read X from `output` (interleaved).
 */
export class ComplexFFT {
  readonly size: number;
  /** 2·size doubles: re, im of each input value, in natural order (a new view after reserve() grows the memory). */
  input: Float64Array;
  /** 2·size doubles: re, im of each bin, after run(). */
  output: Float64Array;
  /** Byte offset of the memory past the transform's own (see reserve()). */
  readonly scratchAt: number;
  private readonly memory: WasmMemory;
  private readonly fft: FftExport;
  private readonly spectrumExport: SpectrumExport;
  private readonly decimateExport: DecimateExport;
  // The first five arguments of every fft.wat kernel that runs this transform (see fft()):
  /** 1 when log2(size) is odd (a radix-2 first pass). */
  readonly radix2: number;
  /** Byte offsets of the twiddles, the input and the bit-reversal table. */
  readonly twiddleAt: number;
  readonly inputAt: number;
  readonly baseAt: number;
  /** The instance's exports: kernels beyond spectrum() and decimate() call theirs with the five above. */
  readonly exports: Record<string, unknown>;

  constructor(size: number) {
    if (!(size >= 4 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two ≥ 4 (got ${size})`);
    this.size = size;
    const bits = Math.log2(size);
    // log2(size) odd: one radix-2 pass first, then radix 4.
    this.radix2 = bits % 2;
    const radix = this.radix2 ? 2 : 4;
    // Memory: output at 0, input, the first pass's bit-reversal table (i32), the twiddles (16-byte aligned).
    this.inputAt = 16 * size;
    this.baseAt = 32 * size;
    const twiddles: number[] = [];
    for (let h = radix; 4 * h <= size; h *= 4) {
      for (let j = 0; j < h; j++) {
        for (let m = 1; m <= 3; m++) {
          const a = (-2 * Math.PI * m * j) / (4 * h);
          // W = (wr, wi) stored as (wr, wr) and (−wi, wi): a·W = a·(wr, wr) + swap(a)·(−wi, wi).
          twiddles.push(Math.cos(a), Math.cos(a), -Math.sin(a), Math.sin(a));
        }
      }
    }
    this.twiddleAt = Math.ceil((this.baseAt + 4 * (size / radix)) / 16) * 16;
    this.scratchAt = this.twiddleAt + 8 * twiddles.length;
    const memory = new wasm.Memory({ initial: Math.ceil(this.scratchAt / 65536) });
    this.memory = memory;
    const exports = new wasm.Instance(fftModule, { env: { memory } }).exports;
    this.exports = exports;
    this.fft = exports.fft as FftExport;
    this.spectrumExport = exports.spectrum as SpectrumExport;
    this.decimateExport = exports.decimate as DecimateExport;
    this.output = new Float64Array(memory.buffer, 0, 2 * size);
    this.input = new Float64Array(memory.buffer, this.inputAt, 2 * size);
    const base = new Uint32Array(memory.buffer, this.baseAt, size / radix);
    for (let i = 0; i < base.length; i++) {
      let r = 0;
      for (let b = 0, v = i * radix; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      base[i] = r;
    }
    new Float64Array(memory.buffer, this.twiddleAt, twiddles.length).set(twiddles);
  }

  /** output = DFT(input). */
  run(): void {
    this.fft(this.size, this.radix2, this.twiddleAt, this.inputAt, this.baseAt);
  }

  /** The memory the transform works in; views on it are lost when reserve() grows it. */
  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /** Grows the memory so that `bytes` past scratchAt fit; input and output are then new views. */
  reserve(bytes: number): void {
    const missing = this.scratchAt + bytes - this.memory.buffer.byteLength;
    if (missing <= 0) return;
    this.memory.grow(Math.ceil(missing / 65536));
    this.output = new Float64Array(this.memory.buffer, 0, 2 * this.size);
    this.input = new Float64Array(this.memory.buffer, this.inputAt, 2 * this.size);
  }

  /**
   * fft.wat's "spectrum" (byte offsets into buffer): run as the half of a real transform of 2·size
   * points, the power of bins 0…size to f32 at pw and f64 at pt, √ of it to f32 at mg; returns Σ power.
   * xs < 0: the input was written; else it is the 2·size f32 samples at xs times the f64 window at win.
   */
  spectrum(xs: number, win: number, cos: number, sin: number, pw: number, mg: number, pt: number): number {
    return this.spectrumExport(this.size, this.radix2, this.twiddleAt, this.inputAt, this.baseAt, xs, win, cos, sin, pw, mg, pt);
  }

  /** fft.wat's "decimate" (byte offsets into buffer): one overlap-save block of BlockDecimator. */
  decimate(xs: number, xlen: number, start: number, d: number, cos: number, sin: number, g: number, acc: number, out: number, skip: number, count: number): void {
    this.decimateExport(this.size, this.radix2, this.twiddleAt, this.inputAt, this.baseAt, xs, xlen, start, d, cos, sin, g, acc, out, skip, count);
  }

  /** Forward transform of (inRe, inIm) into (outRe, outIm), all `size` long. */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const { input, output } = this;
    for (let n = 0; n < this.size; n++) {
      input[2 * n] = inRe[n];
      input[2 * n + 1] = inIm[n];
    }
    this.run();
    for (let k = 0; k < this.size; k++) {
      outRe[k] = output[2 * k];
      outIm[k] = output[2 * k + 1];
    }
  }
}

/**
 * Real DFT of N points through one complex DFT of N/2: z[n] = x[2n] + i·x[2n+1] (which is x itself,
 * read as interleaved pairs), then X[k] = E[k] + W^k·O[k] with E, O the even and odd samples'
 * transforms read off Z[k] and Z[N/2−k]. Bins 0…N/2 come out as separate re/im arrays (N/2 + 1 each).
 */
export class RealFFT {
  readonly size: number;
  /** N/2 + 1: the bins of the half spectrum. */
  readonly bins: number;
  private readonly half: ComplexFFT;
  /** cos and sin of 2πk/N for k ≤ N/4 (W^k = cos − i·sin). */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(size: number) {
    if (!(size >= 8 && (size & (size - 1)) === 0)) throw new RangeError(`real FFT size must be a power of two ≥ 8 (got ${size})`);
    this.size = size;
    this.bins = size / 2 + 1;
    this.half = new ComplexFFT(size / 2);
    this.cos = new Float64Array(size / 4 + 1);
    this.sin = new Float64Array(size / 4 + 1);
    splitTables(size, this.cos, this.sin);
  }

  /** Bins 0…N/2 of the DFT of x (N samples) into outRe/outIm (N/2 + 1 each). */
  forward(x: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.half.input.set(x);
    this.half.run();
    splitHalves(this.half.output, this.size >> 1, this.cos, this.sin, outRe, outIm);
  }

  /**
   * The inverse: N real samples from bins 0…N/2 (the imaginary parts of bins 0 and N/2 are ignored,
   * as for any real signal), scaled by 1/N so that inverse(forward(x)) = x.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, x: Float64Array): void {
    const m = this.size >> 1;
    const { input, output } = this.half;
    joinHalves(inRe, inIm, m, this.cos, this.sin, input);
    // The forward transform of re ↔ im swapped, swapped back, is the inverse (times m).
    this.half.run();
    const scale = 1 / m;
    for (let n = 0; n < m; n++) {
      x[2 * n] = output[2 * n + 1] * scale;
      x[2 * n + 1] = output[2 * n] * scale;
    }
  }
}

/** X[k] and X[m−k] (m = N/2) from Z[k] and Z[m−k] (z interleaved), for k = 0…m/2. */
function splitHalves(z: Float64Array, m: number, cos: Float64Array, sin: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  outRe[0] = z[0] + z[1];
  outIm[0] = 0;
  outRe[m] = z[0] - z[1];
  outIm[m] = 0;
  for (let k = 1; k <= m >> 1; k++) {
    const ar = z[2 * k], ai = z[2 * k + 1];
    const br = z[2 * (m - k)], bi = z[2 * (m - k) + 1];
    // E = (Z[k] + conj Z[m−k])/2, O = (Z[k] − conj Z[m−k])/(2i).
    const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
    const or = 0.5 * (ai + bi), oi = -0.5 * (ar - br);
    // T = W^k·O, W^k = cos − i·sin.
    const c = cos[k], s = sin[k];
    const tr = or * c + oi * s, ti = oi * c - or * s;
    outRe[k] = er + tr;
    outIm[k] = ei + ti;
    // X[m−k] = conj(E − T).
    outRe[m - k] = er - tr;
    outIm[m - k] = ti - ei;
  }
}

/**
 * Z[k] = E[k] + i·O[k] for k < m from the half spectrum X, with E[k] = (X[k] + conj X[m−k])/2 and
 * O[k] = (X[k] − conj X[m−k])·W^−k/2; then Z[m−k] = conj E[k] + i·conj O[k] (E, O transform real
 * sequences). Written to z interleaved with re and im swapped (for the inverse through a forward run).
 */
function joinHalves(inRe: Float64Array, inIm: Float64Array, m: number, cos: Float64Array, sin: Float64Array, z: Float64Array): void {
  for (let k = 0; k <= m >> 1; k++) {
    const ar = inRe[k], ai = k === 0 ? 0 : inIm[k];
    const br = inRe[m - k], bi = k === 0 ? 0 : inIm[m - k];
    const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
    const dr = 0.5 * (ar - br), di = 0.5 * (ai + bi);
    // W^−k = cos + i·sin.
    const c = cos[k], s = sin[k];
    const or = dr * c - di * s, oi = dr * s + di * c;
    z[2 * k] = ei + or;
    z[2 * k + 1] = er - oi;
    if (k > 0) {
      z[2 * (m - k)] = or - ei;
      z[2 * (m - k) + 1] = er + oi;
    }
  }
}

/** cos and sin of 2πk/N for k ≤ N/4 (the split's weights, W^k = cos − i·sin), exact at a quarter turn, into cos/sin. */
export function splitTables(size: number, cos: Float64Array, sin: Float64Array): void {
  for (let k = 0; k <= size / 4; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  // Exact at a quarter turn, so bin N/4 comes out the same from either half that writes it.
  cos[size / 4] = 0;
  sin[size / 4] = 1;
}

/**
 * Integer decimation by `factor` as an FFT convolution of its polyphase branches (overlap-save), each
 * block wholly in WebAssembly (fft.wat's "decimate"): gathering each branch, the transforms, the
 * products with the branch filters' spectra and their sum, the inverse. The same operations in the
 * same order as RealFFT.forward, acc += X·G per bin (re·gr − im·gi, re·gi + im·gr) and RealFFT.inverse,
 * so the same output bit for bit as those in JavaScript.
 */
export class BlockDecimator {
  readonly size: number;
  readonly factor: number;
  private readonly half: ComplexFFT;
  private readonly cosAt: number;
  private readonly sinAt: number;
  private readonly filterAt: number;
  private readonly accAt: number;
  private readonly signalAt: number;
  private readonly outAt: number;

  /** Branch p's filter: the half spectrum (bins 0…size/2) spectraRe[p], spectraIm[p] of its taps. */
  constructor(size: number, spectraRe: Float64Array[], spectraIm: Float64Array[]) {
    this.size = size;
    this.factor = spectraRe.length;
    const bins = size / 2 + 1;
    this.half = new ComplexFFT(size / 2);
    const quarter = size / 4 + 1;
    this.cosAt = this.half.scratchAt;
    this.sinAt = this.cosAt + 8 * quarter;
    this.filterAt = this.sinAt + 8 * quarter;
    this.accAt = this.filterAt + 16 * bins * this.factor;
    this.signalAt = this.accAt + 16 * bins;
    // A block reads factor·size samples and writes at most size outputs.
    this.outAt = this.signalAt + 4 * this.factor * size;
    this.half.reserve(this.outAt + 4 * size - this.half.scratchAt);
    const buffer = this.half.buffer;
    splitTables(size, new Float64Array(buffer, this.cosAt, quarter), new Float64Array(buffer, this.sinAt, quarter));
    for (let p = 0; p < this.factor; p++) {
      new Float64Array(buffer, this.filterAt + 16 * bins * p, bins).set(spectraRe[p]);
      new Float64Array(buffer, this.filterAt + 16 * bins * p + 8 * bins, bins).set(spectraIm[p]);
    }
  }

  /** Bytes of its WebAssembly memory (filters, tables and work space). */
  get bytes(): number {
    return this.half.buffer.byteLength;
  }

  /**
   * One block: with branch p's segment x[start + p + i·factor] (i < size, zero outside x), the
   * inverse transform of Σ_p segment spectrum × filter spectrum; its samples skip…skip+count−1 (≤ size) go to out[at…].
   */
  block(x: Float32Array, start: number, skip: number, count: number, out: Float32Array, at: number): void {
    const { half, factor, size } = this;
    const buffer = half.buffer;
    // The samples this block reads that lie inside x, copied into the memory.
    const from = Math.max(0, start);
    const to = Math.min(x.length, start + factor * size);
    if (to > from) new Float32Array(buffer, this.signalAt, to - from).set(x.subarray(from, to));
    half.decimate(this.signalAt, Math.max(0, to - from), start - from, factor, this.cosAt, this.sinAt, this.filterAt, this.accAt, this.outAt, skip, count);
    out.set(new Float32Array(buffer, this.outAt, count), at);
  }
}

/** Frames PowerSpectra.frames() keeps in the WebAssembly memory at once. */
const CHUNK = 128;

/**
 * Windowed power spectra of frames of one signal, the whole frame in WebAssembly (fft.wat's
 * "spectrum"): windowing, the transform, the split into bins and |X|², √ and float32 rounding, with
 * the signal and the results in the transform's memory. The same numbers as RealFFT.forward followed
 * by re² + im² per bin, bit for bit.
 */
export class PowerSpectra {
  readonly size: number;
  readonly bins: number;
  private readonly half: ComplexFFT;
  private readonly window: Float64Array;
  // Byte offsets in the memory: window, cos, sin, the f64 power of one frame, then per call the signal and the results.
  private readonly winAt: number;
  private readonly cosAt: number;
  private readonly sinAt: number;
  private readonly powerAt: number;
  private readonly signalAt: number;

  constructor(window: Float64Array) {
    const size = window.length;
    if (!(size >= 8 && (size & (size - 1)) === 0)) throw new RangeError(`power spectrum size must be a power of two ≥ 8 (got ${size})`);
    this.size = size;
    this.bins = size / 2 + 1;
    this.window = window;
    this.half = new ComplexFFT(size / 2);
    const quarter = size / 4 + 1;
    this.winAt = this.half.scratchAt;
    this.cosAt = this.winAt + 8 * size;
    this.sinAt = this.cosAt + 8 * quarter;
    this.powerAt = this.sinAt + 8 * quarter;
    this.signalAt = this.powerAt + 8 * this.bins;
    this.half.reserve(this.signalAt - this.winAt);
    const buffer = this.half.buffer;
    new Float64Array(buffer, this.winAt, size).set(window);
    splitTables(size, new Float64Array(buffer, this.cosAt, quarter), new Float64Array(buffer, this.sinAt, quarter));
  }

  /**
   * Frame t < frames covers x[first + t·hop …] (size samples, zero outside x), times the window:
   * its |X|² into power and |X| into magnitude (row t, `bins` each), and Σ|X|² over its bins into total[t].
   */
  frames(x: Float32Array, frames: number, first: number, hop: number, power: Float32Array, magnitude: Float32Array, total: Float64Array): void {
    const { size, bins, half } = this;
    // CHUNK frames at a time, so the memory (which never shrinks) stays ~0.4 MB whatever the clip's length.
    const cells = CHUNK * bins;
    const powerAt = this.signalAt + 4 * ((CHUNK - 1) * hop + size);
    const magnitudeAt = powerAt + 4 * cells;
    half.reserve(magnitudeAt + 4 * cells - half.scratchAt);
    const buffer = half.buffer;
    for (let t0 = 0; t0 < frames; t0 += CHUNK) {
      const t1 = Math.min(frames, t0 + CHUNK);
      // The chunk's samples inside x, copied once: from, to.
      const from = Math.max(0, first + t0 * hop);
      const to = Math.min(x.length, first + (t1 - 1) * hop + size);
      if (to > from) new Float32Array(buffer, this.signalAt, to - from).set(x.subarray(from, to));
      for (let t = t0; t < t1; t++) {
        const start = first + t * hop;
        const row = 4 * (t - t0) * bins;
        let xs = -1;
        if (start >= 0 && start + size <= x.length) xs = this.signalAt + 4 * (start - from);
        else this.edgeFrame(x, start);
        total[t] = half.spectrum(xs, this.winAt, this.cosAt, this.sinAt, powerAt + row, magnitudeAt + row, this.powerAt);
      }
      const n = (t1 - t0) * bins;
      power.set(new Float32Array(buffer, powerAt, n), t0 * bins);
      magnitude.set(new Float32Array(buffer, magnitudeAt, n), t0 * bins);
    }
  }

  /** A frame reaching past either end of x: written into the input here, zeros outside x. */
  private edgeFrame(x: Float32Array, start: number): void {
    const input = this.half.input;
    const window = this.window;
    for (let i = 0; i < this.size; i++) {
      const j = start + i;
      input[i] = j >= 0 && j < x.length ? x[j] * window[i] : 0;
    }
  }
}

type ShapeExport = (mg: number, pw: number, frames: number, bins: number, fq: number, fq2: number, amin: number, out: number, b50: number, b1k: number, b2k: number, b5k: number, roll: number, cum: number) => void;
type Deltas9Export = (x: number, n: number, norm: number, out: number) => void;
type DctExport = (lm: number, frames: number, nm: number, bt: number, out: number) => void;
type RootsExport = (a: number, re: number, im: number, p: number, max: number) => number;
type AutocorrelationExport = (x: number, n: number, order: number, r: number) => void;

/**
 * fft.wat's kernels that need no transform (spectral shape, filterbank sums, contrast band means, the
 * MFCCs' DCT, deltas, LPC autocorrelation and roots) in one memory of a fixed size: each caller takes
 * a region of it for good with region() and addresses it by byte offsets. It never grows, so views on
 * it stay valid (every WebAssembly memory also reserves ~10 GB of address space, so the features share one).
 */
export class WasmKernels {
  private readonly memory: WasmMemory;
  private readonly shapeExport: ShapeExport;
  private readonly autocorrelationExport: AutocorrelationExport;
  private readonly rootsExport: RootsExport;
  private readonly dctExport: DctExport;
  private readonly deltas9Export: Deltas9Export;

  /** Bytes 0…15 stay free: the autocorrelation reads before its window. */
  private end = 16;
  /** The instance's exports, for kernels typed where they are used (the end of this file). */
  readonly exports: Record<string, unknown>;

  constructor(bytes: number) {
    this.memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) });
    const exports = new wasm.Instance(fftModule, { env: { memory: this.memory } }).exports;
    this.exports = exports;
    this.shapeExport = exports.shape as ShapeExport;
    this.autocorrelationExport = exports.autocorrelation as AutocorrelationExport;
    this.rootsExport = exports.roots as RootsExport;
    this.dctExport = exports.dct as DctExport;
    this.deltas9Export = exports.deltas9 as Deltas9Export;
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /** The byte offset (16-byte aligned) of `bytes` of the memory that are the caller's alone from now on. */
  region(bytes: number): number {
    const at = Math.ceil(this.end / 16) * 16;
    if (at + bytes > this.memory.buffer.byteLength) throw new RangeError(`WasmKernels: ${bytes} more bytes do not fit its fixed memory`);
    this.end = at + bytes;
    return at;
  }

  /** fft.wat's "shape": per-frame sums, band peaks and roll-off bins of magnitude and power rows (see there), at byte offsets. */
  shape(mg: number, pw: number, frames: number, bins: number, fq: number, fq2: number, amin: number, out: number,
    b50: number, b1k: number, b2k: number, b5k: number, roll: number, cum: number): void {
    this.shapeExport(mg, pw, frames, bins, fq, fq2, amin, out, b50, b1k, b2k, b5k, roll, cum);
  }

  /** fft.wat's "autocorrelation" (order 10; 16 bytes of memory before x), at byte offsets. */
  autocorrelation(x: number, n: number, order: number, r: number): void {
    this.autocorrelationExport(x, n, order, r);
  }

  /** fft.wat's "roots": Durand–Kerner sweeps on a polynomial of degree p ≥ 2 (see there); true when they settled. */
  roots(a: number, re: number, im: number, p: number, maxSweeps: number): boolean {
    return this.rootsExport(a, re, im, p, maxSweeps) === 1;
  }

  /** fft.wat's "dct": 20 coefficients per frame from f32 rows of nm bands and a transposed basis (see there), at byte offsets. */
  dct(lm: number, frames: number, nm: number, bt: number, out: number): void {
    this.dctExport(lm, frames, nm, bt, out);
  }

  /** fft.wat's "deltas9": 9-frame regression deltas of one f32 row's interior (see there), at byte offsets. */
  deltas9(x: number, n: number, norm: number, out: number): void {
    this.deltas9Export(x, n, norm, out);
  }
}

/** The kernels' memory the feature stages share (their regions add up to ~0.9 MB). */
export const featureKernels = new WasmKernels(2 << 20);

/**
 * A filterbank over power spectrogram rows: band c sums weights[j]·power[bin[j]] for j in
 * offset[c]…offset[c+1]−1, adding in j order (fft.wat's "bands4", four frames per pair of SIMD vectors,
 * on the rows regrouped by "transpose4" so that a bin's four values are one load).
 */
export class BandSums {
  /** Frames per run(): the memory holds one chunk's rows and their regrouped copy (~0.26 MB for 257 bins, any clip length). */
  static readonly CHUNK = 128;
  readonly bands: number;
  private readonly bins: number;
  private readonly scratch: BandScratch;
  private readonly offsetAt: number;
  private readonly binAt: number;
  private readonly weightAt: number;
  private readonly outAt: number;
  private readonly out: Float64Array;

  constructor(offset: Int32Array, bin: Int32Array, weights: Float64Array, bins: number) {
    this.bands = offset.length - 1;
    this.bins = bins;
    this.scratch = bandScratch(bins);
    const binAt = 4 * offset.length;
    const weightAt = Math.ceil((binAt + 4 * bin.length) / 8) * 8;
    const outAt = weightAt + 8 * weights.length;
    this.offsetAt = featureKernels.region(outAt + 8 * BandSums.CHUNK * this.bands);
    this.binAt = this.offsetAt + binAt;
    this.weightAt = this.offsetAt + weightAt;
    this.outAt = this.offsetAt + outAt;
    const buffer = featureKernels.buffer;
    new Int32Array(buffer, this.offsetAt, offset.length).set(offset);
    // bands4 reads a bin's four frames at byte bin·16 of a group.
    new Int32Array(buffer, this.binAt, bin.length).set(bin.map((b) => 16 * b));
    new Float64Array(buffer, this.weightAt, weights.length).set(weights);
    this.out = new Float64Array(buffer, this.outAt, BandSums.CHUNK * this.bands);
  }

  /** The sums of frames t0…t0+n−1 (n ≤ CHUNK) of power (rows of `bins`): sums[(t − t0)·bands + c], valid until the next run. */
  run(power: Float32Array, t0: number, n: number): Float64Array {
    this.load(power, t0, n);
    return this.sums(n);
  }

  /** Puts frames t0…t0+n−1 (n ≤ CHUNK) of power in the scratch, where every BandSums of as many bins finds them for sums(). */
  load(power: Float32Array, t0: number, n: number): void {
    const { bins, scratch } = this;
    scratch.rows.set(power.subarray(t0 * bins, (t0 + n) * bins));
    transpose4(scratch.rowsAt, n, bins, scratch.groupsAt);
  }

  /** run()'s sums of the n frames the last load() of a BandSums of as many bins put in the scratch. */
  sums(n: number): Float64Array {
    const { bins, scratch } = this;
    bands4(scratch.groupsAt, n, bins, this.bands, this.offsetAt, this.binAt, this.weightAt, this.outAt);
    return this.out;
  }
}

/** One chunk's power rows and their regrouped copy, shared by every BandSums of that many bins (runs never overlap). */
interface BandScratch {
  rowsAt: number;
  rows: Float32Array;
  groupsAt: number;
}

const bandScratches = new Map<number, BandScratch>();

function bandScratch(bins: number): BandScratch {
  let s = bandScratches.get(bins);
  if (!s) {
    const rowsAt = featureKernels.region(4 * BandSums.CHUNK * bins);
    s = { rowsAt, rows: new Float32Array(featureKernels.buffer, rowsAt, BandSums.CHUNK * bins), groupsAt: featureKernels.region(4 * BandSums.CHUNK * bins) };
    bandScratches.set(bins, s);
  }
  return s;
}

const shared = new Map<number, RealFFT>();

/**
 * One RealFFT per size for the whole process: each owns a WebAssembly memory (which also reserves
 * address space), a transform keeps no state between calls, and calls never overlap (one thread).
 */
export function realFFT(size: number): RealFFT {
  let fft = shared.get(size);
  if (!fft) {
    fft = new RealFFT(size);
    shared.set(size, fft);
  }
  return fft;
}

// ---- an1: the voice-quality cepstrum and pitch kernels ----

type CppExport = (
  n: number, radix2: number, tw: number, input: number, base: number,
  c: number, fs: number, fc: number, cs: number, sn: number, xs: number, re: number, im: number, y: number,
  pw: number, rows: number, count: number, db: number, floor: number, qMin: number, qMax: number, qMean: number, qVar: number, out: number,
) => void;
type LogsExport = (c: number, x: number, n: number, out: number) => void;

/**
 * Cepstral peak prominence of power spectrogram rows, wholly in WebAssembly (fft.wat's "cpp"): the dB
 * spectrum (its logarithms computed as V8's Math.log computes them, two per SIMD vector), the
 * cepstrum as a DCT-I through a real transform of half the frame, and the peak over the line fitted
 * through the quefrency range. The same operations in the same order as the JavaScript it replaced,
 * so every value is bit-identical to it.
 */
export class CepstralPeaks {
  /** Frames one call copies into the memory at most. */
  static readonly CHUNK = 128;
  /** Bins per row: size + 1. */
  readonly bins: number;
  private readonly qMin: number;
  private readonly qMax: number;
  private readonly qMean: number;
  private readonly qVar: number;
  private readonly scale: number;
  private readonly floor: number;
  private readonly half: ComplexFFT;
  private readonly cpp: CppExport;
  private readonly logsExport: LogsExport;
  // Byte offsets in the memory.
  private readonly constAt: number;
  private readonly foldSinAt: number;
  private readonly foldCosAt: number;
  private readonly cosAt: number;
  private readonly sinAt: number;
  private readonly xAt: number;
  private readonly reAt: number;
  private readonly imAt: number;
  private readonly yAt: number;
  private readonly rowsAt: number;
  private readonly outAt: number;
  private readonly powerAt: number;

  /**
   * Rows of size + 1 power bins (size = FRAME_LENGTH/2): ln of (power + floor) times `scale` is the dB
   * spectrum; the peak is sought over quefrencies qMin…qMax − 1 (qMax ≤ size).
   */
  constructor(size: number, qMin: number, qMax: number, scale: number, floor: number) {
    if (!(size >= 16 && (size & (size - 1)) === 0 && qMin >= 0 && qMax > qMin && qMax <= size)) {
      throw new RangeError(`CepstralPeaks: bad size ${size} or quefrency range ${qMin}…${qMax}`);
    }
    this.bins = size + 1;
    this.qMin = qMin;
    this.qMax = qMax;
    this.qMean = (qMin + qMax - 1) / 2;
    let qVar = 0;
    for (let q = qMin; q < qMax; q++) qVar += (q - this.qMean) ** 2;
    this.qVar = qVar;
    this.scale = scale;
    this.floor = floor;
    this.half = new ComplexFFT(size / 2);
    const fold = size / 2 + 1;
    const quarter = size / 4 + 1;
    this.constAt = this.half.scratchAt;
    this.foldSinAt = this.constAt + 512;
    this.foldCosAt = this.foldSinAt + 8 * fold;
    this.cosAt = this.foldCosAt + 8 * fold;
    this.sinAt = this.cosAt + 8 * quarter;
    this.xAt = Math.ceil((this.sinAt + 8 * quarter) / 16) * 16;
    this.reAt = this.xAt + 8 * (size + 2);
    this.imAt = this.reAt + 8 * fold;
    this.yAt = this.imAt + 8 * fold;
    this.outAt = this.yAt + 8 * size;
    this.rowsAt = this.outAt + 8 * CepstralPeaks.CHUNK;
    this.powerAt = this.rowsAt + 4 * CepstralPeaks.CHUNK;
    this.half.reserve(this.powerAt + 4 * CepstralPeaks.CHUNK * this.bins - this.half.scratchAt);
    const own = this.half.exports;
    this.cpp = own.cpp as CppExport;
    this.logsExport = own.logs as LogsExport;
    (own.logConstants as (c: number) => void)(this.constAt);
    const buffer = this.half.buffer;
    const foldSin = new Float64Array(buffer, this.foldSinAt, fold);
    const foldCos = new Float64Array(buffer, this.foldCosAt, fold);
    for (let j = 0; j < fold; j++) {
      foldSin[j] = Math.sin((Math.PI * j) / size);
      foldCos[j] = Math.cos((Math.PI * j) / size);
    }
    splitTables(size, new Float64Array(buffer, this.cosAt, quarter), new Float64Array(buffer, this.sinAt, quarter));
  }

  /** out[t] = the cepstral peak prominence of row t of power, for the `count` frames t listed first in `frames` (ascending). */
  run(power: Float32Array, frames: Int32Array, count: number, out: Float32Array): void {
    const { bins, half } = this;
    const buffer = half.buffer;
    const rows = new Int32Array(buffer, this.rowsAt, CepstralPeaks.CHUNK);
    const results = new Float64Array(buffer, this.outAt, CepstralPeaks.CHUNK);
    for (let i = 0; i < count; ) {
      // The listed frames within CHUNK rows of the first: their rows are copied in one piece.
      const t0 = frames[i];
      let n = 0;
      while (i + n < count && frames[i + n] < t0 + CepstralPeaks.CHUNK) {
        rows[n] = frames[i + n] - t0;
        n++;
      }
      const t1 = frames[i + n - 1] + 1;
      new Float32Array(buffer, this.powerAt, (t1 - t0) * bins).set(power.subarray(t0 * bins, t1 * bins));
      this.cpp(
        half.size, half.radix2, half.twiddleAt, half.inputAt, half.baseAt,
        this.constAt, this.foldSinAt, this.foldCosAt, this.cosAt, this.sinAt, this.xAt, this.reAt, this.imAt, this.yAt,
        this.powerAt, this.rowsAt, n, this.scale, this.floor, this.qMin, this.qMax, this.qMean, this.qVar, this.outAt,
      );
      for (let j = 0; j < n; j++) out[frames[i + j]] = results[j];
      i += n;
    }
  }

  /** ln x for each x, through the kernel's logarithm (for the tests: it must equal Math.log bit for bit). */
  logs(x: Float64Array): Float64Array {
    const out = new Float64Array(x.length);
    const buffer = this.half.buffer;
    // Through the power rows' space, half for the input and half for the output.
    const n = Math.floor((CepstralPeaks.CHUNK * this.bins) / 4) & ~1;
    const input = new Float64Array(buffer, this.powerAt, n);
    const output = new Float64Array(buffer, this.powerAt + 8 * n, n);
    for (let i = 0; i < x.length; i += n) {
      const m = Math.min(n, x.length - i);
      input.set(x.subarray(i, i + m));
      this.logsExport(this.constAt, this.powerAt, m, this.powerAt + 8 * n);
      out.set(output.subarray(0, m), i);
    }
    return out;
  }
}

type PitchStepExport = (par: number, dA: number, eA: number, dB: number, eB: number, hasB: number, step: number) => void;
type HalfbandExport = (xs: number, count: number, h: number, xe: number, xo: number, out: number) => void;
type PrefixSquaresExport = (x: number, n: number, acc: number, out: number) => number;
type PitchPeaksExport = (
  rows: number, stride: number, second: number, step: number, lagMin: number, lagMax: number, rate: number, unvoiced: number,
  octave: number, f0: number, st: number, count: number, peak: number,
) => void;
type PitchPathExport = (
  count: number, joined: number, f0: number, st: number, score: number, from: number, n: number, jump: number, voicing: number, out: number,
) => void;

/** The geometry of pitch.ts's steps (in samples of its decimated signal) and how a step's peaks become candidates. */
export interface PitchGeometry {
  /** Samples correlated per step. */
  window: number;
  /** Samples of the step's span: the window and every lag (window + highest lag + 1). */
  span: number;
  /** The NCCF is wanted at lags lo…hi; its peaks are looked for at lo + 1…hi − 1. */
  lo: number;
  hi: number;
  /** A window-energy product at or below this gives an NCCF of 0. */
  tiny: number;
  /** Samples per second of the decimated signal: a peak at lag L is F0 = rate / L. */
  rate: number;
  /** The unvoiced candidate's strength. */
  unvoiced: number;
  /** Strength added per octave of lag shorter than hi − 1 (so that the shortest of equal periods wins). */
  octaveCost: number;
}

/** Candidates per step: the unvoiced one and up to five NCCF peaks (fft.wat's "pitchPeaks" and "pitchPath" hold six). */
export const PITCH_CANDIDATES = 6;

/**
 * pitch.ts's kernels in WebAssembly, in one memory: the NCCF of two steps at a time (fft.wat's
 * "pitchPair": both steps' windows and spans packed as the real and imaginary parts of two transforms,
 * the spectra separated, cross-multiplied and transformed back — bins k and −k in the two lanes of a
 * vector — then each lag's correlation over the lagged windows' energy, two lags per vector), each step's
 * peaks as its F0 candidates ("pitchPeaks"), the best path through them ("pitchPath", pitch-path.ts), and the
 * 23-tap half-band filter before its 2:1 decimation ("halfband", two outputs per vector). Each value is
 * computed as pitch.ts computed it in JavaScript, in the same order (Math.log2 too: fft.wat's port of V8's),
 * so the results are bit-identical.
 */
export class PitchKernels {
  /** Outputs one halfband call makes at most. */
  static readonly BLOCK = 4096;
  /** Decimated samples (and their prefix sums) held at once for pair(): ~2 s at 8 kHz. */
  static readonly WINDOW = 1 << 14;
  /** Steps the memory first holds candidates for (20 s at 20 ms); a longer clip grows it (path()). */
  private static readonly FIRST_STEPS = 1024;
  /** After pair(): the NCCF of its first and second step at [lag], lo ≤ lag ≤ hi. */
  nccfA!: Float64Array;
  nccfB!: Float64Array;
  /** Per step (after path(steps)): its candidates' count, F0 (0 = unvoiced) and strength, PITCH_CANDIDATES places each. */
  count!: Uint8Array;
  candidateF0!: Float64Array;
  candidateStrength!: Float64Array;
  /** Per step (after path()): 1 if it directly follows the step before (set by the caller before bestPath()). */
  joined!: Uint8Array;
  /** Per step (after pair()): the highest NCCF peak (0…1). */
  peak!: Float64Array;
  /** Per step (after bestPath()): the F0 of the best path, 0 where unvoiced. */
  best!: Float64Array;
  private readonly g: PitchGeometry;
  private readonly half: ComplexFFT;
  private readonly pitchStep: PitchStepExport;
  private readonly halfbandExport: HalfbandExport;
  private readonly prefixSquaresExport: PrefixSquaresExport;
  private readonly peaksExport: PitchPeaksExport;
  private readonly pathExport: PitchPathExport;
  private readonly spansAt: number;
  private readonly crossAt: number;
  private readonly spectrumAt: number;
  private readonly rowsAt: number;
  private readonly zerosAt: number;
  private readonly windowAt: number;
  private readonly windowEnergyAt: number;
  private readonly spareAt: number;
  private readonly spareEnergyAt: number;
  private readonly tapsAt: number;
  private readonly samplesAt: number;
  private readonly evenAt: number;
  private readonly oddAt: number;
  private readonly outAt: number;
  /** pitchStep's arguments that stay the same from pair to pair (see fft.wat), written by path(). */
  private readonly parAt: number;
  /** Where the steps' candidates begin; their layout depends on `capacity` (see path()). */
  private readonly stepsAt: number;
  private capacity = 0;
  private f0At = 0;
  private strengthAt = 0;
  private scoreAt = 0;
  private peakAt = 0;
  private bestAt = 0;
  private fromAt = 0;
  private countAt = 0;
  private joinedAt = 0;
  private windowSamples!: Float32Array;
  private windowEnergy!: Float64Array;
  private spareSamples!: Float32Array;
  private spareEnergy!: Float64Array;
  private blockSamples!: Float32Array;
  private blockSums!: Float64Array;
  /** First sample the window holds; −∞ when it holds nothing of the current signal. */
  private windowStart = -Infinity;
  // Byte offsets of each step's span and prefix sums for the next pitchPair call.
  private dA = 0;
  private eA = 0;
  private dB = 0;
  private eB = 0;

  /** `taps`: the half-band filter's h0, h1, h3, h5 … h11 (the other odd-offset taps are zero). */
  constructor(size: number, taps: Float64Array, geometry: PitchGeometry) {
    const { window, span, lo, hi } = geometry;
    if (taps.length !== 7) throw new RangeError(`PitchKernels: 7 taps (h0, h1, h3 … h11), got ${taps.length}`);
    if (!(window % 2 === 0 && window <= span && span <= size && lo >= 0 && hi + window <= span)) {
      throw new RangeError('PitchKernels: window, span and lags do not fit');
    }
    this.g = geometry;
    this.half = new ComplexFFT(size);
    const block = PitchKernels.BLOCK;
    const win = PitchKernels.WINDOW;
    this.spansAt = this.half.scratchAt;
    this.crossAt = this.spansAt + 16 * size;
    this.spectrumAt = this.crossAt + 16 * size;
    this.rowsAt = this.spectrumAt + 16 * size;
    const align = (at: number) => Math.ceil(at / 16) * 16;
    this.zerosAt = this.rowsAt + 16 * (hi + 2);
    this.windowAt = align(this.zerosAt + 4 * (span + 4));
    this.windowEnergyAt = align(this.windowAt + 4 * (win + 4));
    this.spareAt = align(this.windowEnergyAt + 8 * (win + 2));
    this.spareEnergyAt = align(this.spareAt + 4 * (span + 4));
    this.tapsAt = align(this.spareEnergyAt + 8 * (span + 2));
    this.samplesAt = this.tapsAt + 64;
    // A block reads 2·BLOCK + 24 samples, its split writes BLOCK + 13 values per row, two outputs at a time.
    this.evenAt = this.samplesAt + 4 * (2 * block + 32);
    this.oddAt = this.evenAt + 8 * (block + 16);
    this.outAt = this.oddAt + 8 * (block + 16);
    this.parAt = align(this.outAt + 4 * (block + 2));
    this.stepsAt = this.parAt + 112;
    this.pitchStep = this.half.exports.pitchStep as PitchStepExport;
    this.halfbandExport = this.half.exports.halfband as HalfbandExport;
    this.prefixSquaresExport = this.half.exports.prefixSquares as PrefixSquaresExport;
    this.peaksExport = this.half.exports.pitchPeaks as PitchPeaksExport;
    this.pathExport = this.half.exports.pitchPath as PitchPathExport;
    this.path(PitchKernels.FIRST_STEPS);
    new Float64Array(this.half.buffer, this.tapsAt, 7).set(taps);
  }

  /**
   * Makes room for the candidates of `steps` steps (growing the memory if they do not fit: the views
   * above are then new) and clears nothing: pair() writes every step's candidates.
   */
  path(steps: number): void {
    if (steps <= this.capacity) return;
    const n = Math.max(steps, 2 * this.capacity);
    this.capacity = n;
    const c = PITCH_CANDIDATES;
    // f64 arrays first (aligned), then the bytes.
    this.f0At = this.stepsAt;
    this.strengthAt = this.f0At + 8 * c * n;
    this.scoreAt = this.strengthAt + 8 * c * n;
    this.peakAt = this.scoreAt + 8 * c * n;
    this.bestAt = this.peakAt + 8 * n;
    this.fromAt = this.bestAt + 8 * n;
    this.countAt = this.fromAt + c * n;
    this.joinedAt = this.countAt + n;
    this.half.reserve(this.joinedAt + n - this.half.scratchAt);
    this.views();
    // Few arguments per call: an interpreted caller's call into WebAssembly costs about as much per argument as per call.
    const { half, g } = this;
    new Int32Array(this.half.buffer, this.parAt, 17).set([
      half.size, half.radix2, half.twiddleAt, half.inputAt, half.baseAt, this.spansAt, this.crossAt, this.spectrumAt,
      g.window, g.span, g.lo, g.hi, this.rowsAt, this.f0At, this.strengthAt, this.countAt, this.peakAt,
    ]);
    new Float64Array(this.half.buffer, this.parAt + 72, 4).set([g.tiny, g.rate, g.unvoiced, g.octaveCost]);
  }

  /** (Re)makes every view on the memory: a grown memory has a new buffer. */
  private views(): void {
    const buffer = this.half.buffer;
    const { hi, span } = this.g;
    const win = PitchKernels.WINDOW;
    const n = this.capacity;
    this.nccfA = new Float64Array(buffer, this.rowsAt, hi + 1);
    // Rows of hi + 2: two lags per vector, so an odd count writes lag hi + 1 too.
    this.nccfB = new Float64Array(buffer, this.rowsAt + 8 * (hi + 2), hi + 1);
    this.windowSamples = new Float32Array(buffer, this.windowAt, win);
    this.windowEnergy = new Float64Array(buffer, this.windowEnergyAt, win + 1);
    this.spareSamples = new Float32Array(buffer, this.spareAt, span);
    this.spareEnergy = new Float64Array(buffer, this.spareEnergyAt, span + 1);
    // prefixSquares' BLOCK samples and their BLOCK sums: the halfband's input and its first split row.
    this.blockSamples = new Float32Array(buffer, this.samplesAt, PitchKernels.BLOCK);
    this.blockSums = new Float64Array(buffer, this.evenAt, PitchKernels.BLOCK);
    this.candidateF0 = new Float64Array(buffer, this.f0At, PITCH_CANDIDATES * n);
    this.candidateStrength = new Float64Array(buffer, this.strengthAt, PITCH_CANDIDATES * n);
    this.peak = new Float64Array(buffer, this.peakAt, n);
    this.best = new Float64Array(buffer, this.bestAt, n);
    this.count = new Uint8Array(buffer, this.countAt, n);
    this.joined = new Uint8Array(buffer, this.joinedAt, n);
  }

  /** A new signal: what the window holds is stale. */
  reset(): void {
    this.windowStart = -Infinity;
  }

  /**
   * nccfA and nccfB of the steps whose spans start at d[startA] and d[startB] (startB null: no second
   * step, nccfB is left as it was), and their candidates and peaks as steps `step` and `step` + 1 (see
   * peaks()). `energy` holds d's prefix sums of squares (d.length + 1 of them). Samples outside d count
   * as zeros, and sums past either end as the sum up to that end. path() must have made room for the steps.
   */
  pair(d: Float32Array, energy: Float64Array, startA: number, startB: number | null, step: number): void {
    this.place(d, energy, startA, 0);
    if (startB === null) {
      this.dB = this.zerosAt;
      this.eB = this.zerosAt;
    } else {
      this.place(d, energy, startB, 1);
    }
    this.pitchStep(this.parAt, this.dA, this.eA, this.dB, this.eB, startB === null ? 0 : 1, step);
  }

  /**
   * Step `step`'s candidates from nccfA (and, when `second`, step `step` + 1's from nccfB), as pitch.ts's
   * JavaScript picked them: every peak of the NCCF (y0 > 0, ≥ the lag before, > the lag after) at lags
   * lo + 1…hi − 1, placed by parabolic interpolation at lag + δ, worth its interpolated height (at most 1) plus
   * octaveCost·log2((hi − 1)/(lag + δ)); the unvoiced candidate (F0 0, strength `unvoiced`) first, then the
   * strongest five in order of strength, F0 = rate/(lag + δ). peak[step] is the highest height (0 without a peak).
   */
  peaks(step: number, second: boolean): void {
    const { g } = this;
    this.peaksExport(
      this.rowsAt, 8 * (g.hi + 2), second ? 1 : 0, step, g.lo + 1, g.hi - 1, g.rate, g.unvoiced, g.octaveCost,
      this.f0At, this.strengthAt, this.countAt, this.peakAt,
    );
  }

  /**
   * best[0…steps) = the F0 per step of the path through the candidates maximising Σ strength − Σ costs: a
   * joined step pays `jump`·|log2(F0 ratio)| between voiced candidates and `voicing` between voiced and unvoiced;
   * after a gap (joined 0) the best score so far carries over at no cost. Ties keep the first candidate.
   */
  bestPath(steps: number, jump: number, voicing: number): Float64Array {
    if (steps > this.capacity) throw new RangeError(`PitchKernels: room for ${this.capacity} steps, asked for ${steps}`);
    this.pathExport(this.countAt, this.joinedAt, this.f0At, this.strengthAt, this.scoreAt, this.fromAt, steps, jump, voicing, this.bestAt);
    return this.best;
  }


  /** Points step `part` at its span in the window (refilled from `start` for the first step when it is not there) or in the spare slot. */
  private place(d: Float32Array, energy: Float64Array, start: number, part: 0 | 1): void {
    const { span } = this.g;
    const win = PitchKernels.WINDOW;
    // Every field read on every call: the spare slot is taken rarely (a partner step past the window), and reads and
    // a call made only there had no type feedback when TurboFan compiled pitchTrack, which then deoptimised there.
    const { windowSamples, windowEnergy, windowAt, windowEnergyAt, spareSamples, spareEnergy, spareAt, spareEnergyAt } = this;
    const refill = part === 0 && !(start >= this.windowStart && start + span <= this.windowStart + win);
    if (refill) this.windowStart = start;
    const ws = this.windowStart;
    const inWindow = start >= ws && start + span <= ws + win;
    if (refill || !inWindow) fillSpan(d, energy, start, inWindow ? windowSamples : spareSamples, inWindow ? windowEnergy : spareEnergy);
    const dAt = inWindow ? windowAt + 4 * (start - ws) : spareAt;
    const eAt = inWindow ? windowEnergyAt + 8 * (start - ws) : spareEnergyAt;
    if (part === 0) {
      this.dA = dAt;
      this.eA = eAt;
    } else {
      this.dB = dAt;
      this.eB = eAt;
    }
  }

  /**
   * energy[0] = 0 and energy[i + 1] = Σ d[j]² over j ≤ i, each square f64 and added in order (fft.wat's
   * "prefixSquares", BLOCK samples per call): pair()'s prefix sums, the same bits as JavaScript's
   * `energy[i + 1] = acc += d[i] * d[i]`, without a loop over every sample for TurboFan to compile twice.
   */
  prefixSquares(d: Float32Array, energy: Float64Array): void {
    const { blockSamples, blockSums } = this;
    const block = PitchKernels.BLOCK;
    energy[0] = 0;
    let acc = 0;
    for (let i0 = 0; i0 < d.length; i0 += block) {
      const n = Math.min(block, d.length - i0);
      blockSamples.set(d.subarray(i0, i0 + n));
      acc = this.prefixSquaresExport(this.samplesAt, n, acc, this.evenAt);
      energy.set(n === block ? blockSums : blockSums.subarray(0, n), i0 + 1);
    }
  }

  /**
   * out[m] = the filter at x[2m] (Σ h_j·(x[2m − j] + x[2m + j]), h0·x[2m] first, f64, rounded to f32)
   * for m in from…to − 1, whose 23 taps must all lie inside x.
   */
  halfband(x: Float32Array, from: number, to: number, out: Float32Array): void {
    const buffer = this.half.buffer;
    for (let m0 = from; m0 < to; m0 += PitchKernels.BLOCK) {
      const count = Math.min(PitchKernels.BLOCK, to - m0);
      // Samples 2·m0 − 12 … 2·(m0 + count) + 11; the last one can lie past x (it only feeds a discarded lane).
      const first = 2 * m0 - 12;
      const end = Math.min(x.length, 2 * (m0 + count) + 12);
      new Float32Array(buffer, this.samplesAt, end - first).set(x.subarray(first, end));
      this.halfbandExport(this.samplesAt, count, this.tapsAt, this.evenAt, this.oddAt, this.outAt);
      out.set(new Float32Array(buffer, this.outAt, count), m0);
    }
  }
}

/**
 * samples[i] = d[start + i] (0 outside d) for i < samples.length, and sums[i] = energy[start + i]
 * clamped to 0…d.length, for i < sums.length.
 */
function fillSpan(d: Float32Array, energy: Float64Array, start: number, samples: Float32Array, sums: Float64Array): void {
  const n = d.length;
  const from = Math.min(samples.length, Math.max(0, -start));
  const to = Math.max(from, Math.min(samples.length, n - start));
  // fill() rather than loops: the window's tail past a clip's end is thousands of values.
  samples.fill(0, 0, from);
  if (to > from) samples.set(d.subarray(start + from, start + to), from);
  samples.fill(0, to);
  const eFrom = Math.min(sums.length, Math.max(0, -start));
  const eTo = Math.max(eFrom, Math.min(sums.length, n + 1 - start));
  sums.fill(energy[0], 0, eFrom);
  if (eTo > eFrom) sums.set(energy.subarray(start + eFrom, start + eTo), eFrom);
  sums.fill(energy[n], eTo);
}

// ==== an2 (lane an2, session 12): kernels of fft.wat's "an2" block, on the feature kernels' memory ====

type HpssExport = (
  mg: number, bins: number, nf: number, first: number, end: number, c0: number, c1: number, cells: number,
  rows: number, hm: number, pc: number, out: number,
) => void;

/**
 * fft.wat's "hpss" (byte offsets into featureKernels' memory): hpss.ts's pooling, both median filters and
 * the soft-mask energies for cells c0…c1−1, from the magnitude rows of the cells first…end−1 (see there).
 */
export const hpssCells = featureKernels.exports.hpss as HpssExport;

type LpcRootsExport = (
  xs: number, ham: number, buf: number, r: number, r0: number, a: number, prev: number, re: number, im: number,
  cold: number, nc: number, ns: number, warm: boolean,
) => number;

/** fft.wat's "lpcRoots" (byte offsets into featureKernels' memory): formants.ts's window, LPC and roots of one frame; 0 if unstable. */
export const lpcRoots = featureKernels.exports.lpcRoots as LpcRootsExport;

/** fft.wat's "levinson" (byte offsets into featureKernels' memory): LPC coefficients from an autocorrelation; 0 if unstable. */
export const levinsonKernel = featureKernels.exports.levinson as (r: number, order: number, a: number, prev: number) => number;

// ==== an1 (lane an1, session 13): kernels of fft.wat's "an1 (session 13)" block, on the feature kernels' memory ====

/**
 * fft.wat's "noiseFloor" (a byte offset into featureKernels' memory): extract.ts's analysis floor, in place on
 * n f32 samples: f32((x − shift)·scale) + sigma·(u1 + u2 − 1) from the LCG's next two states; returns its last state.
 */
export const noiseFloorKernel = featureKernels.exports.noiseFloor as (x: number, n: number, shift: number, scale: number, sigma: number, state: number) => number;

/** The 25 vector constants of fft.wat's logarithm ($logRow) in the feature kernels' memory, written once. */
const FEATURE_LOG_AT = featureKernels.region(400);
(featureKernels.exports.logConstants as (c: number) => void)(FEATURE_LOG_AT);
const dbRowExport = featureKernels.exports.dbRow as (c: number, e: number, n: number, amin: number, scale: number, out: number) => number;

/**
 * fft.wat's "dbRow" (byte offsets into featureKernels' memory): db = scale·ln(max(e[i], amin)) for n f64 e,
 * overwriting them, ln bit for bit Math.log's; db rounded to f32 at out; returns the largest db (−∞ if none).
 */
export function dbRow(e: number, n: number, amin: number, scale: number, out: number): number {
  return dbRowExport(FEATURE_LOG_AT, e, n, amin, scale, out);
}

/** fft.wat's "int16ToFloat" (byte offsets into featureKernels' memory): n little-endian i16 → f32 times 2⁻¹⁵. */
export const int16ToFloatKernel = featureKernels.exports.int16ToFloat as (input: number, n: number, out: number) => void;

/** fft.wat's "transpose4" (byte offsets into featureKernels' memory): power rows regrouped four frames per bin, for bands4. */
const transpose4 = featureKernels.exports.transpose4 as (rows: number, frames: number, bins: number, out: number) => void;
/** fft.wat's "bands4" (byte offsets into featureKernels' memory): BandSums' weighted sums over transpose4's groups. */
const bands4 = featureKernels.exports.bands4 as (pt: number, frames: number, bins: number, nb: number, off: number, idx: number, wt: number, out: number) => void;

// ==== hot (lane hot, session 15) ====

/**
 * fft.wat's kernels on a memory of their own that grows to the longest clip asked for (reserve()), for kernels
 * over whole per-frame tracks (a clip of any length at once). Unlike WasmKernels' fixed memory, a view on it is
 * stale after a reserve() that grew it: take views after reserve().
 */
export class GrowingKernels {
  private readonly memory: WasmMemory;
  /** The instance's exports, typed where they are used. */
  readonly exports: Record<string, unknown>;

  constructor() {
    this.memory = new wasm.Memory({ initial: 1 });
    this.exports = new wasm.Instance(fftModule, { env: { memory: this.memory } }).exports;
  }

  get buffer(): ArrayBuffer {
    return this.memory.buffer;
  }

  /** Grows the memory, if it must, to hold `bytes` from byte 0. */
  reserve(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / 65536));
  }
}

/**
 * The kernels over a clip's per-frame tracks (prosody.ts, stats.ts), on one growing memory: each call lays its
 * data out from byte 0 and keeps nothing there between calls.
 */
export const trackKernels = new GrowingKernels();
