import { parentPort } from 'node:worker_threads';
import { renderSequence, type SequenceJob } from './sequence.ts';

/** Renders the sequences the parent sends, one at a time, reporting every frame. */
export type ToWorker = { type: 'job'; id: number; job: SequenceJob };
export type FromWorker =
  | { type: 'frame'; id: number }
  | { type: 'done'; id: number; result: Awaited<ReturnType<typeof renderSequence>> }
  | { type: 'error'; id: number; message: string };

const port = parentPort!;
port.on('message', (m: ToWorker) => {
  const post = (msg: FromWorker) => port.postMessage(msg);
  renderSequence(m.job, () => post({ type: 'frame', id: m.id })).then(
    (result) => post({ type: 'done', id: m.id, result }),
    (err: unknown) => post({ type: 'error', id: m.id, message: (err as Error)?.stack ?? String(err) }),
  );
});
