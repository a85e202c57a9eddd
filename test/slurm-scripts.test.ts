/**
 * The Slurm scripts `npm run slurm -- bench` writes, as text: the expectations are written out by
 * hand (what a cluster will read), not produced by the code under test. The run against a real
 * Slurm is scripts/slurm-e2e.sh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, existsSync, readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extraDirectives, shellQuote } from '../src/scaleout/sbatch.ts';
import { type BenchJobs, benchSbatch, mergeSbatch } from '../src/scaleout/slurm-bench.ts';
import { type StudyJobs, studySbatch } from '../src/scaleout/slurm-study.ts';
import { taskShape } from '../src/scaleout/task.ts';

const jobs: BenchJobs = {
  repoDir: '/home/me/siambench',
  out: '/scratch/me/otb100 run',
  benchArgs: ['--dataset', 'OTB100', '--root', '/data/OTB100', '--trackers', "siamfc,it's"],
  shards: 8,
  shape: { cpus: 4, workers: 2, threads: 2 },
  extra: ['--partition=gpu', '--gres=gpu:1', '--time=02:00:00'],
  setup: ['module load apptainer'],
  launcher: 'apptainer exec --nv /shared/siambench.sif',
};

test('bench.sbatch: an array of N tasks, each shard K/N with the CPUs and engine threads matched', () => {
  assert.equal(
    benchSbatch(jobs),
    `#!/bin/bash
# siambench bench on Slurm: array task K runs shard K/8 of the (tracker, sequence) jobs
# into /scratch/me/otb100 run; merge.sbatch scores the run once every task succeeded.
# Written by \`npm run slurm -- bench\` (docs/scale-out.md). To rerun one failed shard K:
#   sbatch --array=K /scratch/me/otb100 run/slurm/bench.sbatch, then sbatch /scratch/me/otb100 run/slurm/merge.sbatch
#SBATCH --job-name=siambench-bench
#SBATCH --array=1-8
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=4
#SBATCH --output=/scratch/me/otb100 run/slurm/logs/bench-%A_%a.out
#SBATCH --chdir=/home/me/siambench
#SBATCH --partition=gpu
#SBATCH --gres=gpu:1
#SBATCH --time=02:00:00
set -euo pipefail
cd /home/me/siambench
module load apptainer
exec apptainer exec --nv /shared/siambench.sif npm run --silent bench -- --dataset OTB100 --root /data/OTB100 --trackers 'siamfc,it'\\''s' --out '/scratch/me/otb100 run' --concurrency 2 --threads 2 --shard "\${SLURM_ARRAY_TASK_ID}/8"
`,
  );
});

test('merge.sbatch: one CPU, no GPU directives, the same bench options with --merge', () => {
  assert.equal(
    mergeSbatch(jobs),
    `#!/bin/bash
# siambench bench on Slurm: scores /scratch/me/otb100 run once every shard of bench.sbatch is done
# (exit 1 with the missing jobs listed otherwise). Written by \`npm run slurm -- bench\`.
#SBATCH --job-name=siambench-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=/scratch/me/otb100 run/slurm/logs/merge-%j.out
#SBATCH --chdir=/home/me/siambench
#SBATCH --partition=gpu
#SBATCH --time=02:00:00
set -euo pipefail
cd /home/me/siambench
module load apptainer
exec apptainer exec --nv /shared/siambench.sif npm run --silent bench -- --dataset OTB100 --root /data/OTB100 --trackers 'siamfc,it'\\''s' --out '/scratch/me/otb100 run' --concurrency 2 --threads 2 --merge
`,
  );
});

test('shellQuote leaves plain words alone and single-quotes the rest', () => {
  assert.equal(shellQuote('--out=/a/b_c-1.2,x:y@z%+'), '--out=/a/b_c-1.2,x:y@z%+');
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote('$HOME'), "'$HOME'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote(''), "''");
});

test('taskShape: one worker of one thread per CPU by default, the CPUs sized to what is asked', () => {
  assert.deepEqual(taskShape({}), { cpus: 1, workers: 1, threads: 1 });
  assert.deepEqual(taskShape({ cpus: 8 }), { cpus: 8, workers: 8, threads: 1 });
  assert.deepEqual(taskShape({ cpus: 8, threads: 2 }), { cpus: 8, workers: 4, threads: 2 });
  assert.deepEqual(taskShape({ cpus: 8, workers: 2 }), { cpus: 8, workers: 2, threads: 4 });
  assert.deepEqual(taskShape({ workers: 3, threads: 2 }), { cpus: 6, workers: 3, threads: 2 });
  assert.deepEqual(taskShape({ workers: 3 }), { cpus: 3, workers: 3, threads: 1 });
  assert.throws(
    () => taskShape({ cpus: 2, workers: 2, threads: 2 }),
    /--cpus-per-task: 2 CPU\(s\) cannot hold --concurrency 2 x --threads 2/,
  );
});

test('--sbatch: lines with or without #SBATCH, several per value; ours and non-directives refused', () => {
  assert.deepEqual(extraDirectives(['#SBATCH --partition=gpu\n--time=1:00:00', '  #SBATCH   --gres=gpu:1  ', '']), [
    '--partition=gpu',
    '--time=1:00:00',
    '--gres=gpu:1',
  ]);
  assert.throws(() => extraDirectives(['--array=1-3']), /--sbatch: --array is set by --shards/);
  assert.throws(() => extraDirectives(['#SBATCH -c 4']), /--sbatch: -c is set by --cpus-per-task/);
  assert.throws(() => extraDirectives(['--dependency=afterok:1']), /--sbatch: --dependency is set by the writer/);
  assert.throws(() => extraDirectives(['module load x']), /--sbatch: expected '#SBATCH --option' or '--option', got 'module load x'/);
});

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'slurm.ts');

test('npm run slurm -- bench writes both scripts and the log folder into the run folder; bench accepts that folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slurm-cli-'));
  try {
    const out = join(dir, 'run');
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'bench',
      '--shards',
      '3',
      '--cpus-per-task',
      '2',
      '--out',
      out,
    ]);
    assert.match(stdout, /bench\.sbatch: 3 array task\(s\) of 2 CPU\(s\), 2 worker\(s\) x 1 thread\(s\)/);
    assert.ok(existsSync(join(out, 'slurm', 'logs')));
    const text = readFileSync(join(out, 'slurm', 'bench.sbatch'), 'utf8');
    assert.match(text, /^#SBATCH --array=1-3$/m);
    assert.match(text, / --out \S+ --concurrency 2 --threads 1 --shard "\$\{SLURM_ARRAY_TASK_ID\}\/3"$/m);
    // The scripts' folder alone does not make the run folder someone else's.
    const { inspectOutputDir } = await import('../src/core/out-dir.ts');
    assert.equal(inspectOutputDir({ dir: out, option: '--out', command: 'bench' }).state, 'new');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--submit without sbatch on PATH: one line, nothing written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slurm-cli-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const out = join(dir, 'run');
    const err = await run(process.execPath, ['--import', 'tsx', CLI, 'bench', '--shards', '2', '--out', out, '--submit'], {
      env: { ...process.env, PATH: bin },
    }).then(
      () => assert.fail('expected exit 1'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(err.code, 1);
    assert.equal(
      err.stderr,
      'error: --submit: sbatch not found on PATH; run on a Slurm login node, or leave out --submit and submit the scripts there\n',
    );
    assert.ok(!existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const study: StudyJobs = {
  repoDir: '/home/me/siambench',
  out: '/scratch/me/study',
  spec: '/home/me/siambench/studies/global-loss.json',
  studyArgs: ['--data', '/scratch/me/data'],
  runs: 40,
  evalShards: 8,
  trainCpus: 4,
  evalShape: { cpus: 4, workers: 4, threads: 1 },
  extra: ['--partition=gpu', '--gres=gpu:1'],
  setup: [],
};

test('study: train is an array task per (configuration, seed) run, all its CPUs to that run', () => {
  assert.equal(
    studySbatch(study, 'train'),
    `#!/bin/bash
# siambench study on Slurm, stage train: array task K trains (configuration, seed) run K.
# Study folder /scratch/me/study. Written by \`npm run slurm -- study\` (docs/scale-out.md);
# the stages run prepare -> train -> eval -> stats, each after the one before.
#SBATCH --job-name=siambench-study-train
#SBATCH --array=1-40
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=4
#SBATCH --output=/scratch/me/study/slurm/logs/train-%A_%a.out
#SBATCH --chdir=/home/me/siambench
#SBATCH --partition=gpu
#SBATCH --gres=gpu:1
set -euo pipefail
cd /home/me/siambench
exec npm run --silent study -- --spec /home/me/siambench/studies/global-loss.json --out /scratch/me/study --data /scratch/me/data --stage train --concurrency 1 --threads 4 --shard "\${SLURM_ARRAY_TASK_ID}/40"
`,
  );
});

test('study: eval is an array task per shard; prepare and stats are single jobs without the GPU', () => {
  const evalText = studySbatch(study, 'eval');
  assert.match(evalText, /^#SBATCH --array=1-8$/m);
  assert.match(evalText, /^#SBATCH --gres=gpu:1$/m);
  assert.match(evalText, / --stage eval --concurrency 4 --threads 1 --shard "\$\{SLURM_ARRAY_TASK_ID\}\/8"$/m);
  for (const stage of ['prepare', 'stats'] as const) {
    const text = studySbatch(study, stage);
    assert.doesNotMatch(text, /--array|--gres|--shard/, stage);
    assert.match(text, new RegExp(`^#SBATCH --output=/scratch/me/study/slurm/logs/${stage}-%j.out$`, 'm'));
  }
  assert.match(studySbatch(study, 'prepare'), / --stage prepare --concurrency 4 --threads 1$/m);
  assert.match(studySbatch(study, 'stats'), /^#SBATCH --cpus-per-task=1$/m);
  assert.match(studySbatch(study, 'stats'), / --stage stats --concurrency 1 --threads 1$/m);
});
