// Decoding the bot's PNGs in tests (pngjs), and reading pixels at positions computed from a chart's layout.
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  /** RGBA of the pixel containing (x, y), in PNG pixels. */
  at(x: number, y: number): [number, number, number, number];
}

export const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

export function decodePng(bytes: Uint8Array): Decoded {
  const png = PNG.sync.read(Buffer.from(bytes));
  return {
    width: png.width,
    height: png.height,
    at(x, y) {
      // Pixel k covers [k, k + 1): a position inside it reads it (rounding would read the next one past k + 0.5).
      const i = (Math.floor(y) * png.width + Math.floor(x)) * 4;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
    },
  };
}

export function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `fg` drawn at `opacity` over `bg`. */
export function over(fg: string, opacity: number, bg: string): [number, number, number] {
  const [f, b] = [rgb(fg), rgb(bg)];
  return f.map((v, i) => Math.round(v * opacity + b[i]! * (1 - opacity))) as [number, number, number];
}

/** Largest per-channel difference between two colours. */
export function colorDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}

/** Share of pixels whose colour differs by more than `tolerance` on any channel (same size required). */
export function diffShare(a: Decoded, b: Decoded, tolerance = 16): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differ = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (colorDistance(a.at(x, y), b.at(x, y)) > tolerance) differ++;
  return differ / (a.width * a.height);
}
