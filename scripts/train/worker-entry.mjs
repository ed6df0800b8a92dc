// Worker bootstrap: registers tsx so a worker thread can run TypeScript under tsx, vitest or plain node.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
