// A pool worker for `npm run bench:bot -- --breakdown`: records every module the worker loads, then loads the
// real worker module (workerData.data.target; none: a bare isolate), and answers a `{ probe: true }` job with
// the worker's own heap figures (V8 heap spaces, external and array-buffer memory, what it loaded).
import { registerHooks } from 'node:module';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

const loaded = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});

// Registered before the worker's own listener, so this answer reaches the pool first; the worker's error
// answer for the same job id comes later and is ignored.
parentPort.on('message', ({ id, job }) => {
  if (!job?.probe) return;
  const mem = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: s.space_size / 2 ** 20, usedMb: s.space_used_size / 2 ** 20 }]));
  parentPort.postMessage({
    id,
    ok: true,
    result: {
      heapTotalMb: mem.heapTotal / 2 ** 20,
      heapUsedMb: mem.heapUsed / 2 ** 20,
      externalMb: mem.external / 2 ** 20,
      arrayBuffersMb: mem.arrayBuffers / 2 ** 20,
      mallocedMb: heap.malloced_memory / 2 ** 20,
      peakMallocedMb: heap.peak_malloced_memory / 2 ** 20,
      physicalMb: heap.total_physical_size / 2 ** 20,
      spaces,
      modules: loaded,
    },
  });
});

if (workerData.data?.target) await import(workerData.data.target);
else parentPort.postMessage({ ready: true });
