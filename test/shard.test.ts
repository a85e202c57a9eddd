import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/core/errors.ts';
import { MARKER, createOutputMarker, inspectOutputDir, readMarker } from '../src/core/out-dir.ts';
import { parseShard, partition, selectShard } from '../src/core/shard.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';

/**
 * Issue 13 item 1, the split itself (src/core/shard.ts): which jobs a shard takes, and how --shard
 * is read from the command line and from Slurm's and Kubernetes' environment.
 */
interface J {
  key: string;
  frames: number;
}
const w = (j: J) => j.frames;
const k = (j: J) => j.key;
const keys = (parts: J[][]) => parts.map((p) => p.map((j) => j.key));

test('partition: largest first to the lightest shard, ties by key (hand-computed), each shard in input order', () => {
  const jobs: J[] = [
    { key: 'a', frames: 10 },
    { key: 'b', frames: 40 },
    { key: 'c', frames: 30 },
    { key: 'd', frames: 30 },
    { key: 'e', frames: 20 },
    { key: 'f', frames: 5 },
  ];
  // Sorted: b40 c30 d30 e20 a10 f5. b->1 (0,0,0); c->2 (40,0,0); d->3 (40,30,0);
  // e->2 (40,30,30: tie 2/3, lower wins); a->3 (40,50,30); f->1 (40,50,40: tie 1/3) -> loads 45,50,40.
  const parts = partition(jobs, 3, w, k);
  assert.deepEqual(keys(parts), [
    ['b', 'f'],
    ['c', 'e'],
    ['a', 'd'],
  ]);
  assert.deepEqual(
    parts.map((p) => p.reduce((s, j) => s + j.frames, 0)),
    [45, 50, 40],
  );
  assert.deepEqual(
    selectShard(jobs, { k: 3, n: 3 }, w, k).map((j) => j.key),
    ['a', 'd'],
  );
});

test('partition: the same split whatever the input order; disjoint, covering, balanced within the largest job', () => {
  const jobs: J[] = Array.from({ length: 57 }, (_, i) => ({
    key: `t${i % 3}/Seq${String(i).padStart(3, '0')}`,
    frames: 30 + ((i * 7919) % 500),
  }));
  const shuffled = [...jobs].sort(
    (a, b) => ((a.frames * 31 + a.key.length) % 17) - ((b.frames * 31 + b.key.length) % 17) || (a.key < b.key ? 1 : -1),
  );
  for (const n of [1, 2, 3, 4, 7, 57, 60]) {
    const parts = partition(jobs, n, w, k);
    const again = partition(shuffled, n, w, k);
    assert.deepEqual(
      keys(parts).map((p) => [...p].sort()),
      keys(again).map((p) => [...p].sort()),
      `n=${n}: order-independent`,
    );
    const all = parts.flat().map((j) => j.key);
    assert.equal(all.length, jobs.length, `n=${n}: every job once`);
    assert.equal(new Set(all).size, jobs.length, `n=${n}: disjoint`);
    const loads = parts.map((p) => p.reduce((s, j) => s + j.frames, 0));
    const largest = Math.max(...jobs.map((j) => j.frames));
    // Greedy largest-first never leaves a shard more than one job heavier than the lightest.
    assert.ok(Math.max(...loads) - Math.min(...loads) <= largest, `n=${n}: loads ${loads}`);
  }
  assert.throws(
    () =>
      partition(
        [
          { key: 'a', frames: 1 },
          { key: 'a', frames: 2 },
        ],
        2,
        w,
        k,
      ),
    /not unique/,
  );
});

test('--shard K/N and auto: Slurm arrays 0-based, 1-based and stepped; Kubernetes Indexed Jobs', () => {
  assert.deepEqual(parseShard('2/4', {}), { k: 2, n: 4 });
  assert.deepEqual(parseShard(' 1/1 ', {}), { k: 1, n: 1 });
  const zero = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_STEP: '1' };
  assert.deepEqual(parseShard('auto', { ...zero, SLURM_ARRAY_TASK_ID: '0' }), { k: 1, n: 4 });
  assert.deepEqual(parseShard('auto', { ...zero, SLURM_ARRAY_TASK_ID: '3' }), { k: 4, n: 4 });
  const one = { SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' };
  assert.deepEqual(parseShard('auto', { ...one, SLURM_ARRAY_TASK_ID: '1' }), { k: 1, n: 4 });
  assert.deepEqual(parseShard('auto', { ...one, SLURM_ARRAY_TASK_ID: '4' }), { k: 4, n: 4 });
  // --array=0-6:2
  const stepped = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_ID: '6' };
  assert.deepEqual(parseShard('auto', stepped), { k: 4, n: 4 });
  // MIN absent: taken as 0.
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' }), { k: 3, n: 3 });
  assert.deepEqual(parseShard('auto/3', { JOB_COMPLETION_INDEX: '0' }), { k: 1, n: 3 });
  assert.deepEqual(parseShard('auto/3', { JOB_COMPLETION_INDEX: '2' }), { k: 3, n: 3 });
});

