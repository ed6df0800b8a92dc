// What command handlers get from the bot: settings, logger, worker pool, limits, and the loaded model's card.
import type {
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { ModelCard } from '../core/model/model-file.js';
import type { Transcriber } from '../transcribe/client.js';
import type { BotConfig } from './config.js';
import type { AnalysisGate, Cooldowns } from './limits.js';
import type { Metrics } from './metrics.js';
import type { WorkerPool } from './pool.js';
import type { Store } from './store/store.js';
import type { AnalysisJob, AnalysisJobResult } from './worker.js';

export interface Services {
  config: BotConfig;
  log: Logger;
  pool: WorkerPool<AnalysisJob, AnalysisJobResult>;
  gate: AnalysisGate;
  cooldowns: Cooldowns;
  /** The same wait between two /listen a person starts: each joins a voice channel and holds a session. */
  listenCooldowns: Cooldowns;
  model: ModelCard;
  /** Null when ffmpeg was not found: only WAV, Ogg/Opus and WebM/Opus decode. */
  ffmpegPath: string | null;
  /** Set when shutdown begins: new requests are refused politely. */
  shuttingDown: boolean;
  /** Prometheus counters and gauges for this process when METRICS_PORT is set; otherwise records nothing. */
  metrics: Metrics;
  /** Opt-outs and per-server settings (DATABASE_URL), shared by every process that uses the same store. */
  store: Store;
  /** Speech-to-text (TRANSCRIBE_*), shared so its in-flight cap is bot-wide; null = not set up. */
  transcriber: Transcriber | null;
}

type Handled = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/** One command, discord.js-guide style: its definition and its handler. */
export interface Command<I extends Handled = Handled> {
  data: { name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody } | ContextMenuCommandBuilder;
  execute(interaction: I, services: Services): Promise<void>;
}
