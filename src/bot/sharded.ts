// `npm run start:sharded`: discord.js's ShardingManager runs main.ts once per shard, each in its own process.
// Each shard has its own client, worker pool and /listen sessions: a guild's voice session lives on the shard that owns it.
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { configOrExit, environment } from './config.js';
import { createLogger } from './logger.js';
import { moduleBeside } from './pool.js';
import { exitIfNodeTooOld } from './node-version.js';
import { Shutdown, stopOn } from './shutdown.js';
import { decimal } from '../core/decimal.js';

exitIfNodeTooOld();
const env = environment();
const config = configOrExit(env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });

// 'auto' asks Discord (always discord.com, whatever DISCORD_API_URL says) how many shards to run.
const raw = env.TOTAL_SHARDS?.trim() || 'auto';
const totalShards = raw === 'auto' ? 'auto' : decimal(raw);
if (totalShards !== 'auto' && (!Number.isInteger(totalShards) || totalShards < 1 || totalShards > 10_000)) {
  process.stderr.write(`ser-bot: config error: TOTAL_SHARDS must be auto or a whole number from 1 to 10000 (got "${raw.slice(0, 16)}").\n`);
  process.exit(2);
}

// One port cannot serve several processes: each shard would try to bind it, and all but one fail to start.
if (config.metrics !== null) {
  process.stderr.write('ser-bot: config error: METRICS_PORT serves one process; start:sharded runs one per shard. Unset it here, or run the shards as separate processes (SHARDS=… npm start), each with its own METRICS_PORT.\n');
  process.exit(2);
}

const manager = new ShardingManager(fileURLToPath(moduleBeside(import.meta.url, 'main')), {
  token: config.token,
  totalShards,
  mode: 'process',
  respawn: true,
  // Compiled (dist/, `npm run start:sharded`): plain Node. From source: the shards load TypeScript through
  // tsx (resolved here: the working directory may be anywhere).
  execArgv: ['--max-semi-space-size=1', '--optimize-for-size', ...(import.meta.url.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [])],
});
manager.on('shardCreate', (shard) => {
  log.info({ shard: shard.id, totalShards: manager.totalShards }, 'shard launched');
  shard.on('death', (p) => log.warn({ shard: shard.id, exitCode: 'exitCode' in p ? p.exitCode : null }, 'shard process exited'));
  // A shard that dies while starting (or cannot be respawned) is an error event: logged, and the fleet stops rather
  // than the manager crashing with its shards left running.
  shard.on('error', (err) => {
    log.error({ err, shard: shard.id }, 'shard failed');
    process.exitCode = 1;
    shutdown.failed();
  });
});

/** Ends every shard gracefully (each finishes its analyses and posts its summaries); they are not respawned. */
function stopShards(): Promise<void> {
  manager.respawn = false;
  return Promise.all(
    [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

// The same rules as one bot (shutdown.ts): SIGINT, SIGTERM or SIGHUP start one stop, a second request forces it,
// and npm gone means stop. The deadline is the shards' own (main.ts) and a little more, so they can finish first.
const shutdown = new Shutdown({
  stop: stopShards,
  log,
  exit: (code) => process.exit(process.exitCode ?? code),
  forceAfterMs: config.shutdownTimeoutMs + 15_000,
});
stopOn(shutdown, env);

try {
  // Shards log in one after another (Discord allows one IDENTIFY per 5 s per bucket).
  await manager.spawn({ delay: 5_500, timeout: 60_000 });
} catch (err) {
  log.fatal({ err }, 'could not start the shards');
  process.exitCode = 2;
  shutdown.failed();
}
