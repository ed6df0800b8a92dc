// The lane chart as pixels: decoded PNGs, blocks where the data puts them in the colour and opacity it says,
// names escaped and cut, 0 / 1 / many speakers, an hour-long session, and a golden image.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitText, fontMetrics, textWidth } from '../../src/charts/font.js';
import { analysisTimeline, capLanes, laneChart, MAX_LANES, type LaneChart } from '../../src/charts/lanes.js';
import { CARD, confidenceOpacity, EMOTION_FILL, UNCERTAIN_FILL } from '../../src/charts/palette.js';
import { rasterize } from '../../src/charts/raster.js';
import { analysisOf } from '../bot/fixtures/analysis.js';
import { colorDistance, decodePng, diffShare, over, PNG_SIGNATURE, rgb } from '../helpers/png.js';
import { block, lane, randomSession } from './data.js';

const ZOOM = 2;
// Under the blocks: the lane's track over the card.
const LANE_BG = (() => {
  const [t, b] = [rgb(CARD.track), rgb(CARD.background)];
  return '#' + t.map((v, i) => Math.round(v * 0.6 + b[i]! * 0.4).toString(16).padStart(2, '0')).join('');
})();

function draw(c: LaneChart) {
  const { svg, layout } = laneChart(c);
  const r = rasterize(svg, ZOOM);
  return { svg, layout, png: r.png, img: decodePng(r.png) };
}

/** PNG pixel at the middle of time `sec` in lane `i`. */
function laneMid(layout: ReturnType<typeof laneChart>['layout'], i: number, sec: number): [number, number] {
  return [layout.timeX(sec) * ZOOM, (layout.barTop(i) + layout.barHeight / 2) * ZOOM];
}

const two: LaneChart = {
  title: 'Session summary',
  subtitle: '10 min · 2 speakers',
  durationSec: 600,
  lanes: [
    lane('alice', [block(30, 90, 'angry', 0.95), block(200, 260, 'happy', 0.5), block(400, 470, 'neutral', 0.2)]),
    lane('bob', [block(100, 180, 'sad', 0.9), block(500, 590, 'disgust', 0.8)]),
  ],
};

