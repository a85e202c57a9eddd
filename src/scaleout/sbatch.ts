import { UserError } from '../core/errors.ts';

/**
 * The text of one sbatch script: directives first (sbatch stops reading them at the first command),
 * then the shell lines. Pure, so that tests can check the exact text a cluster will see.
 */
export interface SbatchScript {
  /** Comment lines under the shebang, telling a reader of the file what it is for. */
  about: string[];
  /** Values of #SBATCH lines, ours first, e.g. '--cpus-per-task=2'. */
  directives: string[];
  /** The user's extra directives (--sbatch), after ours. */
  extra: string[];
  /** Working directory: set by --chdir for Slurm and by cd for a reader running the script by hand. */
  chdir: string;
  /** Shell lines run before the command (module load, conda activate, ...). */
  setup: string[];
  /** Shell text the command runs under, as given: 'apptainer exec /shared/siambench.sif', 'srun'. */
  launcher?: string;
  /** The command, one shell word per element (see word and raw). */
  command: ShellWord[];
}

/** A shell word: a literal (quoted as needed) or raw shell text such as "${SLURM_ARRAY_TASK_ID}/4". */
export type ShellWord = string | { raw: string };

/**
 * POSIX single quoting, only where a word needs it, so that the scripts read like what one would
 * type. Hand-written because it is one rule (a ' inside becomes '\'' ), not worth a dependency.
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function renderSbatch(s: SbatchScript): string {
  const words = s.command.map((w) => (typeof w === 'string' ? shellQuote(w) : w.raw));
  return [
    '#!/bin/bash',
    ...s.about.map((l) => `# ${l}`.trimEnd()),
    ...s.directives.map((d) => `#SBATCH ${d}`),
    `#SBATCH --chdir=${s.chdir}`,
    ...s.extra.map((d) => `#SBATCH ${d}`),
    'set -euo pipefail',
    `cd ${shellQuote(s.chdir)}`,
    ...s.setup,
    `exec ${[s.launcher?.trim(), ...words].filter(Boolean).join(' ')}`,
    '',
  ].join('\n');
}

/** Directives the writer sets itself: given in --sbatch they would silently break the sharding. */
const OURS: Record<string, string> = {
  '--array': '--shards',
  '-a': '--shards',
  '--cpus-per-task': '--cpus-per-task',
  '-c': '--cpus-per-task',
  '--dependency': 'the writer (merge runs afterok)',
  '-d': 'the writer (merge runs afterok)',
  '--chdir': 'the writer (the repository)',
  '-D': 'the writer (the repository)',
};

/**
 * The --sbatch values as directives: each value may hold several lines, each line either
 * '#SBATCH --opt' or just '--opt' (the prefix is added). Anything else is refused, since sbatch
 * would take it as the first command and ignore every directive after it.
 */
export function extraDirectives(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const line of value.split('\n')) {
      const d = line.trim().replace(/^#SBATCH\s+/, '');
      if (d === '') continue;
      if (!d.startsWith('-')) throw new UserError(`--sbatch: expected '#SBATCH --option' or '--option', got '${line.trim()}'`);
      const name = d.split(/[=\s]/)[0];
      if (OURS[name]) throw new UserError(`--sbatch: ${name} is set by ${OURS[name]}, not by --sbatch`);
      out.push(d);
    }
  }
  return out;
}

/** Directives that ask for accelerators: left out of jobs that need none (a merge, the statistics). */
export function withoutGpu(directives: readonly string[]): string[] {
  return directives.filter((d) => !/^--(gres|gpus\b|gpus-per-\w+|gpu-bind|cpus-per-gpu|mem-per-gpu)/.test(d));
}
