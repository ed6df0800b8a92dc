// Assembles and runs the bot: worker pool (model loaded there), limits, Discord client, router; stops gracefully.
import { resolve } from 'node:path';
import { Events, GatewayIntentBits, type Client } from 'discord.js';
import type { Logger } from 'pino';
import { analysisDeadlineMs } from '../core/audio/index.js';
import { readModelBytes } from '../core/model/file-bytes.js';
import type { ModelCard } from '../core/model/model-file.js';
import { Transcriber } from '../transcribe/client.js';
import { describeSettings } from '../transcribe/settings.js';
import { commandsByName } from '../commands/index.js';
import { INTENTS, createClient, gatewayConnected } from './client.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import type { Metrics } from './metrics.js';
import { metricsOff } from './metrics-off.js';
import type { BotConfig } from './config.js';
import { handleInteraction } from './interactions.js';
import { listenLoad, stopAllSessions } from './voice/registry.js';
import { AnalysisGate, Cooldowns, within } from './limits.js';
import { moduleBeside, WorkerPool } from './pool.js';
import { openStore, OptOutImportError } from './store/open.js';
import type { Store } from './store/store.js';
import type { Command, Services } from './services.js';
import type { AnalysisJob, AnalysisJobResult, WorkerSettings } from './worker.js';

/** Start-up failed for a reason the operator must fix (model, token); `message` is one line. */
export class StartupError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StartupError';
  }
}

export interface StartOptions {
  log: Logger;
  ffmpegPath: string | null;
  commands?: ReadonlyMap<string, Command<any>>;
}

export interface RunningBot {
  client: Client;
  services: Services;
  /** The /healthz + /metrics server's port; null when METRICS_PORT is unset. */
  metricsPort: number | null;
  /** Stop taking work, let in-flight analyses finish until the configured deadline, then disconnect. */
  stop(): Promise<void>;
}

/** Opens DATABASE_URL's store and logs what becomes of it; a store that cannot be opened stops the start. */
export async function openBotStore(config: BotConfig, log: Logger, metrics: Metrics): Promise<Store> {
  let store: Store;
  try {
    store = await openStore(config.database, { legacyOptOutPath: config.listen.optOutPath });
  } catch (e) {
    if (e instanceof OptOutImportError) throw new StartupError(e.message, e);
    const where = config.database.kind === 'sqlite' ? config.database.path : 'the PostgreSQL server in DATABASE_URL';
    throw new StartupError(`cannot open the store at ${where}: ${(e as Error).message} (check DATABASE_URL)`, e);
  }
  store.on('reachable', (up) =>
    up ? log.info({ store: store.where }, 'store reachable again') : log.error({ store: store.where }, 'store unreachable: /listen refuses new sessions and analyses nobody until it is back'),
  );
  store.on('failure', (err, op) => {
    metrics.storeError(op);
    log.debug({ err, op }, 'store operation failed');
  });
  return store;
}

/** Everything handlers need; resolves once a worker has loaded the model (proof it loads where it is used). */
export async function createServices(config: BotConfig, log: Logger, ffmpegPath: string | null, store: Store, metrics: Metrics): Promise<Services> {
  const modelPath = resolve(config.modelPath);
  // One copy of the model for all workers; when it cannot be read here, each worker reports why as it starts.
  const modelBytes = await readModelBytes(modelPath, { shared: true }).catch(() => undefined);
  const settings: WorkerSettings = { modelPath, ...(modelBytes ? { modelBytes } : {}), ffmpegPath };
  const pool = new WorkerPool<AnalysisJob, AnalysisJobResult>({
    module: moduleBeside(import.meta.url, 'worker'),
    size: config.workers,
    // The gate bounds /analyze; the headroom is for /listen utterances, which share the pool.
    maxQueue: config.maxConcurrent + config.maxQueued + 32,
    workerData: settings,
    onWorkerExit: ({ exitCode, error }) => log.error({ exitCode, err: error }, 'analysis worker died; replacing it'),
    jobTimeoutMs: analysisDeadlineMs(config.maxAudioSec),
    onJobTimeout: ({ timeoutMs }) => log.warn({ timeoutMs }, 'analysis job ran past its deadline; its worker was replaced'),
  });
  metrics.instrument(pool);
  let model: ModelCard;
  try {
    model = (await pool.run({ kind: 'card' })) as ModelCard;
  } catch (e) {
    await pool.close();
    await store.close();
    throw new StartupError(`cannot load the model ${settings.modelPath}: ${(e as Error).message} (set MODEL_PATH, or run npm run train)`, e);
  }
  return {
    config,
    log,
    pool,
    gate: new AnalysisGate({ maxActive: config.maxConcurrent, maxQueued: config.maxQueued }),
    cooldowns: new Cooldowns(config.cooldownSec * 1000),
    listenCooldowns: new Cooldowns(config.cooldownSec * 1000),
    model,
    ffmpegPath,
    shuttingDown: false,
    metrics,
    store,
    transcriber: config.transcribe ? new Transcriber(config.transcribe) : null,
  };
}