test('--shard: every bad value or missing variable is a one-line UserError naming the option and the variable', () => {
  const bad: [string, Record<string, string>, RegExp][] = [
    ['0/3', {}, /^--shard: K must be 1\.\.3 \(1-based\), got '0\/3'$/],
    ['4/3', {}, /^--shard: K must be 1\.\.3/],
    ['3/0', {}, /^--shard: expected K\/N/],
    ['two/4', {}, /^--shard: expected K\/N .*got 'two\/4'$/],
    ['', {}, /^--shard: expected K\/N/],
    ['1.5/3', {}, /^--shard: expected K\/N/],
    ['-1/3', {}, /^--shard: expected K\/N/],
    ['auto', {}, /^--shard auto: SLURM_ARRAY_TASK_ID is not set/],
    ['auto', { SLURM_ARRAY_TASK_ID: '1' }, /^--shard auto: SLURM_ARRAY_TASK_COUNT is not set/],
    ['auto', { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '2' }, /^--shard auto: SLURM_ARRAY_TASK_ID='x' is not a whole number$/],
    ['auto', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }, /SLURM_ARRAY_TASK_ID=4 is not task 1\.\.4 of a contiguous array/],
    ['auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }, /is not task 1\.\.4/],
    ['auto/3', {}, /^--shard auto\/3: JOB_COMPLETION_INDEX is not set/],
    ['auto/3', { JOB_COMPLETION_INDEX: '3' }, /^--shard auto\/3: JOB_COMPLETION_INDEX=3 is not below 3/],
    ['auto/0', { JOB_COMPLETION_INDEX: '0' }, /^--shard: expected K\/N/],
  ];
  for (const [raw, env, pattern] of bad) {
    assert.throws(
      () => parseShard(raw, env),
      (err: unknown) => err instanceof UserError && !err.message.includes('\n') && pattern.test(err.message),
      `'${raw}' with ${JSON.stringify(env)}`,
    );
  }
});

test('bench --shard: bad values and --merge with --shard are one line on stderr and exit 1, before any work', () => {
  const none = { SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '', JOB_COMPLETION_INDEX: '' };
  for (const [args, pattern] of [
    [['--shard', '5/4'], /^error: --shard: K must be 1\.\.4/],
    [['--shard', 'x'], /^error: --shard: expected K\/N/],
    [['--shard', 'auto'], /^error: --shard auto: SLURM_ARRAY_TASK_ID is not set/],
    [['--shard', 'auto/2'], /^error: --shard auto\/2: JOB_COMPLETION_INDEX is not set/],
    [['--shard', '1/2', '--merge'], /^error: --merge: not with --shard/],
  ] as const) {
    const r = runCli('bench', ['--out', '/nonexistent/never-written', ...args], none);
    assert.equal(r.code, 1, r.stderr);
    assertOneLineError(r, pattern);
  }
});

test('createOutputMarker: of 8 claims of one new folder at once, exactly one creates the marker; the others are told', async (t) => {
  const dir = join(tempDir(t, 'shard-claim-'), 'run');
  const claim = { dir, option: '--out', command: 'bench' };
  const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => createOutputMarker(claim, inspectOutputDir(claim), { seed: i })));
  const made = claims.filter((m) => m !== undefined);
  assert.equal(made.length, 1);
  assert.deepEqual(readMarker(dir)?.settings, made[0]!.settings, "the marker on disk is the winner's");
  assert.deepEqual(readdirSync(dir), [MARKER], 'no temporary file left');
  assert.equal(inspectOutputDir(claim).state, 'ours');
});
