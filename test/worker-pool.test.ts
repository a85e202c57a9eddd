/** The shared worker-thread pool (src/workers) on real threads running test/helpers/pool-worker.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../src/core/errors.ts';
import { formatDuration, JobFailedError, type JobFailure, WorkerPool } from '../src/workers/pool.ts';
import type { TestData, TestInfo, TestJob } from './helpers/pool-worker.ts';
import { scaledMs } from './helpers/load.ts';

const ENTRY = new URL('./helpers/pool-worker.ts', import.meta.url);
type Result = { value: number; threadId: number };
type Pool = WorkerPool<TestJob, Result, number, TestInfo>;

const start = (size: number, data: TestData = { greeting: 'hello' }): Promise<Pool> =>
  WorkerPool.start<TestJob, Result, number, TestInfo, TestData>({ entry: ENTRY, size, data, name: 'test worker' });

async function withPool(size: number, body: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = await start(size);
  try {
    await body(pool);
  } finally {
    await pool.close();
  }
}

/** Failed jobs as results: the failure's kind and message, value -1. */
const failed: { failures: JobFailure[]; onFailure(job: TestJob, f: JobFailure): Result } = {
  failures: [],
  onFailure(_job, f) {
    this.failures.push(f);
    return { value: -1, threadId: -1 };
  },
};

test('results come back in the order of the jobs, from both workers, whatever order they finish in', () =>
  withPool(2, async (pool) => {
    const jobs: TestJob[] = [5, 1, 4, 2, 3, 6].map((n) => ({ kind: 'square', n, delayMs: n * 15 }));
    const done: number[] = [];
    const results = await pool.runAll(jobs, { onDone: (_job, _r, i) => done.push(i) });
    assert.deepEqual(
      results.map((r) => r.value),
      [25, 1, 16, 4, 9, 36],
    );
    assert.equal(new Set(results.map((r) => r.threadId)).size, 2, 'both workers took jobs');
    assert.deepEqual([...done].sort(), [0, 1, 2, 3, 4, 5]);
    assert.notDeepEqual(done, [0, 1, 2, 3, 4, 5], 'onDone follows the finishing order');
  }));

test('progress messages reach the job that sent them, in order', () =>
  withPool(2, async (pool) => {
    const seen = new Map<number, number[]>();
    const jobs: TestJob[] = [
      { kind: 'count', to: 3 },
      { kind: 'count', to: 5 },
    ];
    await pool.runAll(jobs, {
      onProgress: (job, p) => {
        const to = (job as { to: number }).to;
        seen.set(to, [...(seen.get(to) ?? []), p]);
      },
    });
    assert.deepEqual(seen.get(3), [1, 2, 3]);
    assert.deepEqual(seen.get(5), [1, 2, 3, 4, 5]);
  }));

test("the ready handshake carries each worker's info from the pool's data", async () => {
  const pool = await start(1, { greeting: 'bonjour' });
  try {
    assert.equal(pool.info.greeting, 'bonjour');
    assert.ok(pool.info.threadId > 0, 'info comes from the worker thread');
  } finally {
    await pool.close();
  }
});

test('a setup that throws is a UserError from start(), with its message', async () => {
  await assert.rejects(start(2, { greeting: 'x', failStart: true }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.equal(err.message, 'no engine here');
    return true;
  });
});

test('a job that throws fails alone; the worker carries on with the other jobs', () =>
  withPool(1, async (pool) => {
    failed.failures = [];
    const jobs: TestJob[] = [
      { kind: 'square', n: 2 },
      { kind: 'throw', message: 'bad frame 6' },
      { kind: 'square', n: 3 },
    ];
    const results = await pool.runAll(jobs, { onFailure: failed.onFailure.bind(failed) });
    assert.deepEqual(
      results.map((r) => r.value),
      [4, -1, 9],
    );
    assert.equal(results[0].threadId, results[2].threadId, 'same worker before and after the error');
    assert.equal(failed.failures.length, 1);
    assert.equal(failed.failures[0].kind, 'error');
    assert.equal(failed.failures[0].message, 'bad frame 6');
  }));

test('a worker that calls process.exit fails its job only, is replaced, and every other job is done', () =>
  withPool(2, async (pool) => {
    failed.failures = [];
    const jobs: TestJob[] = [
      { kind: 'square', n: 1 },
      { kind: 'exit', code: 3 },
      { kind: 'square', n: 2, delayMs: 30 },
      { kind: 'square', n: 3 },
      { kind: 'square', n: 4 },
      { kind: 'square', n: 5 },
    ];
    const results = await pool.runAll(jobs, { onFailure: failed.onFailure.bind(failed) });
    assert.deepEqual(
      results.map((r) => r.value),
      [1, -1, 4, 9, 16, 25],
    );
    assert.deepEqual(failed.failures, [{ kind: 'died', message: 'exit code 3' }]);
    // The dead worker was replaced: two jobs that each wait for the other finish only when two workers
    // run at once. (It used to count the threads that had answered, which on a busy machine could be
    // one: the surviving worker took every job before the replacement was up.)
    const arrived = new Int32Array(new SharedArrayBuffer(4));
    const met = await pool.runAll([
      { kind: 'meet', n: 2, arrived },
      { kind: 'meet', n: 2, arrived },
    ]);
    assert.deepEqual(
      met.map((r) => r.value),
      [2, 2],
    );
    assert.notEqual(met[0].threadId, met[1].threadId);
  }));

