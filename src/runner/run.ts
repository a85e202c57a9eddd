import type { ComputeRequest } from '../compute/engine.ts';
import type { Job, JobRecord } from './jobs.ts';
import { WorkerPool } from './pool.ts';
import { RunProgress } from './progress.ts';

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

/** Runs the jobs on a worker pool with a progress display; failures are records, not exceptions. */
export async function runJobs(jobs: Job[], opts: RunOptions): Promise<RunOutcome> {
  const t0 = performance.now();
  const pool = await WorkerPool.start(Math.max(1, Math.min(opts.concurrency, jobs.length)), opts.compute);
  opts.log(`${jobs.length} sequence run(s) on ${Math.min(opts.concurrency, jobs.length)} worker thread(s), engine ${pool.backend}`);
  if (pool.fallback) opts.log(`ONNX Runtime is not in use: ${pool.fallback}`);
  const progress = new RunProgress(jobs, opts.log);
  try {
    const records = await pool.runAll(jobs, {
      onProgress: (job, frames) => progress.progress(job, frames),
      onDone: (job, record) => progress.done(job, record),
    });
    return { backend: pool.backend, records, seconds: (performance.now() - t0) / 1000 };
  } finally {
    progress.stop();
    await pool.close();
  }
}
