// Bootstraps a pool worker: registers tsx so the TypeScript worker module loads the same under tsx, vitest and production.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
