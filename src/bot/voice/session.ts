// One /listen session in one guild: joins, follows each speaker's utterances, posts live results, reconnects, sums up.
import { performance } from 'node:perf_hooks';
import {
  joinVoiceChannel,
  VoiceConnectionDisconnectReason,
  VoiceConnectionStatus,
  type VoiceConnection,
  type VoiceConnectionState,
} from '@discordjs/voice';
import type { Guild, Message, MessageCreateOptions, VoiceState } from 'discord.js';
import type { Logger } from 'pino';
import type { ListenConfig } from '../config.js';
import type { VoiceJobResult } from '../worker.js';
import { DEFAULT_LIVE, LiveMessage, type LiveMessageOptions } from './live-message.js';
import type { Store } from '../store/store.js';
import type { LaneChart } from '../../charts/lanes.js';
import { daveStats, limitPassthrough, privacyCodeOf } from './dave.js';
import { guardReceive, subscribeUtterance } from './receive.js';
import { deafEmbed, liveEmbed, serverDeafEmbed, summaryEmbed } from './render.js';
import { DeafnessWatch, type DeafnessOptions } from './deafness.js';
import { Speaker } from './speaker.js';
import { sendSummary, sessionChart } from './summary-chart.js';
import { emptyStats, type AssemblyStats } from './utterance.js';
import { MAX_PIECE_BYTES, type PacketBatch } from './packets.js';

export type EndReason = 'stopped' | 'empty' | 'duration' | 'disconnected' | 'removed' | 'channel' | 'shutdown';

const REASON_TEXT: Record<EndReason, string> = {
  stopped: 'stopped on request',
  empty: 'everyone left the voice channel',
  duration: 'time limit reached',
  disconnected: 'the voice connection was lost and could not be re-established',
  removed: 'someone disconnected me from the voice channel',
  channel: 'I can no longer post in this channel',
  shutdown: 'the bot is restarting',
};

/** Where the session posts: the text channel /listen was used in (bot token, so it outlives the interaction). */
export interface PostTarget {
  send(options: MessageCreateOptions): Promise<Message>;
}

export interface SessionOptions {
  guild: Guild;
  voiceChannelId: string;
  textChannel: PostTarget;
  config: ListenConfig;
  durationMs: number;
  log: Logger;
  /** Who may be analyzed (the store: opted-out users never, and nobody while it is unreachable). */
  optOuts: Pick<Store, 'mayAnalyze'>;
  /**
   * Decodes one utterance's Opus packets and runs the core on them, in the worker pool (the batch's buffers
   * move there). `minUtteranceSec`: shorter audio is not analyzed; `wav`: also return the audio as 16-bit WAV.
   */
  analyze(batch: PacketBatch, o: { minUtteranceSec: number; wav: boolean }): Promise<VoiceJobResult>;
  /**
   * Optional speech-to-text for an analyzed utterance (16-bit WAV, made in the worker), never waited on by
   * the results. Resolves with the words, or null when the transcript is unavailable.
   */
  transcribe?(wav: Uint8Array): Promise<string | null>;
  onEnded?(session: ListenSession, reason: EndReason): void;
  /** Draws the summary chart (worker pool) as PNG, or null; absent where the bot may not attach files. */
  drawChart?(chart: LaneChart): Promise<Buffer | null>;
  /** Counts receive problems as they happen (metrics): frames that failed to decode, packets that failed to decrypt. */
  onVoiceErrors?(kind: 'decode' | 'decrypt', count: number): void;
  live?: LiveMessageOptions;
  /** Give up when the connection is not ready again this long after it dropped. */
  reconnectTimeoutMs?: number;
  /** How long the first join may take. */
  joinTimeoutMs?: number;
  /** When a speaker's failing packets mean the bot cannot hear them. */
  deafness?: DeafnessOptions;
}

/** Discord's codes for a channel the bot can no longer post in: Unknown Channel, Missing Access, Missing Permissions. */
const CHANNEL_GONE = new Set([10003, 50001, 50013]);
// Long speech is analyzed in pieces so memory stays bounded and results keep coming.
const MAX_UTTERANCE_SEC = 15;
// Utterance analyses still running at the end get this long to make it into the summary.
const SUMMARY_WAIT_MS = 5_000;
const LATENCY_SAMPLES = 2_000;
// The library re-signals by itself after most voice WebSocket closes; past this many tries it is a loop (e.g. 4017).
const MAX_REJOINS = 5;

