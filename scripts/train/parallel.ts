// Runs jobs on a fixed set of worker threads (one per core): training's feature extraction and model fits.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The same tsx bootstrap the bot's pool uses.
const ENTRY = new URL('../../src/worker-entry.mjs', import.meta.url);

export interface Job<I> {
  input: I;
  transfer?: ArrayBuffer[];
}

/**
 * Worker threads loading `module` (a worker module URL that answers each message `{ id, input }` with
 * `{ id, output }`), started before their jobs are known: a worker takes ~0.3 s of CPU to load its
 * modules, which can overlap the caller's own work (reading the feature cache). Ended by runParallel.
 */
export interface Workers {
  module: URL;
  list: Worker[];
}

export function startWorkers(module: URL, threads = availableParallelism()): Workers {
  return { module, list: Array.from({ length: Math.max(1, threads) }, () => new Worker(ENTRY, { workerData: { module: module.href } })) };
}

/**
 * Runs `jobs` on `module`'s workers (started here, one per thread, or given ready by startWorkers).
 * Jobs run in list order. `onResult` may return more jobs, appended to the queue: work that depends
 * on an earlier result (a fold that starts from the full fit) is queued the moment that result is in.
 */
export async function runParallel<I, O>(
  module: URL | Workers,
  jobs: Job<I>[],
  onResult: (index: number, out: O) => Job<I>[] | void,
  threads = availableParallelism(),
): Promise<void> {
  const given = module instanceof URL ? null : module;
  // Nothing to do (a warm feature cache): no worker is started; loading one costs ~0.7 s of CPU.
  if (!jobs.length) {
    if (given) await Promise.all(given.list.map((w) => w.terminate()));
    return;
  }
  const queue = jobs.slice();
  let next = 0;
  let running = 0;
  const workers = given?.list ?? startWorkers(module as URL, Math.min(threads, queue.length)).list;
  try {
    await new Promise<void>((resolve, reject) => {
      const idle: Worker[] = [];
      const dispatch = () => {
        while (idle.length && next < queue.length) {
          const id = next++;
          running++;
          idle.pop()!.postMessage({ id, input: queue[id].input }, queue[id].transfer ?? []);
        }
        if (next >= queue.length && running === 0) resolve();
      };
      for (const w of workers) {
        w.on('message', (m: { id: number; output: O }) => {
          running--;
          try {
            const more = onResult(m.id, m.output);
            if (more) queue.push(...more);
          } catch (e) {
            reject(e);
            return;
          }
          idle.push(w);
          dispatch();
        });
        w.on('error', reject);
        w.on('exit', (code) => { if (next < queue.length || running > 0 || code) reject(new Error(`worker exited with code ${code}`)); });
        idle.push(w);
      }
      dispatch();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
