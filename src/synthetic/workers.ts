import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderSequence, type SequenceJob, type SequenceResult } from './sequence.ts';
import type { FromWorker, ToWorker } from './worker.ts';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

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
export async function renderAll(jobs: SequenceJob[], workers: number | undefined, onFrame: (job: SequenceJob) => void): Promise<SequenceResult[]> {
  const frames = jobs.reduce((n, j) => n + j.settings.frames, 0);
  const threads = Math.min(workers ?? (frames < MIN_FRAMES_FOR_WORKERS ? 1 : defaultWorkers()), jobs.length);
  if (threads <= 1) {
    const out: SequenceResult[] = [];
    for (const job of jobs) out.push(await renderSequence(job, () => onFrame(job)));
    return out;
  }
  const results: SequenceResult[] = new Array(jobs.length);
  let next = 0;
  const pool = Array.from({ length: threads }, () => new Worker(BOOT, { workerData: { entry: ENTRY } }));
  try {
    await Promise.all(pool.map((worker) => new Promise<void>((resolve, reject) => {
      const give = () => {
        if (next >= jobs.length) return resolve();
        const id = next++;
        worker.postMessage({ type: 'job', id, job: jobs[id] } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'frame') onFrame(jobs[m.id]);
        else if (m.type === 'done') {
          results[m.id] = m.result;
          give();
        } else reject(new Error(`synthetic worker: ${m.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`synthetic worker exited with code ${code}`)));
      give();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
