// `npm run start:sharded`: discord.js's ShardingManager runs main.ts once per shard, each in its own process.
// Each shard has its own client, worker pool and /listen sessions: a guild's voice session lives on the shard that owns it.
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { configOrExit, environment } from './config.js';
import { createLogger } from './logger.js';
import { moduleBeside } from './pool.js';

const env = environment();
const config = configOrExit(env);
const log = createLogger({ level: config.logLevel, format: config.logFormat });

// 'auto' asks Discord (always discord.com, whatever DISCORD_API_URL says) how many shards to run.
const raw = env.TOTAL_SHARDS?.trim() || 'auto';
const totalShards = raw === 'auto' ? 'auto' : Number(raw);
if (totalShards !== 'auto' && (!Number.isInteger(totalShards) || totalShards < 1 || totalShards > 10_000)) {
  process.stderr.write(`ser-bot: config error: TOTAL_SHARDS must be auto or a whole number from 1 to 10000 (got "${raw.slice(0, 16)}").\n`);
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
});

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping shards');
  // Each shard shuts down gracefully on SIGTERM (finishing its analyses); do not respawn them.
  manager.respawn = false;
  const exits = [...manager.shards.values()].map(
    (shard) =>
      new Promise<void>((resolve) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  void Promise.all(exits).then(() => process.exit(process.exitCode ?? 0));
  setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  // Shards log in one after another (Discord allows one IDENTIFY per 5 s per bucket).
  await manager.spawn({ delay: 5_500, timeout: 60_000 });
} catch (err) {
  log.fatal({ err }, 'could not start the shards');
  process.exitCode = 2;
  stop('SIGTERM');
}