test("an uncaught exception kills the worker: its job fails with the error's message", () =>
  withPool(1, async (pool) => {
    failed.failures = [];
    const jobs: TestJob[] = [
      { kind: 'crash', message: 'segfault, say' },
      { kind: 'square', n: 6 },
    ];
    const results = await pool.runAll(jobs, { onFailure: failed.onFailure.bind(failed) });
    assert.deepEqual(
      results.map((r) => r.value),
      [-1, 36],
    );
    assert.deepEqual(failed.failures, [{ kind: 'died', message: 'segfault, say' }]);
  }));

test('a worker that dies between jobs is replaced before its next job', () =>
  withPool(1, async (pool) => {
    const [first] = await pool.runAll([{ kind: 'exitAfter', n: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [second] = await pool.runAll([{ kind: 'square', n: 2 }]);
    assert.equal(second.value, 4);
    assert.notEqual(second.threadId, first.threadId);
  }));

test('without onFailure, the first failure rejects runAll with the worker named', () =>
  withPool(2, async (pool) => {
    await assert.rejects(
      pool.runAll([
        { kind: 'square', n: 1 },
        { kind: 'exit', code: 5 },
      ]),
      (err: unknown) => {
        assert.ok(err instanceof JobFailedError);
        assert.equal(err.message, 'test worker died: exit code 5');
        return true;
      },
    );
    await assert.rejects(pool.runAll([{ kind: 'throw', message: 'boom' }]), /test worker: Error: boom/);
  }));

/*
 * The deadlines below are the pool's own, under test: a job meant to finish in time must not miss
 * them because the machine is busy, so each is stretched by the slowdown measured at the start.
 */
const QUIET = scaledMs(300);
const SPIN_QUIET = scaledMs(400);
const STEADY_QUIET = scaledMs(1500);
const STEADY_TOTAL = scaledMs(450);
const STEADY_EVERY = scaledMs(100);

/** Issue 12 item 3: a stuck job is killed with its worker, fails with the reason, and the pool goes on. */
test('a job whose promise never settles misses its quiet deadline: its worker is terminated and replaced, the rest run', () =>
  withPool(1, async (pool) => {
    failed.failures = [];
    const jobs: TestJob[] = [{ kind: 'square', n: 2 }, { kind: 'hang' }, { kind: 'square', n: 3 }];
    const results = await pool.runAll(jobs, { onFailure: failed.onFailure.bind(failed), deadline: () => ({ quietMs: QUIET }) });
    assert.deepEqual(
      results.map((r) => r.value),
      [4, -1, 9],
    );
    assert.deepEqual(failed.failures, [{ kind: 'timeout', deadline: 'quiet', message: `no progress for ${formatDuration(QUIET)}` }]);
    assert.notEqual(results[2].threadId, results[0].threadId, 'a new worker after the kill');
  }));

test('a busy loop that never yields is terminated too, by the deadline on the main thread', () =>
  withPool(2, async (pool) => {
    failed.failures = [];
    const jobs: TestJob[] = [{ kind: 'spin', progress: 2 }, { kind: 'square', n: 4 }, { kind: 'spin' }, { kind: 'square', n: 5 }];
    const results = await pool.runAll(jobs, { onFailure: failed.onFailure.bind(failed), deadline: () => ({ quietMs: SPIN_QUIET }) });
    assert.deepEqual(
      results.map((r) => r.value),
      [-1, 16, -1, 25],
    );
    assert.equal(failed.failures.length, 2);
    for (const f of failed.failures) assert.equal(f.kind, 'timeout');
  }));

test('progress re-arms the quiet deadline; the total deadline bounds a job that keeps reporting', () =>
  withPool(1, async (pool) => {
    failed.failures = [];
    // 8 steps 100 ms apart (idle): each well within the 1.5 s quiet deadline, 4.5 steps' time in all.
    const steady: TestJob = { kind: 'steady', steps: 8, everyMs: STEADY_EVERY };
    const ok = await pool.runAll([steady], { onFailure: failed.onFailure.bind(failed), deadline: () => ({ quietMs: STEADY_QUIET }) });
    assert.equal(ok[0].value, 64);
    const cut = await pool.runAll([steady, { kind: 'square', n: 6 }], {
      onFailure: failed.onFailure.bind(failed),
      deadline: (job) => (job.kind === 'steady' ? { quietMs: STEADY_QUIET, totalMs: STEADY_TOTAL } : undefined),
    });
    assert.deepEqual(
      cut.map((r) => r.value),
      [-1, 36],
    );
    assert.deepEqual(failed.failures, [{ kind: 'timeout', deadline: 'total', message: `not done after ${formatDuration(STEADY_TOTAL)}` }]);
  }));

test('without onFailure, a missed deadline rejects runAll naming the timeout', () =>
  withPool(1, async (pool) => {
    await assert.rejects(pool.runAll([{ kind: 'hang' }], { deadline: () => ({ totalMs: 200 }) }), (err: unknown) => {
      assert.ok(err instanceof JobFailedError);
      assert.equal(err.message, 'test worker timed out: not done after 200 ms');
      return true;
    });
  }));