describe('lane chart', () => {
  it('is a PNG of the layout’s size (×2), opaque inside the card, transparent beyond its rounded corners', () => {
    const { layout, png, img } = draw(two);
    expect(Buffer.from(png.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(img.width).toBe(layout.width * ZOOM);
    expect(img.height).toBe(layout.height * ZOOM);
    expect(img.at(0, 0)[3]).toBe(0); // the theme shows through the corner: dark and light alike
    expect(img.at(img.width / 2, 6 * ZOOM)).toEqual([...rgb(CARD.background), 255]);
  });

  it('draws each block where its time says, in its emotion’s colour, as strong as its confidence', () => {
    const { layout, img } = draw(two);
    // The time axis spans the card minus its padding and the share column: 16 … 430 units for 0 … 600 s.
    expect([layout.timeX(0), layout.timeX(300), layout.timeX(600)]).toEqual([16, 223, 430]);
    const y0 = laneMid(layout, 0, 0)[1];
    expect(colorDistance(img.at(14 * ZOOM, y0), rgb(CARD.background))).toBeLessThanOrEqual(3);
    expect(colorDistance(img.at(18 * ZOOM, y0), rgb(LANE_BG))).toBeLessThanOrEqual(3);
    expect(colorDistance(img.at(428 * ZOOM, y0), rgb(LANE_BG))).toBeLessThanOrEqual(3);
    expect(colorDistance(img.at(434 * ZOOM, y0), rgb(CARD.background))).toBeLessThanOrEqual(3);
    for (const [i, l] of two.lanes.entries()) {
      for (const b of l.blocks) {
        const [x, y] = laneMid(layout, i, (b.start + b.end) / 2);
        const px = img.at(x, y);
        if (b.uncertain) {
          // Hatched grey: neither an emotion's colour nor the empty track, and grey (r ≈ g ≈ b).
          const stripes = [0, 2, 4, 6].map((d) => img.at(x + d, y));
          expect(stripes.some((p) => colorDistance(p, rgb(UNCERTAIN_FILL)) < 12)).toBe(true);
          for (const p of stripes) expect(Math.max(...p.slice(0, 3)) - Math.min(...p.slice(0, 3))).toBeLessThan(12);
        } else {
          const want = over(EMOTION_FILL[b.emotion], confidenceOpacity(b.confidence), LANE_BG);
          expect(colorDistance(px, want), `${l.name} ${b.emotion} at ${b.start}s: ${px} vs ${want}`).toBeLessThanOrEqual(3);
        }
      }
      // Between blocks: the empty track.
      expect(colorDistance(img.at(...laneMid(layout, i, 10)), rgb(LANE_BG))).toBeLessThanOrEqual(3);
    }
    // A confident block is drawn stronger than a doubtful one of another lane: opacity follows confidence.
    expect(confidenceOpacity(0.95)).toBe(1);
    expect(confidenceOpacity(0.5)).toBeLessThan(0.8);
  });

  it('beside each lane, the share of speech time: the largest share first, in proportion', () => {
    const { layout, img } = draw(two);
    // Bob: sad 80 s, disgust 90 s → disgust first, 90/170 of the bar.
    const y = (layout.barTop(1) + layout.barHeight / 2) * ZOOM;
    const split = layout.shareLeft + (90 / 170) * layout.shareWidth;
    expect(colorDistance(img.at((layout.shareLeft + 4) * ZOOM, y), rgb(EMOTION_FILL.disgust))).toBeLessThanOrEqual(3);
    expect(colorDistance(img.at((split - 3) * ZOOM, y), rgb(EMOTION_FILL.disgust))).toBeLessThanOrEqual(3);
    expect(colorDistance(img.at((split + 3) * ZOOM, y), rgb(EMOTION_FILL.sad))).toBeLessThanOrEqual(3);
  });

  it('has a legend naming every colour, and "not sure"', () => {
    const { svg } = draw(two);
    for (const e of Object.keys(EMOTION_FILL)) expect(svg).toContain(`>${e}</text>`);
    expect(svg).toContain('>not sure</text>');
  });

  it('escapes names and cuts them to fit; a name with nothing drawable becomes "speaker N"', () => {
    const long = 'A'.repeat(40) + ' the longest display name anyone ever chose on Discord';
    const c: LaneChart = {
      title: 't',
      durationSec: 60,
      lanes: [lane('<script>&"x"</script>', [block(0, 20, 'angry', 0.9)]), lane(long, [block(0, 15, 'sad', 0.9)]), lane('🎮🎮', [block(0, 10, 'happy', 0.9)])],
    };
    const { svg, img } = draw(c); // resvg parses it: malformed XML would throw
    expect(img.width).toBeGreaterThan(0);
    expect(svg).toContain('&lt;script&gt;&amp;&quot;x&quot;&lt;/script&gt;');
    expect(svg).not.toContain('<script>');
    const cut = fitText(long, 17, 300);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 17)).toBeLessThanOrEqual(300);
    // Drawn cut so it ends before the "mostly sad 100 %" label over the share bar (right edge at 584).
    const shown = />(A{10}[^<]*)<\/text>/.exec(svg)![1]!;
    expect(shown.endsWith('…')).toBe(true);
    expect(16 + textWidth(shown, 17)).toBeLessThan(584 - textWidth('mostly sad 100 %', 14) - 8);
    expect(svg).toContain('>speaker 3</text>');
    expect(fitText('Zoë 🎮 Łukasz', 15, 1000)).toBe('Zoë Łukasz');
    expect(fontMetrics().advance('🎮'.codePointAt(0)!)).toBeUndefined();
  });

  it('0 speakers: a card that says so', () => {
    const { svg, img, layout } = draw({ title: 'Session summary', durationSec: 60, lanes: [], emptyText: 'Nobody spoke long enough.' });
    expect(layout.lanes).toHaveLength(0);
    expect(svg).toContain('Nobody spoke long enough.');
    expect(img.height).toBe(layout.height * ZOOM);
  });

  it('many speakers: the busiest keep their lanes, the rest share one "+N more speakers" lane', () => {
    const lanes = randomSession(12, 1200, 3);
    const { layout, img } = draw({ title: 'Many', durationSec: 1200, lanes });
    expect(layout.lanes).toHaveLength(MAX_LANES);
    expect(layout.lanes.at(-1)!.name).toBe(`+${12 - MAX_LANES + 1} more speakers`);
    const capped = capLanes(lanes);
    const folded = capped.at(-1)!;
    // Their blocks are all in the last lane, in colour.
    const b = folded.blocks.find((x) => !x.uncertain && x.end - x.start > 6)!;
    const px = img.at(...laneMid(layout, MAX_LANES - 1, (b.start + b.end) / 2));
    expect(colorDistance(px, rgb(LANE_BG))).toBeGreaterThan(10);
    // Sorted by speech time: the first lane has the most.
    const total = (l: (typeof lanes)[number]) => Object.values(l.share).reduce((a, v) => a + v, 0);
    expect(total(layout.lanes[0]!)).toBeGreaterThanOrEqual(total(layout.lanes[1]!));
  });

  it('a 60-minute session of 10 speakers: blocks late in the hour land at the right of the lane', () => {
    const lanes = randomSession(10, 3600, 11);
    const { layout, img } = draw({ title: 'Hour', durationSec: 3600, lanes });
    expect(img.width).toBe(1200);
    // A speaker's own lane (the last one folds three speakers, whose blocks may overlap).
    const i = layout.lanes.slice(0, -1).findIndex((l) => l.blocks.some((b) => b.start > 3300 && !b.uncertain && b.end - b.start > 8));
    expect(i).toBeGreaterThanOrEqual(0);
    const late = layout.lanes[i]!.blocks.find((b) => b.start > 3300 && !b.uncertain && b.end - b.start > 8)!;
    const px = img.at(...laneMid(layout, i, (late.start + late.end) / 2));
    expect(colorDistance(px, over(EMOTION_FILL[late.emotion], confidenceOpacity(late.confidence), LANE_BG))).toBeLessThanOrEqual(4);
  });

  it('a dense lane (the per-speaker block cap, blocks narrower than a pixel) is drawn per column, each in its block’s colour', () => {
    // 1024 blocks of 2.8 s every 3.5 s over an hour: a sixth of a column each. Alternate sad and happy in runs of 40.
    const blocks = Array.from({ length: 1024 }, (_, k) => block((k * 3600) / 1024, ((k + 0.8) * 3600) / 1024, Math.floor(k / 40) % 2 ? 'happy' : 'sad', 0.9));
    const { svg, layout, img } = draw({ title: 'dense', durationSec: 3600, lanes: [lane('busy', blocks)] });
    expect((svg.match(/<rect/g) ?? []).length).toBeLessThan(100); // runs of columns, not 1024 rects
    for (const k of [20, 60, 500, 1010]) {
      const b = blocks[k]!;
      const px = img.at(...laneMid(layout, 0, b.start));
      expect(colorDistance(px, over(EMOTION_FILL[b.emotion], confidenceOpacity(0.9), LANE_BG)), `block ${k}`).toBeLessThanOrEqual(3);
    }
  });

  it('one recording (/analyze): one lane named after the file, a block per segment', () => {
    const a = analysisOf({ segmentCount: 5 });
    const c = analysisTimeline(a, 'voice-message.ogg');
    const { layout, img, svg } = draw(c);
    expect(layout.lanes).toHaveLength(1);
    expect(svg).toContain('>voice-message.ogg</text>');
    for (const s of a.segments) {
      const px = img.at(...laneMid(layout, 0, (s.start + s.end) / 2));
      expect(colorDistance(px, over(EMOTION_FILL[s.emotion], confidenceOpacity(s.confidence), LANE_BG))).toBeLessThanOrEqual(3);
    }
  });

  it('matches the committed golden image within a small tolerance', () => {
    const golden = fileURLToPath(new URL('./golden/session-two-speakers.png', import.meta.url));
    const { png, img } = draw(two);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, png);
    // Anti-aliasing may differ by a level between resvg builds; a moved block or a lost label would not pass.
    expect(diffShare(img, decodePng(readFileSync(golden)), 24)).toBeLessThan(0.002);
  });
});
