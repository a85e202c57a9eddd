import type { ComputeRequest } from '../compute/engine.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { type JobFailure, WorkerPool } from '../workers/pool.ts';
import { DEFAULT_TIMEOUTS, type Timeouts, jobDeadline, timeoutReason } from './deadline.ts';
import type { BenchWorkerData, BenchWorkerInfo, Job, JobRecord } from './jobs.ts';
import { RunProgress } from './progress.ts';
import { siblingModule } from '../core/module-url.ts';
import { CtrlC } from './interrupt.ts';
import { Interrupted } from '../core/errors.ts';

const ENTRY = siblingModule('./worker.ts', import.meta.url);

export interface RunOptions {
  concurrency: number;
  compute: ComputeRequest;
  log: (line: string) => void;
  /** Per-frame and per-sequence deadlines (default: DEFAULT_TIMEOUTS). */
  timeouts?: Timeouts;
  /**
   * Called with the engine the workers resolved, before any job starts; throwing stops the run
   * (a resume on another engine, say).
   */
  onEngine?: (info: BenchWorkerInfo) => void;
}

export interface RunOutcome {
  backend: string;
  records: JobRecord[];
  seconds: number;
}

type BenchPool = WorkerPool<Job, JobRecord, number, BenchWorkerInfo>;

function startPool(size: number, compute: ComputeRequest, stop: Int32Array): Promise<BenchPool> {
  return WorkerPool.start<Job, JobRecord, number, BenchWorkerInfo, BenchWorkerData>({
    entry: ENTRY,
    size,
    data: { compute, workers: size, stop },
    name: 'bench worker',
  });
}

/**
 * Runs the jobs on worker threads, each with its own engine (sharing the cores: see selectCompute),
 * with a progress display; failures are records, not exceptions. A worker that dies (out of memory,
 * a native crash, process.exit in a tracker) or misses a deadline (a tracker that hangs or loops)
 * fails its job only and is replaced.
 */
export async function runJobs(jobs: Job[], opts: RunOptions): Promise<RunOutcome> {
  const t0 = performance.now();
  const size = Math.max(1, Math.min(opts.concurrency, jobs.length));
  const ctrlC = new CtrlC();
  // Listening from before the workers start: a Ctrl-C while engines load ends the run the same way.
  const started: { pool?: BenchPool } = {};
  let progress: RunProgress | undefined;
  ctrlC.listen(() => {
    started.pool?.stopTaking();
    progress?.stop();
  });
  const pool = await startPool(size, opts.compute, ctrlC.stop).catch((err) => {
    ctrlC.end();
    throw err;
  });
  started.pool = pool;
  if (ctrlC.pressed) pool.stopTaking();
  try {
    const { backend, fallback } = pool.info;
    opts.onEngine?.(pool.info);
    opts.log(`${jobs.length} sequence run(s) on ${size} worker thread(s), engine ${backend}`);
    if (fallback) opts.log(`ONNX Runtime is not in use: ${fallback}`);
    progress = new RunProgress(jobs, opts.log);
    const p = progress;
    const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
    // Frames reported so far, for the record of a job that fails with its worker.
    const seen = new Map<Job, number>();
    const records = await pool.runAll(jobs, {
      onProgress: (job, frames) => {
        seen.set(job, frames);
        p.progress(job, frames);
      },
      onDone: (job, record) => (ctrlC.pressed ? undefined : p.done(job, record)),
      // A job ended by Ctrl-C is no failure: it leaves no record, so the rerun runs it.
      onFailure: (job, failure) =>
        ctrlC.pressed
          ? (undefined as unknown as JobRecord)
          : failedRecord(job, failure, { backend, timeouts, frames: seen.get(job) ?? 0, log: opts.log }),
      deadline: (job) => jobDeadline(job, timeouts),
    });
    if (ctrlC.pressed) throw new Interrupted();
    return { backend, records, seconds: (performance.now() - t0) / 1000 };
  } finally {
    ctrlC.end();
    progress?.stop();
    await pool.close();
  }
}

/**
 * The record of a job whose worker died or was terminated at a deadline, or that threw outside the
 * tracker (writing its record, say). The worker could not write it, so it is written here: the
 * run folder says why the sequence failed, and a resume runs it again.
 */
async function failedRecord(
  job: Job,
  failure: JobFailure,
  ctx: { backend: string; timeouts: Timeouts; frames: number; log: (line: string) => void },
): Promise<JobRecord> {
  const { backend, log } = ctx;
  const error =
    failure.kind === 'timeout'
      ? timeoutReason(failure, job, ctx.timeouts)
      : failure.kind === 'died'
        ? `worker died: ${failure.message}`
        : failure.message;
  const record: JobRecord = {
    tracker: job.tracker,
    target: job.target,
    status: 'failed',
    error,
    frames: ctx.frames,
    trackerSeconds: 0,
    wallSeconds: 0,
    fps: 0,
    backend,
    finishedAt: new Date().toISOString(),
  };
  if (failure.kind !== 'error') {
    try {
      await writeFileAtomic(job.recordFile, JSON.stringify(record, null, 1) + '\n');
    } catch (err) {
      log(`could not write ${job.recordFile}: ${(err as Error).message}`);
    }
  }
  return record;
}
