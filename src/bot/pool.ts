// A worker-thread pool for CPU-heavy jobs (decode, analyze), so gateway and voice traffic never wait behind them.
import { Worker, parentPort, type ResourceLimits, type Transferable } from 'node:worker_threads';

export interface WorkerPoolOptions {
  /** The worker module (TypeScript is fine: worker-entry.mjs registers tsx first; see moduleBeside). */
  module: URL;
  size: number;
  /** Jobs allowed to wait for a free worker; beyond it `run` rejects with PoolBusyError. */
  maxQueue: number;
  /** Handed to the worker module as `workerData.data`. */
  workerData?: unknown;
  /** Told when a worker dies unexpectedly (the pool replaces it). */
  onWorkerExit?: (info: { exitCode: number; error?: Error }) => void;
  /**
   * A job still running this long after it reached a worker is rejected with code TIMEOUT, and its
   * worker is terminated and replaced at once: a worker stuck in a loop is lost, never the pool.
   * Absent or 0: no deadline.
   */
  jobTimeoutMs?: number;
  /** Told when a job ran past jobTimeoutMs (its worker is being replaced). */
  onJobTimeout?: (info: { timeoutMs: number }) => void;
  /** V8 heap limits per worker; default WORKER_LIMITS. */
  resourceLimits?: ResourceLimits;
}

/**
 * A small young generation: an analysis allocates little on the JS heap (its big arrays are typed arrays outside
 * it), and V8 otherwise grows each worker's nursery to 8 MB and keeps it. The pool alone, 400 analyses of a 5-s
 * voice note, 8 alternated rounds: 89 MB RSS with this limit against 110 MB without, CPU per analysis the same
 * (11.15 against 11.19 ms). V8's own flags win over a worker's limits: under `npm start`, whose
 * --max-semi-space-size=1 applies to every thread, each worker has 1-MB semi-spaces either way, and this limit is
 * what holds when the bot is started without that flag. `npm start`'s --optimize-for-size (every thread too) is what
 * bounds the rest: an analysis's typed arrays that outlive two scavenges wait in old space for the next full GC, and
 * V8's usual old-generation step let ~10 MB of them pile up per worker (one mark-compact in 200 analyses).
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 3 };

/** What a worker reports for a failed job: a plain object, because class identity does not cross threads. */
export interface PlainError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class PoolBusyError extends Error {
  readonly code = 'POOL_BUSY';
  constructor() {
    super('every worker is busy and the queue is full');
  }
}

export class PoolClosedError extends Error {
  readonly code = 'POOL_CLOSED';
  constructor() {
    super('the worker pool is shutting down');
  }
}

/** A job that failed inside a worker, or whose worker died; `code` is the worker's error code. */
export class WorkerJobError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(e: PlainError) {
    super(e.message);
    this.name = 'WorkerJobError';
    this.code = e.code;
    this.details = e.details ?? {};
  }
}

interface Task {
  id: number;
  job: unknown;
  transfer: readonly Transferable[];
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** The running task's deadline. */
  timer: NodeJS.Timeout | null;
  /** Exited; waiting for its replacement. */
  dead: boolean;
  /** The worker module has loaded and is serving: a job's deadline restarts then, never paying for a worker's start. */
  ready: boolean;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: PlainError } | { ready: true };

const ENTRY = new URL('../worker-entry.mjs', import.meta.url);
/** How long a job may wait for its worker to finish starting (loading tsx and the model) on a busy machine. */
const STARTUP_ALLOWANCE_MS = 60_000;