export async function startBot(config: BotConfig, opts: StartOptions): Promise<RunningBot> {
  const { log } = opts;
  // prom-client only when something will read it.
  const prometheus = config.metrics ? new (await import('./metrics.js')).BotMetrics() : null;
  const metrics = prometheus ?? metricsOff();
  const store = await openBotStore(config, log, metrics);
  const services = await createServices(config, log, opts.ffmpegPath, store, metrics);

  const client = createClient({ apiUrl: config.apiUrl, log, shards: config.shards });
  metrics.sources = {
    queueDepth: () => services.pool.stats.queued,
    listen: () => listenLoad(services),
    gatewayConnected: () => gatewayConnected(client),
    storeReachable: () => store.reachable,
  };
  // Up before the login, so an orchestrator sees "not ready" (503) rather than nothing while the gateway connects.
  let health: HealthServer | null = null;
  if (config.metrics && prometheus) {
    try {
      health = await startHealthServer({ ...config.metrics, metrics: prometheus, log, checks: { gatewayConnected: () => gatewayConnected(client), pingStore: () => store.ping() } });
    } catch (e) {
      await services.pool.close();
      await store.close();
      const fix = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'set METRICS_PORT to a free port, or unset it' : 'METRICS_HOST must be an address of this host (127.0.0.1, or 0.0.0.0 for all)';
      throw new StartupError(`cannot serve metrics on ${config.metrics.host}:${config.metrics.port}: ${(e as Error).message} (${fix})`, e);
    }
  }
  const commands = opts.commands ?? commandsByName;
  const inflight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    const p = handleInteraction(interaction, commands, services).catch((err) => log.error({ err }, 'interaction handler failed'));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  });

  const ready = new Promise<Client<true>>((r) => client.once(Events.ClientReady, r));
  try {
    await client.login(config.token);
  } catch (e) {
    await client.destroy();
    await services.pool.close();
    await health?.close();
    await store.close();
    const code = (e as { code?: string }).code;
    const why = code === 'TokenInvalid' ? 'Discord rejected DISCORD_TOKEN; reset it in Developer Portal → Bot and update .env' : (e as Error).message;
    throw new StartupError(`cannot log in: ${why}`, e);
  }
  const me = await ready;

  // The /health line: everything an operator needs to know the bot is up and how it is configured.
  log.info(
    {
      health: 'ok',
      user: me.user.tag,
      guilds: me.guilds.cache.size,
      model: { path: resolve(config.modelPath), version: services.model.version, metrics: services.model.metrics, split: services.model.split },
      intents: INTENTS.map((bit) => GatewayIntentBits[bit]),
      limits: {
        maxAttachmentMb: +(config.maxAttachmentBytes / 1048576).toFixed(2),
        maxAudioSec: config.maxAudioSec,
        cooldownSec: config.cooldownSec,
        maxConcurrent: config.maxConcurrent,
        maxQueued: config.maxQueued,
        downloadTimeoutMs: config.downloadTimeoutMs,
      },
      workers: config.workers,
      ffmpeg: opts.ffmpegPath ?? 'none (only WAV, Ogg/Opus, WebM/Opus)',
      transcribe: config.transcribe ? describeSettings(config.transcribe) : 'off',
      store: { kind: store.kind, where: store.where },
      metrics: health ? `http://${config.metrics!.host}:${health.port}/metrics` : 'off',
      shards: config.shards ?? 'all (or as the ShardingManager says)',
      restApi: config.apiUrl ?? 'discord.com',
    },
    'ser-bot ready',
  );

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      services.shuttingDown = true;
      services.gate.close();
      const deadline = config.shutdownTimeoutMs;
      log.info({ inflight: inflight.size, deadlineMs: deadline }, 'shutting down: finishing in-flight analyses');
      // One deadline for the whole stop, as SHUTDOWN_TIMEOUT_SECONDS promises (and a supervisor's grace period
      // assumes): each stage gets what the ones before it left.
      const end = Date.now() + deadline;
      const left = (): number => Math.max(0, end - Date.now());
      // Voice sessions end first, while the client can still post their summaries.
      await within(stopAllSessions(services), left());
      await within(Promise.allSettled([...inflight]), left());
      if (inflight.size > 0) log.warn({ abandoned: inflight.size }, 'shutdown deadline reached; abandoning analyses');
      await services.pool.close(left());
      await client.destroy();
      await health?.close();
      await store.close();
      log.info('ser-bot stopped');
    })());

  return { client, services, stop, metricsPort: health?.port ?? null };
}