export class ListenSession {
  readonly speakers = new Map<string, Speaker>();
  readonly startedAt = Date.now();
  readonly stats = { utterances: 0, skipped: 0, dropped: 0, failed: 0, streamErrors: 0, reconnects: 0, foreignDatagrams: 0, malformedDatagrams: 0 };
  /** End of utterance → analysis result, ms (most recent LATENCY_SAMPLES). */
  readonly latencyMs: number[] = [];
  endReason: EndReason | null = null;
  /** Where the bot listens; follows the bot if someone moves it. */
  voiceChannelId: string;
  /** The bot could not hear, joined again, and still could not: the channel was told (once). */
  deaf = false;
  /** A moderator server-deafened the bot at some point (the channel was told). */
  serverDeafened = false;
  private connection: VoiceConnection | null = null;
  private readonly live: LiveMessage<Message>;
  private readonly inflight = new Set<Promise<void>>();
  private readonly assembly: AssemblyStats = emptyStats();
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | null = null;
  private ending: Promise<void> | null = null;
  private wasReady = false;
  private readonly deafness: DeafnessWatch;
  /** The one fresh join a deaf session gets. */
  private rejoinedDeaf = false;
  private freshening = false;
  /** Ends a join that is still waiting for the connection (the session was stopped meanwhile). */
  private cancelJoin: (() => void) | null = null;

  constructor(private readonly o: SessionOptions) {
    this.voiceChannelId = o.voiceChannelId;
    this.deafness = new DeafnessWatch(o.deafness);
    this.live = new LiveMessage<Message>(
      {
        send: () => this.o.textChannel.send({ embeds: [liveEmbed(this.view())] }),
        edit: (m) => m.edit({ embeds: [liveEmbed(this.view())] }),
      },
      {
        ...DEFAULT_LIVE,
        ...o.live,
        onError: (err) => {
          this.o.log.warn({ err, guildId: o.guild.id }, 'could not update the live message');
          // Nobody can see the results any more (channel deleted, access or permission taken): stop listening.
          if (CHANNEL_GONE.has((err as { code?: unknown } | null)?.code as number)) void this.stop('channel');
        },
      },
    );
  }

  get guildId(): string {
    return this.o.guild.id;
  }

  get ended(): boolean {
    return this.ending !== null;
  }

  /** Joins the voice channel and waits until audio can flow; throws (having left) when it cannot. */
  async start(): Promise<void> {
    if (this.ending) throw new Error('the session ended before joining');
    try {
      await this.waitForReady(this.connect(), this.o.joinTimeoutMs ?? 20_000);
    } catch (e) {
      this.release();
      throw e;
    }
    this.timers.push(setTimeout(() => void this.stop('duration'), this.o.durationMs));
    this.checkEmpty();
  }

  /** A new connection (not deafened: deafened bots receive nothing; muted: it never speaks). */
  private connect(): VoiceConnection {
    const { guild } = this.o;
    const conn = joinVoiceChannel({
      channelId: this.voiceChannelId,
      guildId: guild.id,
      adapterCreator: guild.voiceAdapterCreator,
      selfDeaf: false,
      selfMute: true,
    });
    // Before any socket exists: no datagram may throw out of the library (the first surprise is a warning).
    let warned = false;
    guardReceive(conn, this.stats, (err) => {
      this.o.log[warned ? 'debug' : 'warn']({ err, guildId: guild.id }, 'a voice datagram made the receive path throw; dropped');
      warned = true;
    });
    this.connection = conn;
    this.wasReady = false;
    conn.on('error', (err) => this.o.log.warn({ err, guildId: guild.id }, 'voice connection error'));
    conn.on('stateChange', (_old, s) => this.onConnectionState(conn, s));
    conn.on('transitioned', () => limitPassthrough(conn));
    conn.receiver.speaking.on('start', this.onSpeakingStart);
    return conn;
  }

