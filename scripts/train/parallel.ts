// Runs jobs on a fixed set of worker threads (one per core): training's feature extraction.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The same tsx bootstrap the bot's pool uses.
const ENTRY = new URL('../../src/worker-entry.mjs', import.meta.url);

export interface Job<I> {
  input: I;
  transfer?: ArrayBuffer[];
}

/** `module` is a worker module URL that answers each message `{ id, input }` with `{ id, output }`. */
export async function runParallel<I, O>(module: URL, jobs: Job<I>[], onResult: (index: number, out: O) => void, threads = availableParallelism()): Promise<void> {
  let next = 0;
  const n = Math.max(1, Math.min(threads, jobs.length));
  const workers = Array.from({ length: n }, () => new Worker(ENTRY, { workerData: { module: module.href } }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= jobs.length) return resolve();
              const id = next++;
              w.postMessage({ id, input: jobs[id].input }, jobs[id].transfer ?? []);
            };
            w.on('message', (m: { id: number; output: O }) => {
              onResult(m.id, m.output);
              feed();
            });
            w.on('error', reject);
            w.on('exit', (code) => (next < jobs.length || code ? reject(new Error(`worker exited with code ${code}`)) : resolve()));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
