import { join } from 'node:path';
import { type ShellWord, renderSbatch, withoutGpu } from './sbatch.ts';
import { type Site, type TaskShape, logsDir, slurmDir } from './task.ts';

/**
 * A study on Slurm as four scripts, one per stage of `npm run study -- --stage` (docs/training.md):
 * prepare (one job), train (an array task per (configuration, seed) run), eval (an array task per
 * evaluation shard), stats (one job). Each stage checks on disk what it needs, so the chain of
 * dependencies only decides when a stage starts, never what it may assume.
 */
export interface StudyJobs extends Site {
  /** The study folder (absolute) and spec file (absolute). */
  out: string;
  spec: string;
  /** Other study options (--data, --engine, --device, --backend), as given. */
  studyArgs: string[];
  /** configurations x seeds: one training array task each. */
  runs: number;
  evalShards: number;
  /** A training task trains one run on all its CPUs; an evaluation task tracks with workers x threads. */
  trainCpus: number;
  evalShape: TaskShape;
}

export const STAGES = ['prepare', 'train', 'eval', 'stats'] as const;
export type StudyStage = (typeof STAGES)[number];

function npmStudy(j: StudyJobs, stage: StudyStage, workers: number, threads: number): ShellWord[] {
  const args = [
    '--spec',
    j.spec,
    '--out',
    j.out,
    ...j.studyArgs,
    '--stage',
    stage,
    '--concurrency',
    `${workers}`,
    '--threads',
    `${threads}`,
  ];
  return ['npm', 'run', '--silent', 'study', '--', ...args];
}

/** What each stage asks of Slurm and runs; the shard is spelled out, as in bench.sbatch, so one task can be resubmitted. */
function stagePlan(j: StudyJobs, stage: StudyStage): { array?: number; cpus: number; gpu: boolean; command: ShellWord[] } {
  const e = j.evalShape;
  const shard = (n: number): ShellWord[] => ['--shard', { raw: `"\${SLURM_ARRAY_TASK_ID}/${n}"` }];
  switch (stage) {
    case 'prepare':
      // Generates the data (a few workers) once; no GPU.
      return { cpus: e.cpus, gpu: false, command: npmStudy(j, stage, e.cpus, 1) };
    case 'train':
      return { array: j.runs, cpus: j.trainCpus, gpu: true, command: [...npmStudy(j, stage, 1, j.trainCpus), ...shard(j.runs)] };
    case 'eval':
      return {
        array: j.evalShards,
        cpus: e.cpus,
        gpu: true,
        command: [...npmStudy(j, stage, e.workers, e.threads), ...shard(j.evalShards)],
      };
    case 'stats':
      // Scores the test sets and computes the statistics: light, one CPU.
      return { cpus: 1, gpu: false, command: npmStudy(j, stage, 1, 1) };
  }
}

const ABOUT: Record<StudyStage, string> = {
  prepare: 'checks the spec, writes spec.json, generates the data: once, first',
  train: 'array task K trains (configuration, seed) run K',
  eval: 'array task K tracks part K of each test set',
  stats: 'scores the test sets, writes per_run.csv and every statistic: last',
};

export function studySbatch(j: StudyJobs, stage: StudyStage): string {
  const p = stagePlan(j, stage);
  const log = p.array ? `${stage}-%A_%a.out` : `${stage}-%j.out`;
  return renderSbatch({
    about: [
      `siambench study on Slurm, stage ${stage}: ${ABOUT[stage]}.`,
      `Study folder ${j.out}. Written by \`npm run slurm -- study\` (docs/scale-out.md);`,
      `the stages run prepare -> train -> eval -> stats, each after the one before.`,
    ],
    directives: [
      `--job-name=siambench-study-${stage}`,
      ...(p.array ? [`--array=1-${p.array}`] : []),
      '--ntasks=1',
      `--cpus-per-task=${p.cpus}`,
      `--output=${join(logsDir(j.out), log)}`,
    ],
    extra: p.gpu ? j.extra : withoutGpu(j.extra),
    chdir: j.repoDir,
    setup: j.setup,
    launcher: j.launcher,
    command: p.command,
  });
}

export const studyScript = (out: string, stage: StudyStage) => join(slurmDir(out), `${stage}.sbatch`);