  /**
   * A speaker's packets keep failing to decrypt or decode (a key or cipher mismatch, a DAVE session
   * that never became ready): warn with the counts and join again once with a fresh connection and
   * DAVE session; if the bot still cannot hear after that, tell the channel once, so nobody reads
   * silence as "nobody spoke".
   */
  private onReceiveFailure(userId: string, kind: 'decryptFailures' | 'undecodable', count = 1, since?: number): void {
    const streak = this.deafness.failed(userId, kind, count, since);
    if (!streak || this.ending || this.freshening) return;
    const at = { guildId: this.guildId, userId, ...streak };
    if (!this.rejoinedDeaf) {
      this.rejoinedDeaf = true;
      this.o.log.warn(at, 'speech arrives but nothing decodes: joining again with a fresh connection');
      void this.freshConnection();
    } else if (!this.deaf) {
      this.deaf = true;
      this.o.log.warn(at, 'still cannot hear after joining again: telling the channel');
      this.o.textChannel.send({ embeds: [deafEmbed(this.voiceChannelId)] }).catch((err) => this.o.log.warn({ err, guildId: this.guildId }, 'could not tell the channel the bot cannot hear'));
    }
  }

  private async freshConnection(): Promise<void> {
    if (!this.connection) return;
    this.freshening = true;
    this.detach(this.connection);
    await new Promise((r) => setTimeout(r, 1000));
    if (this.ending) return;
    try {
      await this.waitForReady(this.connect(), this.o.joinTimeoutMs ?? 20_000);
      this.wasReady = true;
      this.stats.reconnects++;
    } catch {
      void this.stop('disconnected');
    } finally {
      this.deafness.reset();
      this.freshening = false;
    }
  }

  /** Stops following a connection and leaves it; its streams close (finishing their utterances). */
  private detach(conn: VoiceConnection): void {
    conn.removeAllListeners('stateChange');
    conn.receiver.speaking.off('start', this.onSpeakingStart);
    // destroy() throws when already destroyed.
    if (conn.state.status !== VoiceConnectionStatus.Destroyed) conn.destroy();
  }

  /** Ends the session once: leaves, waits briefly for running analyses, posts the summary. */
  stop(reason: EndReason): Promise<void> {
    return (this.ending ??= this.finish(reason));
  }

  /** Voice state changes in this guild (the registry forwards them). */
  onVoiceStateUpdate(before: VoiceState, after: VoiceState): void {
    if (this.ending) return;
    if (after.id === this.o.guild.client.user.id) {
      // Disconnected by a moderator, or its channel deleted: end now, not after the reconnect deadline. (A fresh
      // connection leaves and joins again on purpose.)
      if (after.channelId === null && this.wasReady && !this.freshening) {
        void this.stop('removed');
        return;
      }
      // Server-deafened by a moderator: Discord sends the bot no audio. Say so once per deafening, so silence is not
      // read as "nobody spoke"; the summary says it could not hear.
      if (after.serverDeaf && !before.serverDeaf) {
        this.serverDeafened = true;
        this.o.log.warn({ guildId: this.guildId }, 'server-deafened: telling the channel');
        this.o.textChannel.send({ embeds: [serverDeafEmbed(this.voiceChannelId)] }).catch((err) => this.o.log.warn({ err, guildId: this.guildId }, 'could not tell the channel the bot was deafened'));
      }
      // Moved by someone to another channel: listen there (people left behind are released).
      if (after.channelId && after.channelId !== this.voiceChannelId) {
        const from = this.voiceChannelId;
        this.voiceChannelId = after.channelId;
        for (const id of this.speakers.keys()) if (this.o.guild.voiceStates.cache.get(id)?.channelId !== after.channelId) this.releaseSpeaker(id, 'moved away');
        this.o.log.info({ guildId: this.guildId, from, to: after.channelId }, 'moved to another voice channel');
        this.live.changed();
        this.checkEmpty();
      }
      return;
    }
    if (before.channelId === this.voiceChannelId && after.channelId !== this.voiceChannelId) this.releaseSpeaker(after.id, 'left');
    if (before.channelId === this.voiceChannelId || after.channelId === this.voiceChannelId) this.checkEmpty();
  }

  /** The user opted out mid-session: stop listening at once and drop everything about them. */
  forget(userId: string): void {
    const sp = this.speakers.get(userId);
    if (!sp) return;
    this.speakers.delete(userId);
    sp.stream?.destroy();
    sp.release();
    this.live.changed();
  }

  /** The call's DAVE voice privacy code (see privacyCodeOf). */
  get privacyCode(): string | null | undefined {
    return privacyCodeOf(this.connection);
  }

  /** Resolves with the privacy code once the bot has joined the call's encryption group (null after `ms`). */
  async waitForPrivacyCode(ms: number): Promise<string | null | undefined> {
    for (const until = Date.now() + ms; this.privacyCode === null && Date.now() < until && !this.ending; ) await new Promise((r) => setTimeout(r, 50));
    return this.privacyCode;
  }

