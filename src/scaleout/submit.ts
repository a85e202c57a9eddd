import { execFileSync } from 'node:child_process';
import { UserError } from '../core/errors.ts';

/**
 * sbatch is looked for before anything is written, so that `--submit` on a machine without Slurm
 * is one line, not a half-written slurm folder and a stack trace.
 */
export function assertSbatch(): void {
  try {
    execFileSync('sbatch', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found on PATH' : `does not run (${code ?? (err as Error).message})`;
    throw new UserError(`--submit: sbatch ${why}; run on a Slurm login node, or leave out --submit and submit the scripts there`);
  }
}

/**
 * Submits one script and returns its job id. --parsable prints "id" or "id;cluster"; sbatch's own
 * refusal (bad partition, over a limit) is passed on as one line naming the script.
 */
export function sbatch(script: string, dependsOn?: string, after: 'afterok' | 'afterany' = 'afterok'): string {
  const args = ['--parsable', ...(dependsOn ? [`--dependency=${after}:${dependsOn}`] : []), script];
  let stdout: string;
  try {
    stdout = execFileSync('sbatch', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '')
      .trim()
      .split('\n')
      .pop();
    throw new UserError(`sbatch ${script}: ${stderr || (err as Error).message}`);
  }
  const id = stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new UserError(`sbatch ${script}: expected a job id, got '${stdout.trim()}'`);
  return id;
}
