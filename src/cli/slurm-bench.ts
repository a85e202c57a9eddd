import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../core/errors.ts';
import { holdsAny, inspectOutputDir } from '../core/out-dir.ts';
import { type BenchJobs, benchSbatch, mergeSbatch } from '../scaleout/slurm-bench.ts';
import { logsDir, slurmDir, taskShape } from '../scaleout/task.ts';
import { assertSbatch, sbatch } from '../scaleout/submit.ts';
import { resolveDataset } from '../benchmarks/registry/index.ts';
import { type BenchOptions, benchOut, parseBenchArgs } from './bench-args.ts';
import { positiveInt } from './options.ts';
import { type SiteOptions, addSiteOptions, siteOf, writeScripts } from './slurm-site.ts';

/** `npm run slurm -- bench`: a sharded bench as a job array and its merge (docs/scale-out.md). */
interface SlurmBenchOptions extends SiteOptions {
  shards: number;
  cpusPerTask?: number;
  concurrency?: number;
  threads?: number;
  out?: string;
  root?: string;
}

export function benchCommand(run: (opts: SlurmBenchOptions, rest: string[]) => void): Command {
  const cmd = new Command('bench')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .description(
      'bench as a Slurm job array of N shards into one run folder, then a merge job (afterok) that scores it. Writes <out>/slurm/bench.sbatch and merge.sbatch; every option not listed here goes to bench as it is (npm run bench -- --help)',
    )
    .requiredOption('--shards <n>', 'array tasks, each running one of N frame-balanced parts of the jobs', positiveInt('--shards'))
    .option('--cpus-per-task <n>', 'CPUs of each task (default: --concurrency x --threads, else 1)', positiveInt('--cpus-per-task'))
    .option('--concurrency <n>', 'bench workers in each task (default: --cpus-per-task / --threads)', positiveInt('--concurrency'))
    .option('--threads <n>', 'ORT threads per worker (default: --cpus-per-task / --concurrency, else 1)', positiveInt('--threads'))
    .option('--out <dir>', 'run folder, on a filesystem every node shares (default results/<dataset>)')
    .option('--root <path>', 'dataset folder, on a shared filesystem (passed to bench as an absolute path)');
  return addSiteOptions(cmd, 'both scripts (--gres/--gpus: the shards only)', 'both scripts (the merge with --dependency=afterok)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action((opts: SlurmBenchOptions, c: Command) => run(opts, c.args));
}

function benchOptions(args: string[]): BenchOptions {
  try {
    return parseBenchArgs(['node', 'bench', ...args]);
  } catch (err) {
    // commander's "did you mean" goes on the same line: every failure is one line.
    if (err instanceof UserError) throw new UserError(`bench options: ${err.message.replace(/\s*\n\s*/g, ' ')}`);
    throw err;
  }
}

/** What bench checks only once it loads the dataset, on a node: checked here, where the folder must be visible too. */
function checkRoot(dataset: string, root: string | undefined): void {
  if (root === undefined) {
    if (!resolveDataset(dataset, { bench: true }).name.startsWith('synthetic'))
      throw new UserError(`--root: required for --dataset ${dataset} (the dataset folder, on a shared filesystem)`);
    return;
  }
  if (!existsSync(root)) throw new UserError(`--root: no such folder: ${resolve(root)}`);
}

/** The bench options as each job passes them: checked now with bench's own parser, not an hour later on a node. */
function benchJobs(opts: SlurmBenchOptions, rest: string[]): BenchJobs {
  for (const own of ['--shard', '--merge']) {
    if (rest.some((a) => a === own || a.startsWith(`${own}=`)))
      throw new UserError(`${own}: set by the scripts (each task's shard, the merge job), not given`);
  }
  const benchArgs = [...rest, ...(opts.root !== undefined ? ['--root', resolve(opts.root)] : [])];
  const shape = taskShape({ cpus: opts.cpusPerTask, workers: opts.concurrency, threads: opts.threads });
  const parsed = benchOptions([...benchArgs, '--concurrency', `${shape.workers}`, '--threads', `${shape.threads}`]);
  checkRoot(parsed.dataset, opts.root);
  const out = benchOut({ dataset: parsed.dataset, out: opts.out });
  // Refused now, like bench itself would refuse it on every node: a folder of someone else's files.
  inspectOutputDir({ dir: out, option: '--out', command: 'bench', legacy: holdsAny('run.json', 'records') });
  return { ...siteOf(opts), out, benchArgs, shards: opts.shards, shape };
}

export async function slurmBench(opts: SlurmBenchOptions, rest: string[]): Promise<void> {
  const jobs = benchJobs(opts, rest);
  if (opts.submit) assertSbatch();
  const bench = join(slurmDir(jobs.out), 'bench.sbatch');
  const merge = join(slurmDir(jobs.out), 'merge.sbatch');
  await writeScripts(jobs.out, { [bench]: benchSbatch(jobs), [merge]: mergeSbatch(jobs) });
  const s = jobs.shape;
  process.stdout.write(
    `${bench}: ${jobs.shards} array task(s) of ${s.cpus} CPU(s), ${s.workers} worker(s) x ${s.threads} thread(s)\n${merge}: scores ${jobs.out}\nlogs: ${logsDir(jobs.out)}\n`,
  );
  if (!opts.submit) {
    process.stdout.write(`submit: id=$(sbatch --parsable ${bench}) && sbatch --dependency=afterok:$id ${merge}\n`);
    return;
  }
  const array = sbatch(bench);
  const mergeId = sbatch(merge, array);
  process.stdout.write(`submitted: bench array ${array}, merge ${mergeId} (watch: squeue -j ${array},${mergeId})\n`);
}
