import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStatistics } from '../src/study/outputs.ts';
import { parsePerRun } from '../src/study/per-run.ts';
import { assertOneLineError, REPO, runCli, type CliResult } from './helpers/cli.ts';

/**
 * A study run as the stages a cluster runs (`--stage prepare|train|eval|stats`, `--shard K/N`),
 * each in its own process and the shards of a stage at once, equals the same study run in one go:
 * per_run.csv and study.csv byte for byte. Between the stages, each refuses in one line what its
 * predecessors have not done. studies/smoke.json: 2 configurations x 2 seeds, 4 test sequences.
 */
const SMOKE = join(REPO, 'studies', 'smoke.json');
let tmp = '';
let whole = '';
let staged = '';
const steps: Record<string, CliResult> = {};

/** `npm run study` in a child process, asynchronously, so that the shards of a stage run at once. */
function study(args: string[]): Promise<CliResult> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'study.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, SIAMBENCH_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

const shards = (stage: string, ks: number[], n: number) =>
  Promise.all(ks.map((k) => study(['--spec', SMOKE, '--out', staged, '--stage', stage, '--shard', `${k}/${n}`])));

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'study-stages-'));
  whole = join(tmp, 'whole');
  staged = join(tmp, 'staged');
  const s = ['--spec', SMOKE, '--out', staged];
  steps.whole = await study(['--spec', SMOKE, '--out', whole]);
  steps.trainUnprepared = await study([...s, '--stage', 'train', '--shard', '1/4']);
  steps.prepare = await study([...s, '--stage', 'prepare']);
  steps.evalUntrained = await study([...s, '--stage', 'eval', '--shard', '1/2']);
  // Three training tasks for four runs, at once: one takes two.
  [steps.train1, steps.train2, steps.train3] = await shards('train', [1, 2, 3], 3);
  steps.eval1 = (await shards('eval', [1], 3))[0];
  steps.statsIncomplete = await study([...s, '--stage', 'stats']);
  [steps.eval2, steps.eval3] = await shards('eval', [2, 3], 3);
  steps.stats = await study([...s, '--stage', 'stats']);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const ok = (name: string) => assert.equal(steps[name].code, 0, `${name}: ${steps[name].stderr}`);

test('the stages in separate processes, shards at once, give the whole run per_run.csv and study.csv byte for byte', () => {
  for (const name of ['whole', 'prepare', 'train1', 'train2', 'train3', 'eval1', 'eval2', 'eval3', 'stats']) ok(name);
  assert.match(steps.train1.stderr, /shard 1\/3: 2 of 4 training run\(s\)/);
  assert.match(steps.train2.stderr, /shard 2\/3: 1 of 4 training run\(s\)/);
  for (const f of ['per_run.csv', 'validation.csv', 'selection.csv', 'study.csv', 'per_attribute.csv', 'study.md', 'training.csv']) {
    const a = readFileSync(join(whole, f), 'utf8');
    const b = readFileSync(join(staged, f), 'utf8');
    // training.csv holds each run's wall-clock seconds: compare the rest.
    const cut = (t: string) => (f === 'training.csv' ? t.replace(/^([^,]*,[^,]*,[^,]*,[^,]*),[^,]*,/gm, '$1,,') : t);
    assert.equal(cut(b), cut(a), f);
  }
  for (const f of ['forest-synthetic.png', 'curves/logistic.png', 'curves/global.png', 'eval/synthetic/summary.csv']) {
    assert.ok(existsSync(join(staged, f)), f);
  }
  assert.equal(readFileSync(join(staged, 'per_run.csv'), 'utf8').trim().split('\n').length, 1 + 4 * 4);
});

test('the stages refuse in one line what their predecessors have not done', () => {
  assertOneLineError(
    steps.trainUnprepared,
    /^error: --stage train: .*staged is not prepared \(no prepared\.json\); run npm run study -- .* --stage prepare first$/,
  );
  assertOneLineError(
    steps.evalUntrained,
    /^error: --stage eval: 4 training run\(s\) not done: logistic-seed1, global-seed1, logistic-seed2, global-seed2; run --stage train \(every shard\) first$/,
  );
});

test('stats on an incomplete folder lists each tracking job missing and exits 1', () => {
  const r = steps.statsIncomplete;
  assert.equal(r.code, 1, r.stderr);
  const missing = r.stderr.split('\n').filter((l) => /\[study\] missing: (synthetic|validation): [a-z]+-seed\d on Synth\d+$/.test(l));
  assert.ok(missing.length > 0 && missing.length < 16 + 12, r.stderr);
  assert.match(
    r.stderr.trimEnd().split('\n').at(-1)!,
    new RegExp(`--stage stats: ${missing.length} tracking job\\(s\\) not done \\(listed above\\); run --stage eval`),
  );
});

test('stats computes every statistic from per_run.csv alone: the same study.csv from the file parsed again', async () => {
  ok('stats');
  const again = join(tmp, 'again');
  const file = join(staged, 'per_run.csv');
  const validation = join(staged, 'validation.csv');
  await writeStatistics(again, parsePerRun(readFileSync(file, 'utf8'), file), parsePerRun(readFileSync(validation, 'utf8'), validation));
  for (const f of ['study.csv', 'per_attribute.csv', 'study.md', 'selection.csv']) {
    assert.equal(readFileSync(join(again, f), 'utf8'), readFileSync(join(staged, f), 'utf8'), f);
  }
});

test('--shard goes with --stage train or eval only', () => {
  assertOneLineError(
    runCli('study', ['--spec', SMOKE, '--out', join(tmp, 'x'), '--stage', 'stats', '--shard', '1/2']),
    /^error: --shard: only with --stage train or --stage eval$/,
  );
  assertOneLineError(
    runCli('study', ['--spec', SMOKE, '--out', join(tmp, 'x'), '--stage', 'train', '--shard', '3/2']),
    /^error: --shard: K must be 1\.\.2/,
  );
});
