import type { ComputeRequest } from '../compute/engine.ts';
import { type JobFailure, WorkerPool } from '../workers/pool.ts';
import type { BenchWorkerData, BenchWorkerInfo, Job, JobRecord } from './jobs.ts';
import { RunProgress } from './progress.ts';

const ENTRY = new URL('./worker.ts', import.meta.url);

export interface RunOptions {
  concurrency: number;
  compute: ComputeRequest;
  log: (line: string) => void;
}

export interface RunOutcome {
  backend: string;
  records: JobRecord[];
  seconds: number;
}

/**
 * Runs the jobs on worker threads, each with its own engine (sharing the cores: see selectCompute),
 * with a progress display; failures are records, not exceptions. A worker that dies (out of memory,
 * a native crash, process.exit in a tracker) fails its job only and is replaced.
 */
export async function runJobs(jobs: Job[], opts: RunOptions): Promise<RunOutcome> {
  const t0 = performance.now();
  const size = Math.max(1, Math.min(opts.concurrency, jobs.length));
  const pool = await WorkerPool.start<Job, JobRecord, number, BenchWorkerInfo, BenchWorkerData>({
    entry: ENTRY,
    size,
    data: { compute: opts.compute, workers: size },
    name: 'bench worker',
  });
  const { backend, fallback } = pool.info;
  opts.log(`${jobs.length} sequence run(s) on ${Math.min(opts.concurrency, jobs.length)} worker thread(s), engine ${backend}`);
  if (fallback) opts.log(`ONNX Runtime is not in use: ${fallback}`);
  const progress = new RunProgress(jobs, opts.log);
  try {
    const records = await pool.runAll(jobs, {
      onProgress: (job, frames) => progress.progress(job, frames),
      onDone: (job, record) => progress.done(job, record),
      onFailure: (job, failure) => failedRecord(job, failure, backend),
    });
    return { backend, records, seconds: (performance.now() - t0) / 1000 };
  } finally {
    progress.stop();
    await pool.close();
  }
}

/** The record of a job whose worker died, or that threw outside the tracker (writing its record, say). */
function failedRecord(job: Job, failure: JobFailure, backend: string): JobRecord {
  return {
    tracker: job.tracker,
    target: job.target,
    status: 'failed',
    error: failure.kind === 'died' ? `worker died: ${failure.message}` : failure.message,
    frames: 0,
    trackerSeconds: 0,
    wallSeconds: 0,
    fps: 0,
    backend,
    finishedAt: new Date().toISOString(),
  };
}
