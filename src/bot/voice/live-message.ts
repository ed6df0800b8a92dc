// One message per session that is edited, not re-posted: changes are coalesced and edits spaced out.
// It is posted with the bot token (channel.send / message.edit), so it outlives the 15-minute interaction token.

/** The two calls it needs; in the bot, `channel.send` and `message.edit`. */
export interface MessageSink<M> {
  send(): Promise<M>;
  edit(message: M): Promise<unknown>;
}

export interface LiveMessageOptions {
  /** Least time between two writes. Discord allows about 5 edits per 5 s per channel; one every 2 s leaves room for others. */
  minIntervalMs: number;
  /** After a failed write, wait this long (doubling, up to 60 s) before the next. */
  retryMs: number;
  onError?: (err: unknown) => void;
}

/** Discord's code when the message to edit was deleted. */
const UNKNOWN_MESSAGE = 10008;

export const DEFAULT_LIVE: LiveMessageOptions = { minIntervalMs: 2_000, retryMs: 5_000 };

/**
 * `changed()` marks the content dirty; at most one write is in flight, and writes are at least
 * `minIntervalMs` apart, so a burst of results costs one edit. The sink renders the content at
 * write time, so every write shows the newest state.
 */
export class LiveMessage<M> {
  private message: M | null = null;
  private dirty = false;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = -Infinity;
  private failures = 0;
  private closed = false;
  writes = 0;

  constructor(
    private readonly sink: MessageSink<M>,
    private readonly opts: LiveMessageOptions = DEFAULT_LIVE,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get posted(): M | null {
    return this.message;
  }

  changed(): void {
    if (this.closed) return;
    this.dirty = true;
    this.schedule();
  }

  /** Writes the latest state once more (if anything changed) and stops; resolves when that write is done. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    if (this.dirty) await this.write();
  }

  private schedule(): void {
    if (this.timer || this.writing) return;
    const backoff = this.failures ? Math.min(60_000, this.opts.retryMs * 2 ** (this.failures - 1)) : 0;
    const wait = Math.max(0, this.lastWrite + Math.max(this.opts.minIntervalMs, backoff) - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write().then(() => {
        if (this.dirty && !this.closed) this.schedule();
      });
    }, wait);
  }

  private write(): Promise<void> {
    this.dirty = false;
    this.lastWrite = this.now();
    const p = (async () => {
      try {
        if (this.message === null) this.message = await this.sink.send();
        else await this.sink.edit(this.message);
        this.writes++;
        this.failures = 0;
      } catch (err) {
        // Rate limits are waited out by discord.js itself; anything else (missing permission) is retried later
        // with backoff, and the next write shows the newest state. A deleted message is posted anew.
        if ((err as { code?: unknown } | null)?.code === UNKNOWN_MESSAGE) this.message = null;
        this.failures++;
        this.dirty = true;
        this.opts.onError?.(err);
      }
    })();
    this.writing = p;
    return p.finally(() => {
      if (this.writing === p) this.writing = null;
    });
  }
}
