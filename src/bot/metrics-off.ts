// The bot's metrics when METRICS_PORT is unset (the default): nothing is counted, and prom-client is never
// loaded (~18 MB RSS and ~100 ms of start-up CPU, plus its default collectors ticking for no reader).
import type { MetricSources, Metrics } from './metrics.js';

/** Gauges read zero until the bot's parts exist. */
export const NO_SOURCES: MetricSources = { queueDepth: () => 0, listen: () => ({ sessions: 0, speakers: 0 }), gatewayConnected: () => false, storeReachable: () => false };

export function metricsOff(): Metrics {
  return {
    sources: NO_SOURCES,
    instrument() {},
    voiceError() {},
    storeError() {},
  };
}
