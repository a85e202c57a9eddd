import { join } from 'node:path';
import { renderSbatch, withoutGpu } from './sbatch.ts';
import { type Site, type TaskShape, logsDir, slurmDir } from './task.ts';

export interface BenchJobs extends Site {
  /** The run folder (absolute), shared by every task. */
  out: string;
  /** Bench options other than --out, --concurrency, --threads, --shard, --merge (relative paths resolve in repoDir). */
  benchArgs: string[];
  shards: number;
  shape: TaskShape;
}

function npmBench(j: BenchJobs): string[] {
  const s = j.shape;
  return [
    'npm',
    'run',
    '--silent',
    'bench',
    '--',
    ...j.benchArgs,
    '--out',
    j.out,
    '--concurrency',
    `${s.workers}`,
    '--threads',
    `${s.threads}`,
  ];
}

/**
 * bench.sbatch: task K of the array runs shard K/N. The shard is spelled out instead of
 * `--shard auto` so that resubmitting one failed task (sbatch --array=K) still runs shard K of N:
 * auto would read the array's new task count, 1.
 */
export function benchSbatch(j: BenchJobs): string {
  return renderSbatch({
    about: [
      `siambench bench on Slurm: array task K runs shard K/${j.shards} of the (tracker, sequence) jobs`,
      `into ${j.out}; merge.sbatch scores the run once every task succeeded.`,
      'Written by `npm run slurm -- bench` (docs/scale-out.md). To rerun one failed shard K:',
      `  sbatch --array=K ${join(slurmDir(j.out), 'bench.sbatch')}, then sbatch ${join(slurmDir(j.out), 'merge.sbatch')}`,
    ],
    directives: [
      '--job-name=siambench-bench',
      `--array=1-${j.shards}`,
      '--ntasks=1',
      `--cpus-per-task=${j.shape.cpus}`,
      `--output=${join(logsDir(j.out), 'bench-%A_%a.out')}`,
    ],
    extra: j.extra,
    chdir: j.repoDir,
    setup: j.setup,
    launcher: j.launcher,
    command: [...npmBench(j), '--shard', { raw: `"\${SLURM_ARRAY_TASK_ID}/${j.shards}"` }],
  });
}

/**
 * merge.sbatch: scores the run folder (submitted with --dependency=afterok on the array). The same
 * bench options as the shards, so that the merge checks the folder against the same settings.
 */
export function mergeSbatch(j: BenchJobs): string {
  return renderSbatch({
    about: [
      `siambench bench on Slurm: scores ${j.out} once every shard of bench.sbatch is done`,
      '(exit 1 with the missing jobs listed otherwise). Written by `npm run slurm -- bench`.',
    ],
    directives: ['--job-name=siambench-merge', '--ntasks=1', '--cpus-per-task=1', `--output=${join(logsDir(j.out), 'merge-%j.out')}`],
    // Scoring needs no accelerator: a GPU asked for the shards is not held idle by the merge.
    extra: withoutGpu(j.extra),
    chdir: j.repoDir,
    setup: j.setup,
    launcher: j.launcher,
    command: [...npmBench(j), '--merge'],
  });
}
