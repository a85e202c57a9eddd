/** What the pool (parent thread) and serve() (worker thread) say to each other. */

/** Parent to worker: one job, tagged with the id its answers carry. */
export interface ToWorker<J> {
  type: 'job';
  id: number;
  job: J;
}

/** Worker to parent: start-up (ready or fatal), then progress and one result or error per job. */
export type FromWorker<R, P, Info> =
  | { type: 'ready'; info: Info }
  | { type: 'fatal'; error: string }
  | { type: 'progress'; id: number; progress: P }
  | { type: 'result'; id: number; result: R }
  | { type: 'error'; id: number; message: string; stack?: string };

/** What every worker gets as workerData: the entry module for worker-boot.mjs and the pool's data. */
export interface PoolWorkerData<D = unknown> {
  entry: string;
  data: D;
}
