// The model report's pictures: drawn from metrics.json, decoded as PNG; per-corpus bars only when the report has them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CARD } from '../../src/charts/palette.js';
import { rasterize } from '../../src/charts/raster.js';
import { reportCharts, type ReportNumbers } from '../../scripts/train/report.js';
import { colorDistance, decodePng, rgb } from '../helpers/png.js';

const shipped = JSON.parse(readFileSync(new URL('../../models/report/metrics.json', import.meta.url), 'utf8')) as ReportNumbers;

describe('report charts', () => {
  it('confusion matrix, reliability diagram and accuracy per condition and per corpus from the shipped report, as PNGs', () => {
    const charts = reportCharts(shipped);
    // The shipped model is trained on three corpora, so its report has the per-corpus chart too.
    expect(charts.map(([stem]) => stem)).toEqual(['confusion', 'reliability', 'accuracy-by-condition', 'accuracy-by-corpus']);
    for (const [stem, svg] of charts) {
      const img = decodePng(rasterize(svg).png);
      const [w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
      expect([img.width, img.height], stem).toEqual([w! * 2, h! * 2]);
      expect(img.at(img.width / 2, 8)).toEqual([...rgb(CARD.background), 255]);
    }
  });

  it('the confusion matrix shades each cell by its share of the row: the diagonal is the brightest', () => {
    const [, svg] = reportCharts(shipped)[0]!;
    const img = decodePng(rasterize(svg).png);
    // Cell (row 0, col 0) holds most of row 0; cell (0, 6) little. Sample a corner of each, away from the number.
    const cell = (r: number, c: number) => img.at((112 + c * 56 + 6) * 2, (84 + r * 56 + 6) * 2);
    const bright = (p: number[]) => p[0]! + p[1]! + p[2]!;
    expect(bright(cell(0, 0))).toBeGreaterThan(bright(cell(0, 6)) + 60);
    expect(colorDistance(cell(0, 6), rgb(CARD.track))).toBeLessThan(40);
  });

  it('adds accuracy per corpus when the report has it (multi-corpus training)', () => {
    const charts = reportCharts({ ...shipped, byCorpus: { ravdess: 0.63, 'crema-d': { accuracy: 0.48 } } });
    const [stem, svg] = charts.at(-1)!;
    expect(stem).toBe('accuracy-by-corpus');
    expect(svg).toContain('>crema-d</text>');
    expect(svg).toContain('48.0 %');
    expect(decodePng(rasterize(svg).png).width).toBeGreaterThan(0);
  });

  it('the shipped PNGs are current: redrawn from metrics.json they match (npm run report:images)', () => {
    for (const [stem, svg] of reportCharts(shipped)) {
      expect(readFileSync(new URL(`../../models/report/${stem}.svg`, import.meta.url), 'utf8'), stem).toBe(svg);
      const shippedPng = decodePng(readFileSync(new URL(`../../models/report/${stem}.png`, import.meta.url)));
      expect([shippedPng.width, shippedPng.height]).toEqual([decodePng(rasterize(svg).png).width, decodePng(rasterize(svg).png).height]);
    }
  });
});
