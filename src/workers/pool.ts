import { Worker } from 'node:worker_threads';
import { UserError } from '../core/errors.ts';
import type { FromWorker, PoolWorkerData, ToWorker } from './messages.ts';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

export interface PoolOptions<D> {
  /** The worker's module, which calls serve(): e.g. new URL('./worker.ts', import.meta.url). */
  entry: URL;
  /** Worker threads. */
  size: number;
  /** Given to every worker's setup (structured-cloned). */
  data?: D;
  /** Names the workers in errors, e.g. 'synthetic worker'. */
  name?: string;
}

/**
 * Why a job has no result. 'error': the job threw in the worker, which carries on; 'died': the
 * worker crashed, exited or ran out of memory; 'timeout': the job missed its deadline and its worker
 * was terminated (`deadline` says which one).
 */
export interface JobFailure {
  kind: 'error' | 'died' | 'timeout';
  message: string;
  stack?: string;
  deadline?: 'quiet' | 'total';
}

/**
 * A job's deadlines, in milliseconds (absent or not finite: none). `quietMs` bounds the time without
 * a progress message (from the job's start to its first one, and between any two); `totalMs` bounds
 * the whole job. A job past either is failed with kind 'timeout' and its worker terminated, which
 * also stops a busy loop or a promise that never settles; the slot gets a new worker.
 */
export interface JobDeadline {
  quietMs?: number;
  totalMs?: number;
}

/** runAll's rejection when a job fails and the caller gave no onFailure. */
export class JobFailedError extends Error {
  constructor(
    readonly failure: JobFailure,
    workerName: string,
  ) {
    super(
      failure.kind === 'error'
        ? `${workerName}: ${failure.stack ?? failure.message}`
        : `${workerName} ${failure.kind === 'died' ? 'died' : 'timed out'}: ${failure.message}`,
    );
    this.name = 'JobFailedError';
  }
}

export interface RunEvents<J, R, P> {
  onProgress?(job: J, progress: P, index: number): void;
  /** After each job, failed ones included (with onFailure's result), in the order they finish. */
  onDone?(job: J, result: R, index: number): void;
  /** The result of a failed job; without it, runAll rejects with a JobFailedError. */
  onFailure?(job: J, failure: JobFailure): R | Promise<R>;
  /** The job's deadlines; none without it. */
  deadline?(job: J): JobDeadline | undefined;
}

type Outcome<R> = { ok: true; result: R } | { ok: false; failure: JobFailure };

/** "1.5 s", "2 min": a deadline as the failure message states it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  if (ms < 7_200_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 3_600_000).toFixed(1))} h`;
}

/** A job's deadline timers: `alive` re-arms the quiet one, `stop` ends both. */
class Watchdog {
  private quiet?: NodeJS.Timeout;
  private total?: NodeJS.Timeout;

  constructor(
    private readonly limits: JobDeadline | undefined,
    private readonly expire: (failure: Pick<JobFailure, 'kind' | 'message' | 'deadline'>) => void,
  ) {
    const totalMs = limits?.totalMs;
    if (totalMs !== undefined && Number.isFinite(totalMs)) {
      this.total = setTimeout(
        () => this.fire({ kind: 'timeout', deadline: 'total', message: `not done after ${formatDuration(totalMs)}` }),
        totalMs,
      );
    }
    this.alive();
  }

  alive(): void {
    const quietMs = this.limits?.quietMs;
    if (quietMs === undefined || !Number.isFinite(quietMs)) return;
    clearTimeout(this.quiet);
    this.quiet = setTimeout(
      () => this.fire({ kind: 'timeout', deadline: 'quiet', message: `no progress for ${formatDuration(quietMs)}` }),
      quietMs,
    );
  }

  stop(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.total);
  }

  private fire(failure: Pick<JobFailure, 'kind' | 'message' | 'deadline'>): void {
    this.stop();
    this.expire(failure);
  }
}

/** One worker thread: its start-up handshake and the job it is running, if any. */
class Slot<J, R, P, Info> {
  readonly ready: Promise<Info>;
  private startup?: { resolve(info: Info): void; reject(err: Error): void };
  private current?: { id: number; settle(o: Outcome<R>): void; progress(p: P): void };
  private exited = false;
  /** The first error the worker raised, or why it was killed: the reason its job failed. */
  private why?: Pick<JobFailure, 'kind' | 'message' | 'deadline'>;

  constructor(
    private readonly worker: Worker,
    private readonly name: string,
  ) {
    this.ready = new Promise((resolve, reject) => (this.startup = { resolve, reject }));
    worker.on('message', (m: FromWorker<R, P, Info>) => this.onMessage(m));
    worker.on('error', (err: Error) => (this.why ??= { kind: 'died', message: err.message }));
    worker.on('exit', (code: number) => this.onExit(code));
  }

  get alive(): boolean {
    return !this.exited;
  }

  run(id: number, job: J, progress: (p: P) => void): Promise<Outcome<R>> {
    return new Promise((settle) => {
      this.current = { id, settle, progress };
      this.worker.postMessage({ type: 'job', id, job } satisfies ToWorker<J>);
    });
  }

