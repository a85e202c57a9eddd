import { availableParallelism } from 'node:os';
import { WorkerPool } from '../workers/pool.ts';
import { renderSequence, type SequenceJob, type SequenceResult } from './sequence.ts';
import { siblingModule } from '../core/module-url.ts';

const ENTRY = siblingModule('./worker.ts', import.meta.url);

/** Below this many frames a worker's start-up (loading TypeScript) costs more than it saves. */
const MIN_FRAMES_FOR_WORKERS = 600;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Renders the sequences on `workers` threads (each renders whole sequences; sharp encodes on the
 * shared libuv pool), or in this thread for one worker. Unset, small jobs stay in this thread and
 * larger ones use `defaultWorkers()`. Every sequence depends only on its job, so the bytes are the
 * same however many threads render them.
 */
export async function renderAll(
  jobs: SequenceJob[],
  workers: number | undefined,
  onFrame: (job: SequenceJob) => void,
): Promise<SequenceResult[]> {
  const frames = jobs.reduce((n, j) => n + j.settings.frames, 0);
  const threads = Math.min(workers ?? (frames < MIN_FRAMES_FOR_WORKERS ? 1 : defaultWorkers()), jobs.length);
  if (threads <= 1) {
    const out: SequenceResult[] = [];
    for (const job of jobs) out.push(await renderSequence(job, () => onFrame(job)));
    return out;
  }
  // A failed sequence rejects the whole set (JobFailedError, 'synthetic worker: <stack>' or
  // 'synthetic worker died: ...'): a set with a sequence missing is no use.
  const pool = await WorkerPool.start<SequenceJob, SequenceResult>({ entry: ENTRY, size: threads, name: 'synthetic worker' });
  try {
    return await pool.runAll(jobs, { onProgress: (job) => onFrame(job) });
  } finally {
    await pool.close();
  }
}
