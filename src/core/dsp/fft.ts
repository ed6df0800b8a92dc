// Fast Fourier transforms for the sizes the core uses (512-point frames, the resampler's blocks):
// radix-4 over precomputed twiddles and bit-reversal tables, split re/im Float64Arrays, and no
// allocation per call. A real transform of N points runs as one complex transform of N/2 points.
//
// Why not fft.js (used before): it is radix-4 too, but at N = 512 it ends in a slow radix-2 pass,
// reads plain arrays of interleaved re/im, and its real transform does a full N-point complex pass.

/**
 * Complex DFT X[k] = Σ x[n]·e^(−2πikn/N), N a power of two, decimation in time. The bit-reversal
 * permutation is not a pass of its own: the first butterfly pass reads its inputs at their
 * bit-reversed places (for the real transform below, straight from the real samples).
 */
export class ComplexFFT {
  readonly size: number;
  /** base[i]: natural index of the first input of first-pass butterfly i (its bit reversal). */
  private readonly base: Uint32Array;
  /** log2(size) is odd: the first pass is radix-2, the rest radix-4. */
  private readonly radix2First: boolean;
  /** Per radix-4 pass after the first (quarter h = 4, 16, … or 2, 8, …), for j < h: W^j, W^2j, W^3j. */
  private readonly twiddles: Float64Array;

