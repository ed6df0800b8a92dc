// How the process ends: one graceful stop whatever asks for it (a signal, the parent npm gone, a last-resort
// error), forced only by a real second request.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';

export type StopReason = 'signal' | 'orphaned' | 'failure' | 'uncaughtException' | 'unhandledRejection';

export interface ShutdownOptions {
  /** The graceful stop: answers in flight, session summaries, gateway closed. */
  stop(): Promise<void>;
  log: Logger;
  /** Ends the process (a test passes a fake). */
  exit(code: number): void;
  now?: () => number;
  /**
   * The same signal again within this window is the same request: a signal to the process group
   * reaches the bot directly and again through npm, which forwards what it gets.
   */
  repeatWindowMs?: number;
  /** If the graceful stop has not finished by then, exit anyway (a supervisor must never wait forever). */
  forceAfterMs: number;
}

export class Shutdown {
  private first: { signal: NodeJS.Signals | null; at: number } | null = null;
  private code = 0;
  private readonly now: () => number;
  private readonly repeatWindowMs: number;

  constructor(private readonly o: ShutdownOptions) {
    this.now = o.now ?? Date.now;
    this.repeatWindowMs = o.repeatWindowMs ?? 1_000;
  }

  /** SIGINT/SIGTERM/SIGHUP: the first starts the stop; a repeat within the window is ignored; any other request forces it. */
  signal(signal: NodeJS.Signals): void {
    const first = this.first;
    if (!first) {
      this.o.log.info({ signal }, 'signal received');
      this.begin('signal', signal);
      return;
    }
    if (first.signal === signal && this.now() - first.at <= this.repeatWindowMs) {
      this.o.log.debug({ signal }, 'same signal again: already stopping');
      return;
    }
    this.o.log.warn({ signal }, 'second request to stop: exiting now');
    this.o.exit(1);
  }

  /** Something the process runs has failed (a shard that could not start): the one graceful stop, never forced by it. */
  failed(): void {
    if (!this.first) this.begin('failure', null);
  }

  /** The parent (npm) is gone: nobody would forward a signal any more, so stop now, gracefully. */
  orphaned(): void {
    if (this.first) return;
    this.o.log.warn({ ppid: process.ppid }, 'the parent process exited: stopping');
    this.begin('orphaned', null);
  }

  /**
   * Last resort for a bug that escaped every handler: log it under an id, then stop gracefully (what
   * is in flight is answered, summaries are posted) and exit 1 so a process manager restarts the bot.
   * Returns the error id.
   */
  fatal(kind: 'uncaughtException' | 'unhandledRejection', err: unknown): string {
    const errorId = randomBytes(4).toString('hex');
    this.o.log.fatal({ err, errorId, kind }, `${kind}: stopping gracefully, then exiting for a restart`);
    this.code = 1;
    if (!this.first) this.begin(kind, null);
    return errorId;
  }

  private begin(reason: StopReason, signal: NodeJS.Signals | null): void {
    this.first = { signal, at: this.now() };
    const force = setTimeout(() => {
      this.o.log.error({ reason, afterMs: this.o.forceAfterMs }, 'graceful stop did not finish in time: exiting');
      this.o.exit(1);
    }, this.o.forceAfterMs);
    force.unref();
    this.o.stop().then(
      () => {
        clearTimeout(force);
        this.o.log.flush();
        // Everything is closed; if some handle still holds the event loop, do not hang the supervisor.
        process.exitCode = this.code;
        setTimeout(() => this.o.exit(this.code), 2_000).unref();
      },
      (err: unknown) => {
        clearTimeout(force);
        this.o.log.error({ err }, 'error while stopping');
        this.o.exit(1);
      },
    );
  }
}

/**
 * Everything that starts the one graceful stop, installed before start-up: SIGINT, SIGTERM and SIGHUP (a repeat is
 * one request, another forces the exit), a bug that escapes every handler (logged under an id, exit 1), and, under
 * npm (`npm_lifecycle_event`), the parent gone. The bot and the shard manager both use it.
 */
export function stopOn(shutdown: Shutdown, env: { npm_lifecycle_event?: string }): void {
  process.on('uncaughtException', (err) => shutdown.fatal('uncaughtException', err));
  process.on('unhandledRejection', (reason) => shutdown.fatal('unhandledRejection', reason));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown.signal(signal));
  // npm relays signals; if it dies (killed, OOM) the process would run on unsupervised.
  if (env.npm_lifecycle_event) watchParent(() => shutdown.orphaned());
}

/**
 * Calls `onGone` once when the parent process exits (the bot is re-parented). Only meaningful when a
 * parent is expected to relay signals, i.e. under `npm start`; a bot started by systemd, a container
 * or nohup has no such parent to lose.
 */
export function watchParent(onGone: () => void, intervalMs = 1_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
