// Protection against floods: a per-user cooldown and a bot-wide cap on concurrent analyses with a bounded queue.

export type Clock = () => number;

/** Per-user cooldown between accepted requests. */
export class Cooldowns {
  private readonly last = new Map<string, number>();
  constructor(
    private readonly ms: number,
    private readonly now: Clock = Date.now,
  ) {}

  /** Milliseconds the user still has to wait; 0 when they may go. */
  remainingMs(userId: string): number {
    const t = this.last.get(userId);
    if (t === undefined) return 0;
    const left = t + this.ms - this.now();
    if (left <= 0) this.last.delete(userId); // forget users who are done waiting: the map stays small
    return Math.max(0, left);
  }

  /** Records an accepted request. */
  hit(userId: string): void {
    if (this.ms > 0) this.last.set(userId, this.now());
  }

  /** Gives back a request that failed on the bot's side (the user was told to try again). */
  refund(userId: string): void {
    this.last.delete(userId);
  }
}

/** What `within` gives when the work has not settled in time (the work carries on). */
export const LATE = Symbol('late');

/** `work`'s result, or LATE when it takes longer than `ms`. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), Math.max(0, ms))))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for the ticket's turn until `deadline` (ms since the epoch, `now`'s clock): true when it may start, false when
 * the deadline came first (the caller releases the ticket, which then leaves the queue).
 */
export async function readyBefore(ticket: Ticket, deadline: number, now: Clock = Date.now): Promise<boolean> {
  return (await within(ticket.ready, deadline - now())) !== LATE;
}

/** Thrown when every slot is taken and the queue is full; `retryAfterSec` is an estimate for the user. */
export class BusyError extends Error {
  readonly code = 'BUSY';
  constructor(readonly retryAfterSec: number) {
    super(`busy, try again in ${retryAfterSec} s`);
  }
}

export interface GateOptions {
  maxActive: number;
  maxQueued: number;
  /** Starting guess of how long one analysis takes, before any has finished. */
  initialEstimateMs?: number;
  now?: Clock;
}

/**
 * A ticket from `enter`: `ready` resolves when the holder may start; `release` must be called once when done, or when
 * giving up before `ready` (then `ready` never resolves).
 */
export interface Ticket {
  ready: Promise<void>;
  release: () => void;
}

/**
 * Bot-wide cap on analyses in flight. `enter` decides synchronously (so the answer can be an immediate
 * reply) whether a request runs now, waits in the bounded queue, or is refused with BusyError.
 */
export class AnalysisGate {
  private active = 0;
  /** Queued tickets, first in line first: `start` gives one the slot a release passes on. */
  private readonly waiting: { start: () => void }[] = [];
  private avgMs: number;
  private _peakActive = 0;
  private closed = false;
  private readonly now: Clock;

  constructor(private readonly opts: GateOptions) {
    this.avgMs = opts.initialEstimateMs ?? 5_000;
    this.now = opts.now ?? Date.now;
  }

  enter(): Ticket {
    if (this.closed) throw new BusyError(this.retryAfterSec(this.waiting.length));
    if (this.active < this.opts.maxActive) {
      this.active++;
      this._peakActive = Math.max(this._peakActive, this.active);
      return this.ticket(null);
    }
    if (this.waiting.length >= this.opts.maxQueued) throw new BusyError(this.retryAfterSec(this.waiting.length));
    return this.ticket(this.waiting);
  }

  /** Refuses new requests (shutdown); queued ones still run. */
  close(): void {
    this.closed = true;
  }

  get stats(): { active: number; queued: number; peakActive: number; avgMs: number } {
    return { active: this.active, queued: this.waiting.length, peakActive: this._peakActive, avgMs: Math.round(this.avgMs) };
  }

  /** A ticket holding a slot now (`queue` null), or waiting in `queue` for one. */
  private ticket(queue: { start: () => void }[] | null): Ticket {
    let holds = queue === null;
    let started = 0;
    let released = false;
    let entry: { start: () => void } | null = null;
    const ready = holds
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          entry = { start: () => { holds = true; resolve(); } };
          queue!.push(entry);
        });
    return {
      ready: ready.then(() => {
        started = this.now();
      }),
      release: () => {
        if (released) return;
        released = true;
        if (!holds) {
          // Given up while still queued (its reply failed, say): it leaves the line and has no slot to pass on.
          // Passing one on would start a second analysis beside the one still running: the cap broken.
          this.waiting.splice(this.waiting.indexOf(entry!), 1);
          return;
        }
        // Learn how long analyses take (moving average) so "try again in N s" is honest.
        if (started) this.avgMs = 0.8 * this.avgMs + 0.2 * (this.now() - started);
        const next = this.waiting.shift();
        if (next) {
          next.start(); // hand the slot straight to the next in line: `active` stays the same
        } else {
          this.active--;
        }
      },
    };
  }

  /** Seconds until a slot is likely free for someone arriving behind `queued` others (all queued ones by default). */
  retryAfterSec(queued = this.waiting.length): number {
    const rounds = Math.ceil((queued + 1) / this.opts.maxActive);
    return Math.max(1, Math.ceil((rounds * this.avgMs) / 1000));
  }
}
