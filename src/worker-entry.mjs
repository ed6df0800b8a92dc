// Bootstraps a worker thread (the bot's pool, training): registers tsx so a TypeScript worker module loads the same under tsx, vitest and production.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
