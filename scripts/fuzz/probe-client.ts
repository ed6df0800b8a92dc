// The parent's side of probe.ts: one child process, a deadline per case, a fresh child after a hang or a memory overrun.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeAnswer } from './probe.js';

const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));

export interface ProbeResult extends Omit<ProbeAnswer, 'id'> {
  /** The child's peak RSS right after it started (modules loaded), in bytes. */
  baselineRss: number;
}

export interface ProbeOptions {
  deadlineMs: number;
  maxDurationSec?: number;
  ffmpegPath?: string | null;
  /** Also analyze each decoded file with this model. */
  modelPath?: string | null;
  /** Peak RSS above which the child is replaced after the case (the case itself is reported with its peak). */
  restartAboveRss?: number;
}

export class ProbeClient {
  private child: ChildProcess | null = null;
  private baseline = 0;
  private nextId = 1;

  constructor(private readonly opts: ProbeOptions) {}

  /** Decode `bytes` in the child; outcome 'HANG' when it did not answer within the deadline (the child is killed). */
  async run(bytes: Uint8Array): Promise<ProbeResult> {
    const child = await this.ready();
    const id = this.nextId++;
    const started = performance.now();
    const answer = await new Promise<ProbeAnswer | null>((resolve) => {
      const timer = setTimeout(() => done(null), this.opts.deadlineMs);
      const onMessage = (m: ProbeAnswer) => m.id === id && done(m);
      const onExit = () => done({ id, outcome: 'CRASHED', ms: performance.now() - started, maxRss: 0 });
      const done = (m: ProbeAnswer | null) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, bytes, maxDurationSec: this.opts.maxDurationSec ?? 300, ffmpegPath: this.opts.ffmpegPath ?? null, modelPath: this.opts.modelPath ?? null });
    });
    const baselineRss = this.baseline;
    if (!answer || answer.outcome === 'CRASHED') {
      this.kill();
      return { outcome: answer ? 'CRASHED' : 'HANG', ms: performance.now() - started, maxRss: 0, baselineRss };
    }
    if (this.opts.restartAboveRss && answer.maxRss > this.opts.restartAboveRss) this.kill(); // reset the high-water mark
    const { id: _, ...rest } = answer;
    return { ...rest, baselineRss };
  }

  close(): void {
    this.kill();
  }

  private kill(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  private async ready(): Promise<ChildProcess> {
    if (this.child) return this.child;
    const child = fork(PROBE, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.baseline = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { maxRss: number }) => resolve(m.maxRss));
      child.once('exit', (code) => reject(new Error(`the decode probe exited (${code}) before it was ready`)));
    });
    child.removeAllListeners('exit');
    this.child = child;
    return child;
  }
}
