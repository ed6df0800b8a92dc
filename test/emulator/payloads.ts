// Gateway and interaction payloads shaped like Discord's, with just the fields discord.js 14 reads (see discord.md §6).
import { PermissionFlagsBits } from 'discord.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
let counter = 0n;
/** Real-shaped snowflakes (timestamp << 22 | counter), so `createdTimestamp` is now and ids pass snowflake checks. */
export function snowflake(): string {
  counter = (counter + 1n) & 0x3f_ffffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | counter);
}

export interface World {
  appId: string;
  bot: { id: string; username: string };
  guildId: string;
  textChannelId: string;
  voiceChannelId: string;
  /** A second voice channel (an admin may move the bot there). */
  otherVoiceChannelId: string;
  /** A role members may hold (e.g. the one /settings lets start /listen). */
  roleId: string;
}

export function newWorld(appId = snowflake()): World {
  return { appId, bot: { id: appId, username: 'ser-bot' }, guildId: snowflake(), textChannelId: snowflake(), voiceChannelId: snowflake(), otherVoiceChannelId: snowflake(), roleId: snowflake() };
}

export function user(id: string, username = `user${id.slice(-4)}`) {
  return { id, username, discriminator: '0', global_name: username, avatar: null, bot: false };
}

/** What a bot normally holds in a channel where it was invited with the README's permissions. */
export const DEFAULT_APP_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect;

/** Discord's routing: a guild's events go to shard (guild_id >> 22) % shard_count. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild id that Discord routes to `shard` of `count`. */
export function guildIdOnShard(shard: number, count: number): string {
  for (;;) {
    const id = snowflake();
    if (shardOf(id, count) === shard) return id;
    // Ids made in the same millisecond share a shard: wait for the next one.
    const t = Date.now();
    while (Date.now() === t);
  }
}

export function ready(w: World, sessionId: string, resumeUrl: string, shard: [number, number] = [0, 1], guildIds: string[] = [w.guildId]) {
  return {
    v: 10,
    user: { ...user(w.bot.id, w.bot.username), bot: true, verified: true, flags: 0 },
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    application: { id: w.appId, flags: 0 },
    shard,
  };
}

