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

/** Why a job has no result. */
export interface JobFailure {
  /** 'error': the job threw in the worker, which carries on; 'died': the worker crashed, exited or ran out of memory. */
  kind: 'error' | 'died';
  message: string;
  stack?: string;
}

/** runAll's rejection when a job fails and the caller gave no onFailure. */
export class JobFailedError extends Error {
  constructor(
    readonly failure: JobFailure,
    workerName: string,
  ) {
    super(failure.kind === 'died' ? `${workerName} died: ${failure.message}` : `${workerName}: ${failure.stack ?? failure.message}`);
    this.name = 'JobFailedError';
  }
}

export interface RunEvents<J, R, P> {
  onProgress?(job: J, progress: P, index: number): void;
  /** After each job, failed ones included (with onFailure's result), in the order they finish. */
  onDone?(job: J, result: R, index: number): void;
  /** The result of a failed job; without it, runAll rejects with a JobFailedError. */
  onFailure?(job: J, failure: JobFailure): R;
}

type Outcome<R> = { ok: true; result: R } | { ok: false; failure: JobFailure };

/** One worker thread: its start-up handshake and the job it is running, if any. */
class Slot<J, R, P, Info> {
  readonly ready: Promise<Info>;
  private startup?: { resolve(info: Info): void; reject(err: Error): void };
  private current?: { id: number; settle(o: Outcome<R>): void; progress(p: P): void };
  private exited = false;
  /** The first error the worker raised, or why it was killed: the reason its job failed. */
  private why?: string;

  constructor(
    private readonly worker: Worker,
    private readonly name: string,
  ) {
    this.ready = new Promise((resolve, reject) => (this.startup = { resolve, reject }));
    worker.on('message', (m: FromWorker<R, P, Info>) => this.onMessage(m));
    worker.on('error', (err: Error) => (this.why ??= err.message));
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
  kill(why: string): Promise<number> {
    this.why ??= why;
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
    const why = this.why ?? `exit code ${code}`;
    this.started(undefined, new Error(`${this.name} died at start-up: ${why}`));
    if (this.current) this.settle(this.current.id, { ok: false, failure: { kind: 'died', message: why } });
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
      while (!failed && !this.closed && next < jobs.length) {
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
   * One job on slot `s`, after replacing its worker if that one died. A per-job deadline belongs
   * here: a timer calling slot.kill(reason), cleared when the outcome arrives; the exit then fails
   * the job with that reason and the next job on this slot gets a fresh worker.
   */
  private async runOn(s: number, job: J, index: number, events: RunEvents<J, R, P>): Promise<R> {
    if (!this.slots[s].alive) {
      this.all.delete(this.slots[s]);
      this.slots[s] = await this.spawn();
    }
    const outcome = await this.slots[s].run(this.nextId++, job, (p) => events.onProgress?.(job, p, index));
    let result: R;
    if (outcome.ok) result = outcome.result;
    else if (events.onFailure) result = events.onFailure(job, outcome.failure);
    else throw new JobFailedError(outcome.failure, this.name);
    events.onDone?.(job, result, index);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((slot) => slot.kill('the pool was closed')));
    this.all.clear();
  }
}