  /** What the live message and summary show. */
  private view() {
    return { voiceChannelId: this.voiceChannelId, speakers: [...this.speakers.values()], privacyCode: this.privacyCode };
  }

  private onSpeakingStart = (userId: string): void => {
    if (!this.ending && this.mayListenTo(userId)) this.listen(userId);
  };

  /** Only people present in the channel, never bots, never anyone who opted out. */
  private mayListenTo(userId: string): boolean {
    if (!this.o.optOuts.mayAnalyze(userId)) return false;
    const state = this.o.guild.voiceStates.cache.get(userId);
    if (state?.channelId !== this.voiceChannelId) return false;
    const member = state.member ?? this.o.guild.members.cache.get(userId);
    return !!member && !member.user.bot;
  }

  private listen(userId: string): void {
    const receiver = this.connection?.receiver;
    if (!receiver) return;
    let sp = this.speakers.get(userId);
    if (!sp) {
      const member = this.o.guild.members.cache.get(userId);
      sp = new Speaker(userId, member?.displayName ?? 'someone');
      this.speakers.set(userId, sp);
    }
    if (sp.stream) return;
    const speaker = sp;
    speaker.streamFailed = false;
    speaker.leaving = false;
    speaker.stream = subscribeUtterance(receiver, userId, this.o.config.silenceMs, {
      onPacket: (p) => {
        // Only kept here: a pool worker decodes the utterance when it ends. DAVE ciphertext is known on
        // arrival; whether the rest decodes comes back with the piece's result (see judge).
        const c = speaker.packets;
        if (c.push(p)) this.onReceiveFailure(userId, 'undecodable');
        else if (p.payload.length > 0 && speaker.decodes) this.deafness.heard(userId);
        if (c.seconds >= MAX_UTTERANCE_SEC || c.bytes >= MAX_PIECE_BYTES) this.submit(speaker, true);
      },
      onDrop: () => this.onReceiveFailure(userId, 'decryptFailures'),
      onError: (err) => {
        // A packet that failed transport or DAVE decryption: the library destroyed the stream.
        speaker.streamFailed = true;
        this.stats.streamErrors++;
        this.o.onVoiceErrors?.('decrypt', 1);
        this.o.log.debug({ err, guildId: this.guildId, userId }, 'voice receive stream error');
        this.onReceiveFailure(userId, 'decryptFailures');
      },
      onClose: () => {
        speaker.stream = null;
        const current = this.speakers.get(userId) === speaker;
        // After a bad packet, carry on with the same utterance on a new stream: it ends by itself
        // after the usual silence if they had stopped talking. (Checking receiver.speaking here
        // races its 100-ms timer and can drop the rest of the utterance.)
        if (speaker.streamFailed && current && !this.ending && !speaker.leaving && this.mayListenTo(userId)) {
          this.listen(userId);
          return;
        }
        if (!current) return;
        this.submit(speaker);
        if (speaker.leaving) speaker.release();
      },
    });
  }