export function guildCreate(w: World) {
  const now = new Date().toISOString();
  return {
    id: w.guildId,
    name: 'Emulated guild',
    icon: null,
    owner_id: snowflake(),
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: now,
    features: [],
    roles: [
      { id: w.guildId, name: '@everyone', permissions: String(DEFAULT_APP_PERMISSIONS), position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      { id: w.roleId, name: 'Listeners', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
    ],
    channels: [
      { id: w.textChannelId, type: 0, name: 'general', guild_id: w.guildId, position: 0, permission_overwrites: [] },
      { id: w.voiceChannelId, type: 2, name: 'Voice', guild_id: w.guildId, position: 1, permission_overwrites: [], bitrate: 64000, user_limit: 0 },
      { id: w.otherVoiceChannelId, type: 2, name: 'Other voice', guild_id: w.guildId, position: 2, permission_overwrites: [], bitrate: 64000, user_limit: 0 },
    ],
    members: [{ user: { ...user(w.bot.id, w.bot.username), bot: true }, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
    voice_states: [],
    emojis: [],
    stickers: [],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface AttachmentSpec {
  filename: string;
  url: string;
  size: number;
  contentType?: string | null;
  durationSecs?: number;
}

export function attachment(a: AttachmentSpec) {
  const id = snowflake();
  return {
    id,
    filename: a.filename,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
    ...(a.contentType !== null ? { content_type: a.contentType ?? 'audio/ogg' } : {}),
    ...(a.durationSecs !== undefined ? { duration_secs: a.durationSecs, waveform: Buffer.alloc(64, 128).toString('base64') } : {}),
    ephemeral: true,
  };
}

export interface InvokerOptions {
  userId?: string;
  username?: string;
  appPermissions?: bigint;
  /** The invoker's permissions in the channel (default: an ordinary member's). */
  memberPermissions?: bigint;
  /** The invoker's role ids. */
  roles?: string[];
}

function envelope(w: World, data: Record<string, unknown>, o: InvokerOptions) {
  const uid = o.userId ?? snowflake();
  return {
    id: snowflake(),
    application_id: w.appId,
    type: 2,
    token: `itok-${snowflake()}`,
    version: 1,
    guild_id: w.guildId,
    channel_id: w.textChannelId,
    channel: { id: w.textChannelId, type: 0, guild_id: w.guildId, name: 'general' },
    member: { user: user(uid, o.username), roles: o.roles ?? [], joined_at: new Date().toISOString(), permissions: String(o.memberPermissions ?? DEFAULT_APP_PERMISSIONS), deaf: false, mute: false, flags: 0 },
    app_permissions: String(o.appPermissions ?? DEFAULT_APP_PERMISSIONS),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': w.guildId },
    context: 0,
    attachment_size_limit: 10 * 1024 * 1024,
    data,
  };
}

export type InteractionPayload = ReturnType<typeof envelope>;

/** `/analyze audio:<attachment> [private:<bool>]` */
export function analyzeCommand(w: World, att: ReturnType<typeof attachment> | null, o: InvokerOptions & { private?: boolean } = {}): InteractionPayload {
  const options: unknown[] = [];
  if (att) options.push({ name: 'audio', type: 11, value: att.id });
  if (o.private !== undefined) options.push({ name: 'private', type: 5, value: o.private });
  return envelope(w, { id: snowflake(), name: 'analyze', type: 1, guild_id: w.guildId, options, ...(att ? { resolved: { attachments: { [att.id]: att } } } : {}) }, o);
}

export function slashCommand(w: World, name: string, o: InvokerOptions & { options?: unknown[]; resolved?: unknown } = {}): InteractionPayload {
  return envelope(w, { id: snowflake(), name, type: 1, guild_id: w.guildId, options: o.options ?? [], ...(o.resolved ? { resolved: o.resolved } : {}) }, o);
}

/** A click on a button (component type 2) with `customId` on one of the bot's messages. */
export function buttonPress(w: World, customId: string, o: InvokerOptions = {}) {
  const base = envelope(w, { custom_id: customId, component_type: 2 }, o);
  return { ...base, type: 3, message: message(w, { fromBot: true, content: '' }) };
}

/** VOICE_STATE_UPDATE for `userId` in `channelId` (null = left voice), with the member so discord.js caches it. */
export function voiceState(w: World, userId: string, channelId: string | null, o: { bot?: boolean; username?: string; sessionId?: string; selfMute?: boolean; selfDeaf?: boolean; serverDeaf?: boolean } = {}) {
  return {
    guild_id: w.guildId,
    channel_id: channelId,
    user_id: userId,
    session_id: o.sessionId ?? `vs-${userId}`,
    member: { user: { ...user(userId, o.username), bot: o.bot ?? false }, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
    deaf: o.serverDeaf ?? false,
    mute: false,
    self_deaf: o.selfDeaf ?? false,
    self_mute: o.selfMute ?? false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}

export interface MessageSpec {
  attachments?: ReturnType<typeof attachment>[];
  /** Defaults to a new user; pass the invoker's id to make it their own message. */
  authorId?: string;
  /** The bot's own messages (replies and follow-ups). */
  fromBot?: boolean;
  voice?: boolean;
  content?: string;
  embeds?: unknown[];
  flags?: number;
}

/** A message in the text channel: a context-menu target, or what REST returns for the bot's own replies. */
export function message(w: World, m: MessageSpec = {}) {
  const author = m.fromBot ? { ...user(w.bot.id, w.bot.username), bot: true } : user(m.authorId ?? snowflake(), 'speaker');
  return {
    id: snowflake(),
    channel_id: w.textChannelId,
    author,
    content: m.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments ?? [],
    embeds: m.embeds ?? [],
    pinned: false,
    type: m.fromBot ? 20 : 0, // 20 = reply to a chat-input command
    flags: (m.flags ?? 0) | (m.voice ? 1 << 13 : 0), // 1 << 13 = IS_VOICE_MESSAGE
    ...(m.fromBot ? { webhook_id: w.appId, application_id: w.appId } : {}),
  };
}

/** `inner` forwarded by someone: Discord sends the forward with no attachments of its own and the original in a snapshot. */
export function forwarded(w: World, inner: ReturnType<typeof message>, m: MessageSpec = {}) {
  const { id: _id, channel_id: _c, author: _a, pinned: _p, tts: _t, mention_everyone: _e, ...snapshot } = inner;
  return {
    ...message(w, m),
    message_reference: { type: 1, channel_id: inner.channel_id, message_id: inner.id, guild_id: w.guildId }, // 1 = FORWARD
    message_snapshots: [{ message: snapshot }],
    flags: 1 << 14, // HAS_SNAPSHOT
  };
}

export function messageCommand(w: World, name: string, target: ReturnType<typeof message> | ReturnType<typeof forwarded>, o: InvokerOptions = {}): InteractionPayload {
  return envelope(w, { id: snowflake(), name, type: 3, guild_id: w.guildId, target_id: target.id, resolved: { messages: { [target.id]: target } } }, o);
}
