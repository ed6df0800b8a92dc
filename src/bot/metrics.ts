// Prometheus metrics for one bot process (prom-client, one registry per bot so tests can run several).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { NO_SOURCES } from './metrics-off.js';
import type { WorkerPool } from './pool.js';
import type { AnalysisJob, AnalysisJobResult } from './worker.js';

export type VoiceErrorKind = 'decode' | 'decrypt';

/** What the gauges read when scraped (live values, never a stale copy). */
export interface MetricSources {
  queueDepth(): number;
  listen(): { sessions: number; speakers: number };
  gatewayConnected(): boolean;
  storeReachable(): boolean;
}

// Only audio analyses are counted: the model card at start-up and chart drawing are not.
const SOURCE: Record<AnalysisJob['kind'], string | null> = { bytes: 'attachment', pcm: 'listen', opus: 'listen', card: null, render: null };

/** What the rest of the bot records through; BotMetrics (prom-client) or, with metrics off, metricsOff(). */
export interface Metrics {
  /** Set once the bot's parts exist; until then the gauges read zero. */
  sources: MetricSources;
  instrument(pool: WorkerPool<AnalysisJob, AnalysisJobResult>): void;
  voiceError(kind: VoiceErrorKind, n?: number): void;
  storeError(op: string): void;
}

export class BotMetrics implements Metrics {
  readonly registry = new Registry();
  /** Set once the bot's parts exist; until then the gauges read zero. */
  sources: MetricSources = NO_SOURCES;
  private readonly analyses = new Counter({
    name: 'ser_bot_analyses_total',
    help: 'Analyses run in the worker pool, by source (attachment, listen) and outcome (ok, or the error code in lower case).',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'ser_bot_analysis_seconds',
    help: 'Time from handing audio to the worker pool to its result (queueing included).',
    labelNames: ['source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  private readonly voiceErrors = new Counter({
    name: 'ser_bot_voice_errors_total',
    help: 'Voice receive problems: decode = Opus frames the decoder rejected, decrypt = packets that failed transport or DAVE decryption.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'ser_bot_store_errors_total',
    help: 'Store operations or watches that failed, by operation.',
    labelNames: ['op'] as const,
    registers: [this.registry],
  });

  constructor() {
    const r = [this.registry];
    const sources = (): MetricSources => this.sources;
    new Gauge({ name: 'ser_bot_queue_depth', help: 'Jobs waiting for a free analysis worker.', registers: r, collect() { this.set(sources().queueDepth()); } });
    new Gauge({ name: 'ser_bot_listen_sessions', help: 'Running /listen sessions in this process.', registers: r, collect() { this.set(sources().listen().sessions); } });
    new Gauge({ name: 'ser_bot_listen_speakers', help: 'Speakers followed by the running /listen sessions.', registers: r, collect() { this.set(sources().listen().speakers); } });
    new Gauge({ name: 'ser_bot_gateway_connected', help: '1 when every gateway shard of this process is connected.', registers: r, collect() { this.set(sources().gatewayConnected() ? 1 : 0); } });
    new Gauge({ name: 'ser_bot_store_reachable', help: '1 while the store (opt-outs, settings) answers.', registers: r, collect() { this.set(sources().storeReachable() ? 1 : 0); } });
    collectDefaultMetrics({ register: this.registry, prefix: 'ser_bot_' });
    for (const source of ['attachment', 'listen']) this.latency.labels(source); // exported from the start, at zero
    for (const kind of ['decode', 'decrypt'] as const) this.voiceErrors.labels(kind);
  }

  /** Counts and times one pool job (the model-card job at start-up is not an analysis). */
  async timed<R>(kind: AnalysisJob['kind'], run: () => Promise<R>): Promise<R> {
    const source = SOURCE[kind];
    if (!source) return run();
    const end = this.latency.startTimer({ source });
    try {
      const r = await run();
      // A /listen utterance resolves with its decoder's counts even when it was not analyzed.
      const v = r as { short?: true; error?: { code?: unknown } };
      const code = v?.short ? 'TOO_SHORT' : v?.error?.code;
      this.analyses.inc({ source, outcome: typeof code === 'string' ? code.toLowerCase() : v?.error ? 'error' : 'ok' });
      return r;
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      this.analyses.inc({ source, outcome: typeof code === 'string' ? code.toLowerCase() : 'error' });
      throw e;
    } finally {
      end();
    }
  }

  /** Every job the pool runs is counted and timed from here on. */
  instrument(pool: WorkerPool<AnalysisJob, AnalysisJobResult>): void {
    const run = pool.run.bind(pool);
    pool.run = (job, transfer) => this.timed(job.kind, () => run(job, transfer));
  }

  voiceError(kind: VoiceErrorKind, n = 1): void {
    if (n > 0) this.voiceErrors.inc({ kind }, n);
  }

  storeError(op: string): void {
    this.storeErrors.inc({ op });
  }
}
