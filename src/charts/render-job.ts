// What the worker pool draws: the data for one chart in, a PNG out. Building the SVG counts as rendering too, so both
// happen on a worker, never on the gateway thread.
import type { ReliabilityBin } from '../core/model/metrics.js';
import { laneChart, type LaneChart } from './lanes.js';
import { rasterize, type Raster } from './raster.js';
import { reliabilitySvg } from './report.js';

export type RenderJob = { chart: 'lanes'; data: LaneChart } | { chart: 'reliability'; raw: ReliabilityBin[]; calibrated: ReliabilityBin[] };

export function renderChart(job: RenderJob): Raster {
  const svg = job.chart === 'lanes' ? laneChart(job.data).svg : reliabilitySvg(job.raw, job.calibrated);
  return rasterize(svg);
}
