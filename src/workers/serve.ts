import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, PoolWorkerData, ToWorker } from './messages.ts';

/** A worker's job handler: `progress` sends a progress message for this job (throttle it yourself). */
export type RunJob<J, R, P> = (job: J, progress: (p: P) => void) => Promise<R>;

/** What a worker's setup returns: the handler and what the pool learns in the ready message. */
export interface Service<J, R, P, Info> {
  info?: Info;
  run: RunJob<J, R, P>;
}

/**
 * The worker side of WorkerPool: runs `setup` once with the pool's data, says 'ready' (with
 * `info`) or 'fatal' (setup threw; the pool's start() rejects with a UserError of its message), then
 * answers jobs one at a time. A job that throws is reported as that job's error and the worker
 * carries on; a crash or process.exit ends the worker, and the pool fails its job and replaces it.
 */
export async function serve<J, R, P = void, Info = undefined, D = unknown>(
  setup: (data: D) => Service<J, R, P, Info> | Promise<Service<J, R, P, Info>>,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serve() runs in a worker thread started by WorkerPool');
  const send = (m: FromWorker<R, P, Info>) => port.postMessage(m);
  let service: Service<J, R, P, Info>;
  try {
    service = await setup((workerData as PoolWorkerData<D>).data);
  } catch (err) {
    send({ type: 'fatal', error: (err as Error)?.message ?? String(err) });
    return;
  }
  let queue = Promise.resolve();
  port.on('message', (m: ToWorker<J>) => {
    queue = queue.then(() => answer(m, service.run, send));
  });
  send({ type: 'ready', info: service.info as Info });
}

async function answer<J, R, P, Info>(m: ToWorker<J>, run: RunJob<J, R, P>, send: (m: FromWorker<R, P, Info>) => void): Promise<void> {
  try {
    const result = await run(m.job, (progress) => send({ type: 'progress', id: m.id, progress }));
    send({ type: 'result', id: m.id, result });
  } catch (err) {
    const e = err as Error;
    send({ type: 'error', id: m.id, message: e?.message ?? String(err), stack: e?.stack });
  }
}
