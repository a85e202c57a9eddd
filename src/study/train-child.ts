import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.ts';
import type { ComputeRequest } from '../compute/engine.ts';

/**
 * One training run in a child process (`npm run train -- ... --resume`), its whole log appended to
 * <out>/logs/<run>.log and its epoch summaries echoed as progress lines.
 */
export function trainChild(
  cli: string,
  args: string[],
  job: { name: string },
  logFile: string,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((res, reject) => {
    const file = createWriteStream(logFile, { flags: 'a' });
    file.write(`# ${new Date().toISOString()} npm run train -- ${args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        file.write(`${line}\n`);
        last = line;
        if (/epoch \d+\/\d+:|resuming/.test(line)) log(`[${job.name}] ${line}`);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      file.end(() => (code === 0 ? res() : reject(new UserError(`training ${job.name} failed (exit ${code}): ${last} (log: ${logFile})`))));
    });
  });
}

/** ORT threads per training process, so that `parallel` processes share the cores (tfjs picks its own). */
export function computeArgs(req: ComputeRequest, parallel: number): string[] {
  const args: string[] = [];
  if (req.engine !== undefined) args.push('--engine', req.engine);
  if (req.device !== undefined) args.push('--device', req.device);
  if (req.backend !== undefined) args.push('--backend', req.backend);
  if (req.engine !== 'tfjs' && req.backend === undefined)
    args.push('--threads', String(req.threads ?? Math.max(1, Math.floor(availableParallelism() / parallel))));
  return args;
}
