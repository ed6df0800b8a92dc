// The discord.js Client: minimal intents, optional REST base URL (proxy or test emulator), every error logged.
import { Client, Events, GatewayIntentBits, Options, Status, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';

/** Guilds for the guild/channel cache, GuildVoiceStates for /listen. No privileged intents. */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] as const;

export function createClient(opts: { apiUrl: string | null; log: Logger; shards?: { ids: number[]; count: number } | null }): Client {
  const options: ClientOptions = {
    intents: [...INTENTS],
    // Replies never ping anyone, whatever a transcript or file name contains.
    allowedMentions: { parse: [] },
    // The bot reads no message history: replies are edited through the objects their calls return,
    // and a voice message arrives with its interaction. discord.js would otherwise keep the last
    // 200 messages of every channel it answers in, for as long as it runs.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  };
  if (opts.apiUrl) options.rest = { api: opts.apiUrl };
  // One process may run a slice of the shards (SHARDS/SHARD_COUNT); guilds go to shard (guild_id >> 22) % count.
  if (opts.shards) Object.assign(options, { shards: opts.shards.ids, shardCount: opts.shards.count });
  const client = new Client(options);
  const log = opts.log;
  // The Client uses captureRejections: without an 'error' listener a rejected handler would kill the process.
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ shardId, code: event.code }, 'gateway disconnected'));
  // Also emitted by destroy() at shutdown: useful when debugging, noise otherwise.
  client.on(Events.ShardReconnecting, (shardId) => log.debug({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardError, (err, shardId) => log.error({ err, shardId }, 'gateway error'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'rate limited by Discord'));
  return client;
}

/** True when every gateway shard this process runs is connected and ready (for /healthz). */
export function gatewayConnected(client: Client): boolean {
  const shards = client.ws.shards;
  return shards.size > 0 && shards.every((s) => s.status === Status.Ready);
}