  constructor(size: number) {
    if (!(size >= 4 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two ≥ 4 (got ${size})`);
    this.size = size;
    const bits = Math.log2(size);
    this.radix2First = bits % 2 === 1;
    const radix = this.radix2First ? 2 : 4;
    this.base = new Uint32Array(size / radix);
    for (let i = 0; i < size / radix; i++) {
      let r = 0;
      for (let b = 0, v = i * radix; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      this.base[i] = r;
    }
    const tw: number[] = [];
    for (let h = radix; 4 * h <= size; h *= 4) {
      for (let j = 0; j < h; j++) {
        for (let m = 1; m <= 3; m++) {
          const a = (-2 * Math.PI * m * j) / (4 * h);
          tw.push(Math.cos(a), Math.sin(a));
        }
      }
    }
    this.twiddles = Float64Array.from(tw);
  }

  /** Forward transform of (inRe, inIm) into (outRe, outIm), all `size` long; out must not be in. */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.strided(inRe, inIm, 1, 0, 0, outRe, outIm);
  }

  /**
   * The transform of z[n] = (re[offRe + stride·n], im[offIm + stride·n]), n < size, into (outRe,
   * outIm). The real transform passes one array twice: stride 2, even samples real, odd imaginary.
   */
  strided(inRe: Float64Array, inIm: Float64Array, stride: number, offRe: number, offIm: number, outRe: Float64Array, outIm: Float64Array): void {
    const n = this.size;
    if (this.radix2First) firstRadix2(inRe, inIm, stride, offRe, offIm, outRe, outIm, this.base, n);
    else firstRadix4(inRe, inIm, stride, offRe, offIm, outRe, outIm, this.base, n);
    radix4Passes(outRe, outIm, n, this.radix2First ? 2 : 4, this.twiddles);
  }
}

/** First pass, radix 2: butterfly i reads natural inputs base[i] and base[i] + n/2. */
function firstRadix2(
  inRe: Float64Array, inIm: Float64Array, stride: number, offRe: number, offIm: number,
  re: Float64Array, im: Float64Array, base: Uint32Array, n: number,
): void {
  const half = (n >> 1) * stride;
  for (let i = 0, o = 0; o < n; i++, o += 2) {
    const q = base[i] * stride;
    const ar = inRe[offRe + q], ai = inIm[offIm + q];
    const br = inRe[offRe + q + half], bi = inIm[offIm + q + half];
    re[o] = ar + br;
    im[o] = ai + bi;
    re[o + 1] = ar - br;
    im[o + 1] = ai - bi;
  }
}

/**
 * First pass, radix 4 (every twiddle is 1): butterfly i reads natural inputs q, q + n/2, q + n/4 and
 * q + 3n/4 (q = base[i]), which bit reversal puts at 4i … 4i + 3.
 */
function firstRadix4(
  inRe: Float64Array, inIm: Float64Array, stride: number, offRe: number, offIm: number,
  re: Float64Array, im: Float64Array, base: Uint32Array, n: number,
): void {
  const quarter = (n >> 2) * stride;
  for (let i = 0, o = 0; o < n; i++, o += 4) {
    const q = base[i] * stride;
    const r0 = offRe + q, i0 = offIm + q;
    const x0r = inRe[r0], x0i = inIm[i0];
    const y1r = inRe[r0 + 2 * quarter], y1i = inIm[i0 + 2 * quarter];
    const y2r = inRe[r0 + quarter], y2i = inIm[i0 + quarter];
    const y3r = inRe[r0 + 3 * quarter], y3i = inIm[i0 + 3 * quarter];
    const ar = x0r + y1r, ai = x0i + y1i;
    const br = x0r - y1r, bi = x0i - y1i;
    const cr = y2r + y3r, ci = y2i + y3i;
    const dr = y2r - y3r, di = y2i - y3i;
    re[o] = ar + cr;
    im[o] = ai + ci;
    re[o + 2] = ar - cr;
    im[o + 2] = ai - ci;
    // −i·d = (di, −dr)
    re[o + 1] = br + di;
    im[o + 1] = bi - dr;
    re[o + 3] = br - di;
    im[o + 3] = bi + dr;
  }
}

/**
 * Radix-4 passes from quarter `h` up: each merges two radix-2 decimation-in-time passes (spans h
 * and 2h), so bit-reversed input works unchanged. With W = e^(−2πi/4h) and y1 = W^2j·x1, y2 = W^j·x2,
 * y3 = W^3j·x3: X0 = (x0+y1) + (y2+y3), X2 = (x0+y1) − (y2+y3), X1 = (x0−y1) − i(y2−y3), X3 = (x0−y1) + i(y2−y3).
 */
function radix4Passes(re: Float64Array, im: Float64Array, n: number, h: number, tw: Float64Array): void {
  let t = 0;
  for (; 4 * h <= n; h *= 4) {
    const span = 4 * h;
    for (let j = 0; j < h; j++, t += 6) {
      const w1r = tw[t], w1i = tw[t + 1];
      const w2r = tw[t + 2], w2i = tw[t + 3];
      const w3r = tw[t + 4], w3i = tw[t + 5];
      for (let i0 = j; i0 < n; i0 += span) {
        const i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
        const x0r = re[i0], x0i = im[i0];
        const x1r = re[i1], x1i = im[i1];
        const x2r = re[i2], x2i = im[i2];
        const x3r = re[i3], x3i = im[i3];
        const y1r = x1r * w2r - x1i * w2i, y1i = x1r * w2i + x1i * w2r;
        const y2r = x2r * w1r - x2i * w1i, y2i = x2r * w1i + x2i * w1r;
        const y3r = x3r * w3r - x3i * w3i, y3i = x3r * w3i + x3i * w3r;
        const ar = x0r + y1r, ai = x0i + y1i;
        const br = x0r - y1r, bi = x0i - y1i;
        const cr = y2r + y3r, ci = y2i + y3i;
        const dr = y2r - y3r, di = y2i - y3i;
        re[i0] = ar + cr;
        im[i0] = ai + ci;
        re[i2] = ar - cr;
        im[i2] = ai - ci;
        re[i1] = br + di;
        im[i1] = bi - dr;
        re[i3] = br - di;
        im[i3] = bi + dr;
      }
    }
  }
}

/**
 * Real DFT of N points through one complex DFT of N/2: z[n] = x[2n] + i·x[2n+1], then
 * X[k] = E[k] + W^k·O[k] with E, O the even and odd samples' transforms read off Z[k] and Z[N/2−k].
 * Bins 0…N/2 come out as separate re/im arrays (N/2 + 1 each).
 */
export class RealFFT {
  readonly size: number;
  /** N/2 + 1: the bins of the half spectrum. */
  readonly bins: number;
  private readonly half: ComplexFFT;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  /** cos and sin of 2πk/N for k ≤ N/4 (W^k = cos − i·sin). */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(size: number) {
    if (!(size >= 8 && (size & (size - 1)) === 0)) throw new RangeError(`real FFT size must be a power of two ≥ 8 (got ${size})`);
    this.size = size;
    this.bins = size / 2 + 1;
    this.half = new ComplexFFT(size / 2);
    this.re = new Float64Array(size / 2);
    this.im = new Float64Array(size / 2);
    this.zRe = new Float64Array(size / 2);
    this.zIm = new Float64Array(size / 2);
    this.cos = Float64Array.from({ length: size / 4 + 1 }, (_, k) => Math.cos((2 * Math.PI * k) / size));
    this.sin = Float64Array.from({ length: size / 4 + 1 }, (_, k) => Math.sin((2 * Math.PI * k) / size));
    // Exact at a quarter turn, so bin N/4 comes out the same from either half that writes it.
    this.cos[size / 4] = 0;
    this.sin[size / 4] = 1;
  }

  /** Bins 0…N/2 of the DFT of x (N samples) into outRe/outIm (N/2 + 1 each). */
  forward(x: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.half.strided(x, x, 2, 0, 1, this.re, this.im);
    splitHalves(this.re, this.im, this.size >> 1, this.cos, this.sin, outRe, outIm);
  }

  /**
   * The inverse: N real samples from bins 0…N/2 (the imaginary parts of bins 0 and N/2 are ignored,
   * as for any real signal), scaled by 1/N so that inverse(forward(x)) = x.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, x: Float64Array): void {
    const { re, im, zRe, zIm } = this;
    const m = this.size >> 1;
    joinHalves(inRe, inIm, m, this.cos, this.sin, zRe, zIm);
    // The forward transform of re ↔ im swapped, swapped back, is the inverse (times m).
    this.half.transform(zIm, zRe, im, re);
    const scale = 1 / m;
    for (let n = 0; n < m; n++) {
      x[2 * n] = re[n] * scale;
      x[2 * n + 1] = im[n] * scale;
    }
  }
}

/** X[k] and X[m−k] (m = N/2) from Z[k] and Z[m−k], for k = 0…m/2. */
function splitHalves(re: Float64Array, im: Float64Array, m: number, cos: Float64Array, sin: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
  outRe[0] = re[0] + im[0];
  outIm[0] = 0;
  outRe[m] = re[0] - im[0];
  outIm[m] = 0;
  for (let k = 1; k <= m >> 1; k++) {
    const ar = re[k], ai = im[k];
    const br = re[m - k], bi = im[m - k];
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
 * O[k] = (X[k] − conj X[m−k])·W^−k/2; then Z[m−k] = conj E[k] + i·conj O[k] (E, O transform real sequences).
 */
function joinHalves(inRe: Float64Array, inIm: Float64Array, m: number, cos: Float64Array, sin: Float64Array, zRe: Float64Array, zIm: Float64Array): void {
  for (let k = 0; k <= m >> 1; k++) {
    const ar = inRe[k], ai = k === 0 ? 0 : inIm[k];
    const br = inRe[m - k], bi = k === 0 ? 0 : inIm[m - k];
    const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
    const dr = 0.5 * (ar - br), di = 0.5 * (ai + bi);
    // W^−k = cos + i·sin.
    const c = cos[k], s = sin[k];
    const or = dr * c - di * s, oi = dr * s + di * c;
    zRe[k] = er - oi;
    zIm[k] = ei + or;
    if (k > 0) {
      zRe[m - k] = er + oi;
      zIm[m - k] = or - ei;
    }
  }
}
