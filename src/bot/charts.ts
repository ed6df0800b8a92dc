// Pictures in replies: charts drawn on the worker pool, attached only where the bot may attach files, and never in
// the way of the text answer (a chart that fails or is late is logged and left out).
import { AttachmentBuilder, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { Logger } from 'pino';
import type { Raster } from '../charts/raster.js';
import type { RenderJob } from '../charts/render-job.js';
import type { WorkerPool } from './pool.js';
import type { AnalysisJob, AnalysisJobResult } from './worker.js';

/** A chart later than this is left out: the text answer matters more. */
export const CHART_TIMEOUT_MS = 10_000;

/** Attach Files (1 << 15), where the answer is posted; `null` permissions (DMs) allow it. */
export function mayAttachFiles(permissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return !permissions || permissions.has(PermissionFlagsBits.AttachFiles);
}

/** Draws `job` on a worker; null (logged with `context`) when it fails or takes too long. */
export async function drawChart(
  s: { pool: WorkerPool<AnalysisJob, AnalysisJobResult>; log: Logger },
  job: RenderJob,
  context: Record<string, unknown>,
  timeoutMs = CHART_TIMEOUT_MS,
): Promise<Buffer | null> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = (await Promise.race([
      s.pool.run({ kind: 'render', render: job }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`chart not drawn within ${timeoutMs} ms`)), timeoutMs))),
    ])) as Raster;
    s.log.debug({ ...context, chart: job.chart, ms: Math.round(performance.now() - started), bytes: r.png.byteLength }, 'chart drawn');
    return Buffer.from(r.png.buffer, r.png.byteOffset, r.png.byteLength);
  } catch (err) {
    s.log.warn({ ...context, err, chart: job.chart }, 'could not draw a chart; answering without it');
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export function pngFile(png: Buffer, name: string, description: string): AttachmentBuilder {
  return new AttachmentBuilder(png, { name, description });
}