  /** Ends the worker; its job, if any, fails with `why` once the thread has exited. */
  kill(why: string | Pick<JobFailure, 'kind' | 'message' | 'deadline'>): Promise<number> {
    this.why ??= typeof why === 'string' ? { kind: 'died', message: why } : why;
    return this.worker.terminate();
  }

  private onMessage(m: FromWorker<R, P, Info>): void {
    if (m.type === 'ready') this.started(m.info);
    else if (m.type === 'fatal') {
      this.started(undefined, new UserError(m.error));
      void this.kill(m.error);
    } else if (m.type === 'progress') {
      if (this.current?.id === m.id) this.current.progress(m.progress);
    } else if (m.type === 'result') this.settle(m.id, { ok: true, result: m.result });
    else this.settle(m.id, { ok: false, failure: { kind: 'error', message: m.message, stack: m.stack } });
  }

  private started(info: Info | undefined, err?: Error): void {
    if (err) this.startup?.reject(err);
    else this.startup?.resolve(info as Info);
    this.startup = undefined;
  }

  private settle(id: number, outcome: Outcome<R>): void {
    const job = this.current;
    if (job?.id !== id) return;
    this.current = undefined;
    job.settle(outcome);
  }

  private onExit(code: number): void {
    this.exited = true;
    const why = this.why ?? { kind: 'died', message: `exit code ${code}` };
    this.started(undefined, new Error(`${this.name} died at start-up: ${why.message}`));
    if (this.current) this.settle(this.current.id, { ok: false, failure: { ...why } });
  }
}

/**
 * Runs jobs on `size` worker threads, each started from `entry` (through worker-boot.mjs, which
 * registers tsx) and answering with serve(). start() waits for every worker's ready message; a
 * worker's 'fatal' (its setup threw) rejects start() with a UserError. Each worker runs one job at a
 * time. A job that throws fails alone; a worker that dies (crash, process.exit, out of memory) fails
 * its job only and is replaced before its next job.
 */
export class WorkerPool<J, R, P = void, Info = undefined> {
  private slots: Slot<J, R, P, Info>[] = [];
  private readonly all = new Set<Slot<J, R, P, Info>>();
  private nextId = 1;
  private closed = false;
  private stopped = false;
  /** What the first worker said when ready (every worker gets the same data). */
  info!: Info;

  private constructor(private readonly opts: PoolOptions<unknown>) {}

  private get name(): string {
    return this.opts.name ?? 'worker';
  }

  static async start<J, R, P = void, Info = undefined, D = unknown>(opts: PoolOptions<D>): Promise<WorkerPool<J, R, P, Info>> {
    const pool = new WorkerPool<J, R, P, Info>(opts);
    try {
      pool.slots = await Promise.all(Array.from({ length: Math.max(1, opts.size) }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    pool.info = await pool.slots[0].ready;
    return pool;
  }

  private async spawn(): Promise<Slot<J, R, P, Info>> {
    const workerData: PoolWorkerData = { entry: this.opts.entry.href, data: this.opts.data };
    const slot = new Slot<J, R, P, Info>(new Worker(BOOT, { workerData }), this.name);
    this.all.add(slot);
    await slot.ready;
    return slot;
  }

  /**
   * Runs the jobs in list order, one per worker at a time; the results come back in the jobs' order.
   * Without onFailure, the first failure rejects and no further job starts (close() ends the rest).
   */
  async runAll(jobs: J[], events: RunEvents<J, R, P> = {}): Promise<R[]> {
    const results = new Array<R>(jobs.length);
    let next = 0;
    let failed = false;
    const drain = async (s: number) => {
      while (!failed && !this.closed && !this.stopped && next < jobs.length) {
        const i = next++;
        try {
          results[i] = await this.runOn(s, jobs[i], i, events);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    await Promise.all(this.slots.map((_, s) => drain(s)));
    return results;
  }

  /**
   * One job on slot `s`, after replacing its worker if that one died. Its deadlines are timers on
   * this (main) thread, so a worker stuck in a busy loop cannot hold them off: a missed one
   * terminates the worker, whose exit fails the job, and the next job on this slot gets a new worker.
   */
  private async runOn(s: number, job: J, index: number, events: RunEvents<J, R, P>): Promise<R> {
    if (!this.slots[s].alive) {
      this.all.delete(this.slots[s]);
      this.slots[s] = await this.spawn();
    }
    const slot = this.slots[s];
    const watch = new Watchdog(events.deadline?.(job), (failure) => void slot.kill(failure));
    let outcome: Outcome<R>;
    try {
      outcome = await slot.run(this.nextId++, job, (p) => {
        watch.alive();
        events.onProgress?.(job, p, index);
      });
    } finally {
      watch.stop();
    }
    let result: R;
    if (outcome.ok) result = outcome.result;
    else if (events.onFailure) result = await events.onFailure(job, outcome.failure);
    else throw new JobFailedError(outcome.failure, this.name);
    events.onDone?.(job, result, index);
    return result;
  }

  /** No further job starts; the running ones finish (or fail) and runAll returns without the rest. */
  stopTaking(): void {
    this.stopped = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((slot) => slot.kill('the pool was closed')));
    this.all.clear();
  }
}