  /**
   * Sends the speaker's utterance so far (its packets) to the pool, which decodes and analyzes it; `cut`: they
   * are still talking (the next piece continues this one). Too short (by its RTP span, which the decoded
   * length never exceeds) or opted out: dropped here, undecoded.
   */
  private submit(sp: Speaker, cut = false): void {
    if (!sp.holdsAudio) return;
    if (sp.packets.packets === 0) {
      if (!cut) sp.packets.endUtterance();
      return;
    }
    const endedAt = performance.now(); // latency counts decoding too
    const c = sp.packets;
    const startedAt = c.startedAt;
    // Checked again at the end of the utterance: they may have opted out, or the store gone away, meanwhile.
    if (c.seconds < this.o.config.minUtteranceSec || !this.o.optOuts.mayAnalyze(sp.userId)) {
      this.assembly.packets += c.packets;
      this.assembly.encryptedFrames += c.encrypted;
      this.o.onVoiceErrors?.('decrypt', c.encrypted);
      if (c.audible > 0) this.stats.skipped++;
      c.discard();
      return;
    }
    const packets = c.packets;
    const batch = c.take(cut);
    const spokeUntil = Date.now() - this.startedAt; // where the utterance sits on the summary chart
    const job = this.o.analyze(batch, { minUtteranceSec: this.o.config.minUtteranceSec, wav: !!this.o.transcribe }).then(
      (r) => {
        this.judge(sp, r, startedAt);
        if (r.short) {
          if (r.audioSec > 0) this.stats.skipped++;
          return;
        }
        if (r.error || !r.analysis) return this.failed(r.error);
        const a = r.analysis;
        const audioSec = r.audioSec;
        if (this.speakers.get(sp.userId) !== sp) return; // opted out meanwhile
        const words = r.wav && this.o.transcribe?.(r.wav);
        this.stats.utterances++;
        sp.record(a, Date.now() - this.startedAt, spokeUntil);
        const shown = sp.latest;
        // The transcript joins the line it belongs to, unless a newer utterance has replaced it.
        void words?.then((text) => {
          if (sp.latest !== shown || !shown) return;
          shown.transcript = text ?? null;
          this.live.changed();
        });
        const latencyMs = performance.now() - endedAt;
        this.latencyMs.push(latencyMs);
        this.o.log.debug({ guildId: this.guildId, latencyMs: Math.round(latencyMs * 10) / 10, audioSec }, 'utterance analyzed');
        if (this.latencyMs.length > LATENCY_SAMPLES) this.latencyMs.shift();
        this.live.changed();
      },
      (err: { code?: string }) => {
        this.assembly.packets += packets; // never decoded
        this.failed(err);
      },
    );
    this.inflight.add(job);
    void job.finally(() => this.inflight.delete(job));
  }

  /** An utterance that got no analysis: too little speech, no room in the pool, or a failure (logged). */
  private failed(err: { code?: string } | undefined): void {
    if (err?.code === 'TOO_SHORT' || err?.code === 'NO_SPEECH') this.stats.skipped++;
    else if (err?.code === 'POOL_BUSY' || err?.code === 'POOL_CLOSED') this.stats.dropped++;
    else {
      this.stats.failed++;
      this.o.log.warn({ err, guildId: this.guildId }, 'utterance analysis failed');
    }
  }

  /**
   * What the worker's decoder found in a piece: its counts join the session's, and they feed the deafness
   * watch as the per-packet checks did when the main thread decoded. A piece of which nothing decoded counts
   * its bad frames from the piece's first packet on, and until a later piece decodes, this speaker's packets
   * no longer count as heard on arrival.
   */
  private judge(sp: Speaker, r: VoiceJobResult, startedAt: number): void {
    this.o.onVoiceErrors?.('decode', r.stats.badFrames);
    this.o.onVoiceErrors?.('decrypt', r.stats.encryptedFrames);
    const { decoded, badFrames } = r.stats;
    addStats(this.assembly, r.stats);
    sp.decodes = decoded > 0 || badFrames === 0;
    if (this.speakers.get(sp.userId) !== sp) return;
    if (decoded > 0) this.deafness.heard(sp.userId);
    else if (badFrames > 0) this.onReceiveFailure(sp.userId, 'undecodable', badFrames, startedAt);
  }

  /** A member left the channel: their utterance so far is analyzed, then their decoder and stream are freed. */
  private releaseSpeaker(userId: string, why: string): void {
    const sp = this.speakers.get(userId);
    if (!sp) return;
    this.o.log.debug({ guildId: this.guildId, userId, why }, 'speaker released');
    sp.leaving = true;
    if (sp.stream) {
      sp.streamFailed = false;
      sp.stream.destroy(); // 'close' submits the utterance, then frees the decoder
    } else {
      this.submit(sp);
      sp.release();
    }
  }

  private humansLeft(): number {
    const channel = this.o.guild.channels.cache.get(this.voiceChannelId);
    if (!channel?.isVoiceBased()) return 0;
    return channel.members.filter((m) => !m.user.bot).size;
  }

  private checkEmpty(): void {
    if (!this.ending && this.humansLeft() === 0) void this.stop('empty');
  }

  private onConnectionState(conn: VoiceConnection, s: VoiceConnectionState): void {
    // Never destroy the connection inside its own stateChange: the library keeps using the old state
    // after emitting (onNetworkingClose reads state.adapter), so ending waits for the next turn.
    setImmediate(() => this.followConnection(conn, s));
  }

