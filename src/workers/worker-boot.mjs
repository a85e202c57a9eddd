// Worker threads do not inherit tsx's loader from the parent: register it here, then load the
// TypeScript entry named by the pool (workerData.entry), which calls serve().
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
