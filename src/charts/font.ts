// The one font every picture uses (DejaVu Sans, subset, bundled under assets/fonts) and its metrics, so text is cut to fit
// by real glyph widths and characters the font lacks are known before rendering (resvg would draw nothing for them).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_PATH = fileURLToPath(new URL('../../assets/fonts/DejaVuSans-subset.ttf', import.meta.url));

export interface FontMetrics {
  /** Advance width in em of one code point; undefined when the font has no glyph for it. */
  advance(cp: number): number | undefined;
}

/** Reads the cmap (format 4 or 12) and hmtx tables of a TrueType font: all that text fitting needs. */
export function parseFont(bytes: Uint8Array): FontMetrics {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const count = v.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    tables.set(String.fromCharCode(...bytes.subarray(at, at + 4)), v.getUint32(at + 8));
  }
  const need = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`font has no ${tag} table`);
    return off;
  };
  const unitsPerEm = v.getUint16(need('head') + 18);
  const nHMetrics = v.getUint16(need('hhea') + 34);
  const hmtx = need('hmtx');
  const widthOf = (glyph: number) => v.getUint16(hmtx + 4 * Math.min(glyph, nHMetrics - 1)) / unitsPerEm;

  const glyphs = new Map<number, number>();
  const cmap = need('cmap');
  const subtables = v.getUint16(cmap + 2);
  let best: { format: number; off: number } | null = null;
  for (let i = 0; i < subtables; i++) {
    const platform = v.getUint16(cmap + 4 + i * 8);
    const encoding = v.getUint16(cmap + 6 + i * 8);
    const off = cmap + v.getUint32(cmap + 8 + i * 8);
    const format = v.getUint16(off);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && best?.format !== 12))) best = { format, off };
  }
  if (!best) throw new Error('font has no Unicode cmap');
  if (best.format === 12) {
    const groups = v.getUint32(best.off + 12);
    for (let g = 0; g < groups; g++) {
      const at = best.off + 16 + g * 12;
      const [start, end, glyph] = [v.getUint32(at), v.getUint32(at + 4), v.getUint32(at + 8)];
      for (let cp = start; cp <= end; cp++) glyphs.set(cp, glyph + cp - start);
    }
  } else {
    const o = best.off;
    const segX2 = v.getUint16(o + 6);
    const ends = o + 14, starts = ends + segX2 + 2, deltas = starts + segX2, ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = v.getUint16(ends + s), start = v.getUint16(starts + s);
      const delta = v.getInt16(deltas + s), rangeOff = v.getUint16(ranges + s);
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        let glyph: number;
        if (rangeOff === 0) glyph = (cp + delta) & 0xffff;
        else {
          const g = v.getUint16(ranges + s + rangeOff + 2 * (cp - start));
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph) glyphs.set(cp, glyph);
      }
    }
  }
  return {
    advance(cp) {
      const g = glyphs.get(cp);
      return g === undefined ? undefined : widthOf(g);
    },
  };
}

let metrics: FontMetrics | null = null;

/** The bundled font's metrics, read once per thread. */
export function fontMetrics(): FontMetrics {
  return (metrics ??= parseFont(readFileSync(FONT_PATH)));
}

/** Width of `text` at `size` px (kerning ignored: callers keep a little slack). */
export function textWidth(text: string, size: number, m: FontMetrics = fontMetrics()): number {
  let w = 0;
  for (const ch of text) w += m.advance(ch.codePointAt(0)!) ?? 0;
  return w * size;
}

/**
 * A name as the picture can show it: characters the font lacks (emoji, CJK…) dropped, blanks collapsed,
 * and cut with "…" to fit `maxWidth` px at `size`. Empty when nothing drawable is left.
 */
export function fitText(text: string, size: number, maxWidth: number, m: FontMetrics = fontMetrics()): string {
  const drawable = [...text.normalize('NFC')].filter((ch) => m.advance(ch.codePointAt(0)!) !== undefined && !/\p{Cc}/u.test(ch)).join('');
  const clean = drawable.replace(/\s+/g, ' ').trim();
  if (textWidth(clean, size, m) <= maxWidth) return clean;
  const ellipsis = '…';
  const room = maxWidth - textWidth(ellipsis, size, m);
  let out = '';
  let w = 0;
  for (const ch of clean) {
    const cw = (m.advance(ch.codePointAt(0)!) ?? 0) * size;
    if (w + cw > room) break;
    out += ch;
    w += cw;
  }
  return out.trimEnd() + ellipsis;
}

/** Text for SVG: the five XML specials escaped, so a name can never end an element or open a new one. */
export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