  private followConnection(conn: VoiceConnection, s: VoiceConnectionState): void {
    if (this.ending || conn !== this.connection) return;
    if (s.status === VoiceConnectionStatus.Ready) {
      if (this.wasReady) this.stats.reconnects++;
      this.wasReady = true;
      if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      return;
    }
    if (s.status === VoiceConnectionStatus.Destroyed) {
      void this.stop('disconnected');
      return;
    }
    if (!this.wasReady) return; // the first join has its own timeout
    // Not ready any more: the library re-signals by itself (and we nudge it below); give it a deadline.
    this.reconnectTimer ??= setTimeout(() => void this.stop('disconnected'), this.o.reconnectTimeoutMs ?? 30_000);
    if (s.status === VoiceConnectionStatus.Signalling && conn.rejoinAttempts > MAX_REJOINS) {
      void this.stop('disconnected');
      return;
    }
    if (s.status !== VoiceConnectionStatus.Disconnected) return;
    if (s.reason === VoiceConnectionDisconnectReason.WebSocketClose && s.closeCode === 4014) {
      // Kicked or moved: a move brings a new signalling within seconds; the deadline covers a kick.
      return;
    }
    if (s.reason === VoiceConnectionDisconnectReason.Manual || conn.rejoinAttempts >= MAX_REJOINS) {
      void this.stop('disconnected');
      return;
    }
    const delay = 1000 * 2 ** conn.rejoinAttempts;
    this.timers.push(
      setTimeout(() => {
        if (!this.ending && conn.state.status === VoiceConnectionStatus.Disconnected) conn.rejoin();
      }, delay),
    );
  }

  private waitForReady(conn: VoiceConnection, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (conn.state.status === VoiceConnectionStatus.Ready) return resolve();
      const done = (err?: Error): void => {
        clearTimeout(timer);
        conn.off('stateChange', onState);
        if (this.cancelJoin === cancel) this.cancelJoin = null;
        if (err) reject(err);
        else resolve();
      };
      const cancel = (): void => done(new Error('the session ended while joining'));
      this.cancelJoin = cancel;
      const onState = (_o: VoiceConnectionState, s: VoiceConnectionState): void => {
        if (s.status === VoiceConnectionStatus.Ready) done();
        else if (s.status === VoiceConnectionStatus.Destroyed) done(new Error('the voice connection was destroyed while joining'));
      };
      const timer = setTimeout(() => done(new Error(`the voice connection was not ready within ${ms} ms`)), ms);
      conn.on('stateChange', onState);
    });
  }

  private async finish(reason: EndReason): Promise<void> {
    this.endReason = reason;
    const t0 = Date.now();
    const dave = daveStats(this.connection, this.speakers.keys()); // read before leaving: leaving resets the DAVE session
    // Streams still open are closed now; their 'close' hands the last utterances to the pool.
    for (const sp of this.speakers.values()) {
      sp.streamFailed = false;
      sp.stream?.destroy();
    }
    this.release();
    // The streams' 'close' events (next tick) submit the last utterances; let them run first.
    await new Promise((r) => setImmediate(r));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => (timer = setTimeout(r, SUMMARY_WAIT_MS)))]);
    clearTimeout(timer);
    await this.live.close();
    const durationMs = Date.now() - this.startedAt;
    try {
      const embed = summaryEmbed({ ...this.view(), durationMs, reason: REASON_TEXT[reason], skipped: this.stats.skipped, dropped: this.stats.dropped, deaf: this.deaf ? 'undecodable' : this.serverDeafened && 'deafened' });
      const chart = this.o.drawChart && sessionChart({ ...this.view(), durationMs });
      await sendSummary(this.o.textChannel, embed, chart ? await this.o.drawChart!(chart) : null, this.o.log);
    } catch (err) {
      this.o.log.warn({ err, guildId: this.guildId }, 'could not post the session summary');
    }
    this.o.log.info(
      { guildId: this.guildId, reason, durationMs, speakers: this.speakers.size, deaf: this.deaf, serverDeafened: this.serverDeafened, ...this.stats, assembly: this.assembly, dave, summaryMs: Date.now() - t0 },
      'listen session ended',
    );
    // Nothing about the audio stays: decoders and buffers go with the speakers.
    for (const sp of this.speakers.values()) sp.release();
    this.o.onEnded?.(this, reason);
  }

  /** Leaves the channel and stops every timer and listener. */
  private release(): void {
    this.cancelJoin?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.connection) this.detach(this.connection);
  }
}

function addStats(into: AssemblyStats, from: AssemblyStats): void {
  for (const k of Object.keys(into) as (keyof AssemblyStats)[]) {
    into[k] += from[k];
    from[k] = 0;
  }
}
