// Bootstraps a worker thread (the bot's pool, training). A TypeScript worker module (development:
// tsx, vitest) gets tsx registered first; compiled JavaScript (dist/, what `npm start` runs) loads as is.
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.module);
