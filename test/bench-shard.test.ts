import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDifferences } from '../src/runner/same-run.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { type CliResult, REPO, runCli } from './helpers/cli.ts';

/**
 * Issue 13 item 1 through the real CLI: shards run as separate, concurrent processes on real
 * generated frames into one new folder (so they race for its claim), then --merge; the merged
 * folder must equal a one-machine run's, file by file. --shard auto under Slurm's and Kubernetes'
 * variables, and --merge of an incomplete folder.
 */
let tmp = '';
let syn = '';

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'bench-shard-'));
  syn = join(tmp, 'synthetic');
  // The smallest set that runs: 3 sequences of 30 frames (the fewest the scripted events allow).
  await ensureSynthetic(syn, { seed: 5, testSequences: 3, testFrames: 30, splits: ['test'] });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

// One thread and one worker everywhere: run.json records the engine's threads and the concurrency,
// which the merge takes from its own options.
const options = (trackers: string) => [
  '--dataset',
  'synthetic',
  '--root',
  syn,
  '--trackers',
  trackers,
  '--threads',
  '1',
  '--concurrency',
  '1',
];
const NO_ARRAY = { SLURM_ARRAY_TASK_ID: '', SLURM_ARRAY_TASK_COUNT: '', SLURM_ARRAY_TASK_MIN: '', JOB_COMPLETION_INDEX: '' };

function bench(out: string, args: string[], env: Record<string, string> = {}): CliResult {
  return runCli('bench', [...args, '--out', out], { ...NO_ARRAY, ...env });
}

/** The CLI as a concurrent process (runCli waits; shards must overlap). */
function benchAsync(out: string, args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'bench.ts'), ...args, '--out', out], {
      cwd: REPO,
      env: { ...process.env, SIAMBENCH_DEBUG: '', ...NO_ARRAY },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The comparison lives in src/runner/same-run.ts, shared with the real-Slurm test (scripts/slurm-e2e.sh). */
function assertSameRun(one: string, sharded: string): void {
  assert.deepEqual(runDifferences(one, sharded), []);
}

test('3 concurrent shards into one new folder, then --merge, equal a one-machine run except timing columns', async () => {
  const one = join(tmp, 'one');
  const sharded = join(tmp, 'sharded');
  const args = options('static,siamfc');
  const r = bench(one, args);
  assert.equal(r.code, 0, r.stderr);
  const shards = await Promise.all([1, 2, 3].map((k) => benchAsync(sharded, [...args, '--shard', `${k}/3`])));
  for (const [i, s] of shards.entries()) {
    assert.equal(s.code, 0, `shard ${i + 1}: ${s.stderr}`);
    // 6 jobs of 30 frames: 2 each (frame-balanced), none run twice.
    assert.match(s.stderr, new RegExp(`shard ${i + 1}/3: 2 of 6 sequence run\\(s\\), 60 of 180 frames; 0 already done`));
  }
  assert.ok(!existsSync(join(sharded, 'run.json')) && !existsSync(join(sharded, 'summary.csv')), 'shards leave the scoring to --merge');
  assert.deepEqual(readdirSync(join(sharded, 'shards')).sort(), ['1-of-3.json', '2-of-3.json', '3-of-3.json']);

  const refused = bench(sharded, [...options('static,siamfc'), '--seed', '2', '--shard', '1/3']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr.trimEnd().split('\n').at(-1)!, /^error: --seed: .* holds a run made with 1, not 2/);

  const merged = bench(sharded, [...args, '--merge']);
  assert.equal(merged.code, 0, merged.stderr);
  assert.match(merged.stdout, /^siamfc +0\.\d{4}/m);
  assertSameRun(one, sharded);
});

test('--shard auto under a Slurm array (1-based) and auto/N under a Kubernetes Indexed Job; --merge lists what is missing and exits 1', () => {
  const out = join(tmp, 'auto');
  const args = options('static');
  const slurm = bench(out, [...args, '--shard', 'auto'], {
    SLURM_ARRAY_TASK_ID: '1',
    SLURM_ARRAY_TASK_MIN: '1',
    SLURM_ARRAY_TASK_COUNT: '3',
  });
  assert.equal(slurm.code, 0, slurm.stderr);
  assert.match(slurm.stderr, /shard 1\/3: 1 of 3 sequence run\(s\)/);

  const missing = bench(out, [...args, '--merge']);
  assert.equal(missing.code, 1);
  const lines = missing.stderr.trimEnd().split('\n');
  // Hand-computed: 3 jobs of 30 frames, split by key: static/Synth001, static/Synth002, static/Synth003.
  assert.deepEqual(
    lines.filter((l) => l.startsWith('missing:')),
    ['missing: static on Synth002 (shard 2/3)', 'missing: static on Synth003 (shard 3/3)'],
  );
  assert.match(lines.at(-1)!, /^error: --merge: 2 of 3 sequence run\(s\) in .* are not done \(listed above\)/);
  assert.ok(!existsSync(join(out, 'summary.csv')), 'nothing scored');

  for (const index of ['1', '2']) {
    const kube = bench(out, [...args, '--shard', 'auto/3'], { JOB_COMPLETION_INDEX: index });
    assert.equal(kube.code, 0, kube.stderr);
    assert.match(kube.stderr, new RegExp(`shard ${Number(index) + 1}/3: 1 of 3`));
  }
  const again = bench(out, [...args, '--shard', '2/3']);
  assert.match(again.stderr, /shard 2\/3: 1 of 3 sequence run\(s\), 30 of 90 frames; 1 already done/, 'a resumed shard runs nothing twice');
  const merged = bench(out, [...args, '--merge']);
  assert.equal(merged.code, 0, merged.stderr);
  assert.ok(existsSync(join(out, 'summary.csv')) && existsSync(join(out, 'run.json')));

  const empty = bench(join(tmp, 'never-run'), [...args, '--merge']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr.trimEnd().split('\n').at(-1)!, /^error: --merge: .* holds no bench run yet/);
});

test('VOT supervised: 2 shards then --merge equal a one-machine run except timing columns', () => {
  const args = ['--dataset', 'synthetic-vot', '--root', syn, '--trackers', 'static', '--threads', '1', '--concurrency', '1'];
  const one = join(tmp, 'vot-one');
  const sharded = join(tmp, 'vot-sharded');
  const r = bench(one, args);
  assert.equal(r.code, 0, r.stderr);
  // 3 jobs of 30 frames x 3 repetitions (static is deterministic): 2 to shard 1, 1 to shard 2.
  for (const [k, line] of [
    [1, /shard 1\/2: 2 of 3 sequence run\(s\), 180 of 270 frames/],
    [2, /shard 2\/2: 1 of 3 sequence run\(s\), 90 of 270 frames/],
  ] as const) {
    const s = bench(sharded, [...args, '--shard', `${k}/2`]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, line);
  }
  const merged = bench(sharded, [...args, '--merge']);
  assert.equal(merged.code, 0, merged.stderr);
  assertSameRun(one, sharded);
});
