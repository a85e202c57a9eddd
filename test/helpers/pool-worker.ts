/** A tiny WorkerPool entry for test/worker-pool.test.ts: jobs that answer, report progress, throw or exit. */
import { threadId } from 'node:worker_threads';
import { serve } from '../../src/workers/serve.ts';

export type TestJob =
  | { kind: 'square'; n: number; delayMs?: number }
  | { kind: 'count'; to: number }
  | { kind: 'throw'; message: string }
  | { kind: 'exit'; code: number }
  /** An uncaught exception outside the job's promise: the thread dies with an 'error' event. */
  | { kind: 'crash'; message: string }
  /** Answers, then exits while idle. */
  | { kind: 'exitAfter'; n: number }
  /** A promise that never settles (the thread stays idle). */
  | { kind: 'hang' }
  /** A busy loop that never yields to the event loop (after `progress` progress messages). */
  | { kind: 'spin'; progress?: number }
  /** `steps` progress messages `everyMs` apart, then the square of `steps`. */
  | { kind: 'steady'; steps: number; everyMs: number }
  /** Counts itself in `arrived` and answers once `n` jobs have: n such jobs finish only on n live workers at once. */
  | { kind: 'meet'; n: number; arrived: Int32Array };

export interface TestInfo {
  greeting: string;
  threadId: number;
}

export interface TestData {
  greeting: string;
  failStart?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void serve<TestJob, { value: number; threadId: number }, number, TestInfo, TestData>(async (data) => {
  if (data.failStart) throw new Error('no engine here');
  return {
    info: { greeting: data.greeting, threadId },
    run: async (job, progress) => {
      if (job.kind === 'throw') throw new Error(job.message);
      if (job.kind === 'exit') process.exit(job.code);
      if (job.kind === 'crash') {
        setTimeout(() => {
          throw new Error(job.message);
        });
        return sleep(10_000).then(() => ({ value: 0, threadId }));
      }
      if (job.kind === 'exitAfter') {
        setTimeout(() => process.exit(4), 20);
        return { value: job.n, threadId };
      }
      if (job.kind === 'hang') return new Promise<never>(() => {});
      if (job.kind === 'spin') {
        for (let i = 1; i <= (job.progress ?? 0); i++) progress(i);
        for (;;);
      }
      if (job.kind === 'steady') {
        for (let i = 1; i <= job.steps; i++) {
          await sleep(job.everyMs);
          progress(i);
        }
        return { value: job.steps * job.steps, threadId };
      }
      if (job.kind === 'meet') {
        Atomics.add(job.arrived, 0, 1);
        while (Atomics.load(job.arrived, 0) < job.n) await sleep(5);
        return { value: job.n, threadId };
      }
      if (job.kind === 'count') {
        for (let i = 1; i <= job.to; i++) progress(i);
        return { value: job.to, threadId };
      }
      await sleep(job.delayMs ?? 0);
      return { value: job.n * job.n, threadId };
    },
  };
});