/** The module `name` beside `base`, in base's language: worker.ts under tsx, worker.js in the compiled dist/. */
export function moduleBeside(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export class WorkerPool<J, R> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closing = false;
  private crashes = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WorkerPoolOptions) {
    if (opts.size < 1) throw new RangeError('pool size must be at least 1');
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  /** Runs `job` on a worker. `transfer` moves buffers instead of copying them (they become unusable here). */
  run(job: J, transfer: readonly Transferable[] = []): Promise<R> {
    if (this.closing) return Promise.reject(new PoolClosedError());
    const idle = this.slots.some((s) => s.task === null && !s.dead);
    if (!idle && this.queue.length >= this.opts.maxQueue) return Promise.reject(new PoolBusyError());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, transfer, resolve: resolve as (r: unknown) => void, reject });
      this.pump();
    });
  }

  /** Resolves once every worker has loaded its module (jobs sent earlier wait in the worker). */
  async whenReady(): Promise<void> {
    while (!this.closing && this.slots.some((s) => !s.ready)) await new Promise((r) => setTimeout(r, 20));
  }

  get stats(): { size: number; busy: number; queued: number } {
    return { size: this.slots.length, busy: this.slots.filter((s) => s.task).length, queued: this.queue.length };
  }

  /** Stops taking jobs, lets running and queued ones finish until `deadlineMs`, then terminates the workers. */
  async close(deadlineMs = 0): Promise<void> {
    this.closing = true;
    if (this.stats.busy + this.queue.length > 0 && deadlineMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.idleWaiters.push(r)),
        new Promise<void>((r) => (timer = setTimeout(r, deadlineMs))),
      ]);
      clearTimeout(timer);
    }
    for (const t of this.queue.splice(0)) t.reject(new PoolClosedError());
    await Promise.all(
      this.slots.map(async (s) => {
        s.task?.reject(new PoolClosedError());
        s.task = null;
        clearSlotTimer(s);
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY, {
      workerData: { module: this.opts.module.href, data: this.opts.workerData },
      resourceLimits: this.opts.resourceLimits ?? WORKER_LIMITS,
    });
    const slot: Slot = { worker, task: null, timer: null, dead: false, ready: false };
    let lastError: Error | undefined;
    worker.on('message', (m: Reply) => {
      if ('ready' in m) {
        slot.ready = true;
        // A job sent while the worker was starting: its own deadline starts now.
        if (slot.task) this.startDeadline(slot, slot.task);
        return;
      }
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      slot.task = null;
      clearSlotTimer(slot);
      this.crashes = 0;
      if (m.ok) task.resolve(m.result);
      else task.reject(new WorkerJobError(m.error));
      this.pump();
    });
    worker.on('error', (e) => (lastError = e));
    worker.on('exit', (exitCode) => {
      // A worker retired for a timed-out job has been replaced already: its exit is expected.
      if (!this.slots.includes(slot)) return;
      const task = slot.task;
      slot.task = null;
      clearSlotTimer(slot);
      slot.dead = true;
      if (this.closing) return;
      task?.reject(new WorkerJobError({ code: 'WORKER_CRASHED', message: `analysis worker stopped (exit ${exitCode})${lastError ? `: ${lastError.message}` : ''}` }));
      this.opts.onWorkerExit?.({ exitCode, error: lastError });
      // Back off when workers die at start (e.g. a broken module), instead of spinning.
      const delay = Math.min(30_000, 100 * 2 ** this.crashes++);
      setTimeout(() => {
        if (this.closing) return;
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots[i] = this.spawn();
        this.pump();
      }, delay).unref();
    });
    return slot;
  }

  /**
   * Times the slot's job: jobTimeoutMs once the worker is ready; while it is still starting (tsx,
   * the model), a start-up allowance of its own, so a slow start never costs the job its time and a
   * worker that never starts does not hold its job forever.
   */
  private startDeadline(slot: Slot, task: Task): void {
    clearSlotTimer(slot);
    const timeoutMs = this.opts.jobTimeoutMs ?? 0;
    if (timeoutMs <= 0) return;
    const ms = slot.ready ? timeoutMs : Math.max(timeoutMs, STARTUP_ALLOWANCE_MS);
    slot.timer = setTimeout(() => this.timeOut(slot, task, ms), ms);
  }

  /** The job ran past its deadline: answer it, and swap its worker (maybe stuck in a loop) for a fresh one. */
  private timeOut(slot: Slot, task: Task, timeoutMs: number): void {
    slot.timer = null;
    if (slot.task !== task || this.closing) return;
    slot.task = null;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn();
    void slot.worker.terminate();
    task.reject(new WorkerJobError({ code: 'TIMEOUT', message: `the job took longer than ${timeoutMs} ms; its worker was replaced`, details: { timeoutMs } }));
    this.opts.onJobTimeout?.({ timeoutMs });
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (slot.task || slot.dead) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      try {
        slot.worker.postMessage({ id: task.id, job: task.job }, task.transfer);
      } catch (e) {
        slot.task = null;
        task.reject(e as Error);
        continue;
      }
      this.startDeadline(slot, task);
    }
    if (this.queue.length === 0 && this.slots.every((s) => !s.task)) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}

function clearSlotTimer(slot: Slot): void {
  if (slot.timer) clearTimeout(slot.timer);
  slot.timer = null;
}

/**
 * The worker's half of the protocol: answer each job with `handle`'s result (transferring its buffers)
 * or a plain error. Tells the pool when it is ready: job deadlines are counted from then.
 */
export function serveJobs<J, R>(handle: (job: J) => Promise<{ result: R; transfer?: Transferable[] }>): void {
  if (!parentPort) throw new Error('serveJobs must run inside a worker thread');
  const port = parentPort;
  port.postMessage({ ready: true } satisfies Reply);
  port.on('message', async ({ id, job }: { id: number; job: J }) => {
    try {
      const { result, transfer } = await handle(job);
      port.postMessage({ id, ok: true, result } satisfies Reply, transfer ?? []);
    } catch (e) {
      port.postMessage({ id, ok: false, error: toPlainError(e) } satisfies Reply);
    }
  });
}

export function toPlainError(e: unknown): PlainError {
  const err = e as { code?: unknown; message?: unknown; details?: unknown };
  const code = typeof err?.code === 'string' ? err.code : 'INTERNAL';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const details = err?.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : undefined;
  return details ? { code, message, details } : { code, message };
}
