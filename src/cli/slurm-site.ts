import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { unwritable } from '../core/out-dir.ts';
import { extraDirectives } from '../scaleout/sbatch.ts';
import { type Site, logsDir, slurmDir } from '../scaleout/task.ts';

/**
 * What the subcommands of `npm run slurm` share: the site's options (directives, set-up,
 * launcher, --submit) and writing the scripts into <out>/slurm/.
 */

/** The jobs run npm scripts here, so the scripts name this checkout (on the shared filesystem). */
const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

export interface SiteOptions {
  sbatch?: string[];
  setup?: string[];
  launcher?: string;
  submit: boolean;
}

const collect = (v: string, all: string[] = []) => [...all, v];

export function addSiteOptions(cmd: Command, jobs: string, submits: string): Command {
  return cmd
    .option('--sbatch <line>', `extra directive for ${jobs}, e.g. '#SBATCH --partition=gpu' (repeatable)`, collect)
    .option('--setup <command>', "shell line run in each job first, e.g. 'module load nodejs/20' (repeatable)", collect)
    .option('--launcher <command>', "what runs npm in each job, e.g. 'apptainer exec --nv /shared/siambench.sif' (a container) or 'srun'")
    .option('--submit', `submit ${submits} with sbatch and print the job ids`, false);
}

export function siteOf(opts: SiteOptions): Site {
  return { repoDir: REPO, extra: extraDirectives(opts.sbatch ?? []), setup: opts.setup ?? [], launcher: opts.launcher };
}

/** Writes the scripts (path -> text) and creates the log folder, which Slurm does not: a job whose --output folder is missing fails unseen. */
export async function writeScripts(out: string, scripts: Record<string, string>): Promise<void> {
  try {
    mkdirSync(logsDir(out), { recursive: true });
    for (const [file, text] of Object.entries(scripts)) await writeFileAtomic(file, text);
  } catch (err) {
    throw unwritable('--out', slurmDir(out), err);
  }
}
