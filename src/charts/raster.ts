// SVG → PNG with resvg (Rust, prebuilt per platform in the npm package, nothing downloaded at install), with the bundled
// font only: no system fonts, so the same chart is the same pixels on every machine.
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY, FONT_PATH } from './font.js';

export interface Raster {
  png: Uint8Array;
  width: number;
  height: number;
}

/** Rasterises `svg` at `zoom` × its own size (2 keeps text crisp on phones and high-density screens). */
export function rasterize(svg: string, zoom = 2): Raster {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: false, fontFiles: [FONT_PATH], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY, serifFamily: FONT_FAMILY, monospaceFamily: FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  const img = r.render();
  // A copy with its own ArrayBuffer, so a worker can transfer it (a Buffer may share a pooled one).
  return { png: new Uint8Array(img.asPng()), width: img.width, height: img.height };
}
