import { join } from 'node:path';
import { UserError } from '../core/errors.ts';

/** Where a writer puts its scripts and the jobs' logs: inside the run or study folder they serve. */
export const slurmDir = (out: string) => join(out, 'slurm');
export const logsDir = (out: string) => join(out, 'slurm', 'logs');

/** What every script of one submission shares: the checkout, the site's directives and set-up. */
export interface Site {
  /** The repository: the jobs' working directory, where the npm scripts are defined. */
  repoDir: string;
  /** Extra directive values (from --sbatch) and setup lines (from --setup). */
  extra: string[];
  setup: string[];
  launcher?: string;
}

/** One array task's resources: `workers` bench workers of `threads` ORT threads each on `cpus` CPUs. */
export interface TaskShape {
  cpus: number;
  workers: number;
  threads: number;
}

/**
 * Matches the engine to the CPUs Slurm gives a task. The numbers are written into the script rather
 * than left to bench's defaults, because without a cgroup or affinity plugin (task/none) a task
 * sees every core of the node and would start that many workers. Defaults: one worker of one
 * thread per CPU; --cpus-per-task alone becomes that many workers.
 */
export function taskShape(o: { cpus?: number; workers?: number; threads?: number }): TaskShape {
  const threads = o.threads ?? (o.cpus !== undefined && o.workers !== undefined ? Math.max(1, Math.floor(o.cpus / o.workers)) : 1);
  const workers = o.workers ?? Math.max(1, Math.floor((o.cpus ?? 1) / threads));
  const cpus = o.cpus ?? workers * threads;
  if (workers * threads > cpus) {
    throw new UserError(`--cpus-per-task: ${cpus} CPU(s) cannot hold --concurrency ${workers} x --threads ${threads}`);
  }
  return { cpus, workers, threads };
}
