// GET /healthz (gateway connected, store reachable) and GET /metrics (Prometheus) on METRICS_HOST:METRICS_PORT.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { BotMetrics } from './metrics.js';

export interface HealthChecks {
  gatewayConnected(): boolean;
  /** Resolves when the store answers a round trip. */
  pingStore(): Promise<void>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 2_000;

async function storeAnswers(checks: HealthChecks): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), PING_TIMEOUT_MS)));
  const ping = checks.pingStore().then(() => true, () => false);
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}

/** Listens (127.0.0.1 unless told otherwise); rejects when the address cannot be bound. */
export async function startHealthServer(o: { host: string; port: number; metrics: BotMetrics; checks: HealthChecks; log: Logger }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      void storeAnswers(o.checks).then((store) => {
        const gateway = o.checks.gatewayConnected();
        const ok = gateway && store;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unhealthy', gateway, store }));
      });
      return;
    }
    if (path === '/metrics') {
      o.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.metrics.registry.contentType }).end(text),
        (err) => {
          o.log.warn({ err }, 'could not collect metrics');
          res.writeHead(500).end();
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => o.log.warn({ err }, 'health server error'));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
