// The /listen summary chart's data and delivery: segments placed on the session's time axis, bounded per speaker,
// drawn on a real worker, and the text summary alone when the upload is refused.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../src/bot/pool.js';
import { BLOCK_CAP, Speaker } from '../../../src/bot/voice/speaker.js';
import { sendSummary, sessionChart, SUMMARY_CHART_NAME } from '../../../src/bot/voice/summary-chart.js';
import type { AnalysisJob, AnalysisJobResult } from '../../../src/bot/worker.js';
import type { Raster } from '../../../src/charts/raster.js';
import { analysisOf } from '../fixtures/analysis.js';
import { SHIPPED_MODEL } from '../../emulator/harness.js';
import { decodePng } from '../../helpers/png.js';

const quiet = pino({ level: 'silent' });

describe('speaker blocks', () => {
  it('places an utterance’s segments so that it ends when the speaker stopped', () => {
    const s = new Speaker('1', 'alice');
    const a = analysisOf({ segmentCount: 2 }); // segments 0–1.5 s and 2–3.5 s of a 4-s utterance
    s.record(a, 65_000, 60_000);
    expect(s.blocks.map((b) => [b.start, b.end])).toEqual([
      [56, 57.5],
      [58, 59.5],
    ]);
    expect(s.blocks[0]).toMatchObject({ emotion: a.segments[0]!.emotion, confidence: a.segments[0]!.confidence, uncertain: false });
  });

  it('stays bounded however long the session: neighbours merge, the span is kept', () => {
    const s = new Speaker('1', 'alice');
    for (let k = 0; k < 5000; k++) s.record(analysisOf({ segmentCount: 1 }), (k + 1) * 3000);
    expect(s.blocks.length).toBeLessThanOrEqual(BLOCK_CAP);
    expect(s.blocks[0]!.start).toBe(1);
    expect(s.blocks.at(-1)!.end).toBeCloseTo(5000 * 3 - 0.5);
    expect(s.utterances).toBe(5000);
  });
});

describe('session chart', () => {
  it('one lane per speaker heard; none when nobody was', () => {
    const a = new Speaker('1', 'alice');
    const quietOne = new Speaker('2', 'bob');
    a.record(analysisOf({ segmentCount: 3 }), 20_000);
    const c = sessionChart({ speakers: [a, quietOne], durationMs: 125_000 })!;
    expect(c.lanes.map((l) => l.name)).toEqual(['alice']);
    expect(c.durationSec).toBe(125);
    expect(c.subtitle).toBe('2 min · 1 speaker · shares are of speech time');
    expect(sessionChart({ speakers: [quietOne], durationMs: 1000 })).toBeNull();
  });

  it('is drawn on a real pool worker (render job kind) into a PNG', async () => {
    const pool = new WorkerPool<AnalysisJob, AnalysisJobResult>({ module: new URL('../../../src/bot/worker.ts', import.meta.url), size: 1, maxQueue: 4, workerData: { modelPath: SHIPPED_MODEL, ffmpegPath: null } });
    try {
      const a = new Speaker('1', 'alice');
      a.record(analysisOf({ segmentCount: 3 }), 20_000);
      const r = (await pool.run({ kind: 'render', render: { chart: 'lanes', data: sessionChart({ speakers: [a], durationMs: 60_000 })! } })) as Raster;
      const img = decodePng(r.png);
      expect([img.width, img.height]).toEqual([r.width, r.height]);
      expect(img.width).toBe(1200);
    } finally {
      await pool.close();
    }
  });
});

describe('posting the summary', () => {
  const embed = { title: 'Session summary' };

  it('with the chart as an attachment', async () => {
    const sent: any[] = [];
    await sendSummary({ send: async (o) => (sent.push(o), {} as any) }, embed, Buffer.from('png'), quiet);
    expect(sent).toHaveLength(1);
    expect(sent[0].embeds).toEqual([embed]);
    expect(sent[0].files[0].name).toBe(SUMMARY_CHART_NAME);
  });

  it('as text alone when the upload is refused (no Attach Files), or when there is no chart', async () => {
    const sent: any[] = [];
    const refusing = { send: async (o: any) => (sent.push(o), o.files ? Promise.reject(Object.assign(new Error('Missing Permissions'), { code: 50013 })) : ({} as any)) };
    await sendSummary(refusing, embed, Buffer.from('png'), quiet);
    expect(sent.map((o) => !!o.files)).toEqual([true, false]);
    expect(sent[1]).toEqual({ embeds: [embed] });
    sent.length = 0;
    await sendSummary(refusing, embed, null, quiet);
    expect(sent).toEqual([{ embeds: [embed] }]);
  });
});
