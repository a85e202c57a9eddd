import pLimit from 'p-limit';
import { Worker } from 'node:worker_threads';
import type { ComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import type { Job, JobRecord, MainMessage, WorkerMessage } from './jobs.ts';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./worker.ts', import.meta.url).href;

interface Slot {
  worker: Worker;
  backend: string;
  fallback?: string;
}

export interface PoolEvents {
  onProgress?(job: Job, frames: number): void;
  onDone?(job: Job, record: JobRecord): void;
}

/**
 * Runs jobs on `size` worker threads, each with its own engine (sharing the cores: see selectCompute); p-limit keeps at most
 * `size` jobs in flight and each takes an idle worker. A worker that dies (out of memory, a native
 * crash) fails its job only and is replaced.
 */
export class WorkerPool {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Worker>();
  private nextId = 1;
  backend = '';
  /** Why ONNX Runtime is not in use, when the engine was not chosen and it failed to load. */
  fallback: string | undefined;

  private constructor(private readonly compute: ComputeRequest, private readonly size: number) {}

  static async start(size: number, compute: ComputeRequest): Promise<WorkerPool> {
    const pool = new WorkerPool(compute, size);
    const slots = await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    pool.idle.push(...slots);
    pool.backend = slots[0].backend;
    pool.fallback = slots[0].fallback;
    return pool;
  }

  private spawn(): Promise<Slot> {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, compute: this.compute, workers: this.size } });
    this.all.add(worker);
    worker.on('exit', () => this.all.delete(worker));
    return new Promise((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve({ worker, backend: m.backend, fallback: m.fallback });
        } else if (m.type === 'fatal') {
          void worker.terminate();
          reject(new UserError(m.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  async runAll(jobs: Job[], events: PoolEvents = {}): Promise<JobRecord[]> {
    const limit = pLimit(this.idle.length);
    return Promise.all(jobs.map((job) => limit(() => this.runOne(job, events))));
  }

  private async runOne(job: Job, events: PoolEvents): Promise<JobRecord> {
    const slot = this.idle.pop()!;
    const id = this.nextId++;
    const { worker } = slot;
    let dead = false;
    const record = await new Promise<JobRecord>((resolve) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'progress' && m.id === id) events.onProgress?.(job, m.frames);
        if (m.type === 'done' && m.id === id) {
          cleanup();
          resolve(m.record);
        }
      };
      const died = (why: string) => {
        cleanup();
        dead = true;
        void worker.terminate();
        resolve({
          tracker: job.tracker, target: job.target, status: 'failed', error: `worker died: ${why}`, frames: 0,
          trackerSeconds: 0, wallSeconds: 0, fps: 0, backend: slot.backend, finishedAt: new Date().toISOString(),
        });
      };
      const onError = (err: Error) => died(err.message);
      const onExit = (code: number) => died(`exit code ${code}`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'job', id, job } satisfies MainMessage);
    });
    this.idle.push(dead ? await this.spawn() : slot);
    events.onDone?.(job, record);
    return record;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((w) => w.terminate()));
  }
}
