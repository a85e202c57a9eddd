import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { holdsAny, inspectOutputDir, unwritable } from '../core/out-dir.ts';
import { extraDirectives } from '../scaleout/sbatch.ts';
import { type BenchJobs, benchSbatch, mergeSbatch } from '../scaleout/slurm-bench.ts';
import { logsDir, slurmDir, taskShape } from '../scaleout/task.ts';
import { assertSbatch, sbatch } from '../scaleout/submit.ts';
import { resolveDataset } from '../benchmarks/registry/index.ts';
import { type BenchOptions, benchOut, parseBenchArgs } from './bench-args.ts';
import { parseCommand, positiveInt } from './options.ts';

/** The jobs run `npm run bench` here, so the scripts name this checkout (on the shared filesystem). */
const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

interface SlurmBenchOptions {
  shards: number;
  cpusPerTask?: number;
  concurrency?: number;
  threads?: number;
  out?: string;
  root?: string;
  sbatch?: string[];
  setup?: string[];
  launcher?: string;
  submit: boolean;
}

const collect = (v: string, all: string[] = []) => [...all, v];

function benchCommand(chosen: (opts: SlurmBenchOptions, rest: string[]) => void): Command {
  return new Command('bench')
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
    .option('--root <path>', 'dataset folder, on a shared filesystem (passed to bench as an absolute path)')
    .option(
      '--sbatch <line>',
      "extra directive for both scripts, e.g. '#SBATCH --partition=gpu' (repeatable; --gres/--gpus go to the shards only)",
      collect,
      [],
    )
    .option('--setup <command>', "shell line run in each job before bench, e.g. 'module load nodejs/20' (repeatable)", collect)
    .option('--launcher <command>', "what runs npm in each job, e.g. 'apptainer exec --nv /shared/siambench.sif' (a container) or 'srun'")
    .option('--submit', 'submit both scripts with sbatch (the merge with --dependency=afterok) and print the job ids', false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action((opts: SlurmBenchOptions, cmd: Command) => chosen(opts, cmd.args));
}

function parseArgs(argv: string[]): { opts: SlurmBenchOptions; rest: string[] } {
  let picked: { opts: SlurmBenchOptions; rest: string[] } | undefined;
  const program = new Command('npm run slurm --')
    .description('Write Slurm batch scripts that run siambench across a cluster, and optionally submit them (docs/scale-out.md)')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const bench = benchCommand((opts, rest) => (picked = { opts, rest }));
  program.addCommand(bench);
  // docs/commands.md is made from the top-level --help: it shows the subcommand's options too.
  program.addHelpText('after', () => `\n${bench.helpInformation()}`);
  parseCommand(program, argv);
  if (!picked) throw new UserError('expected a command: bench (npm run slurm -- --help)');
  return picked;
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
  return {
    repoDir: REPO,
    out,
    benchArgs,
    shards: opts.shards,
    shape,
    extra: extraDirectives(opts.sbatch ?? []),
    setup: opts.setup ?? [],
    launcher: opts.launcher,
  };
}

async function writeScripts(jobs: BenchJobs): Promise<{ bench: string; merge: string }> {
  const bench = join(slurmDir(jobs.out), 'bench.sbatch');
  const merge = join(slurmDir(jobs.out), 'merge.sbatch');
  try {
    // Slurm does not create the folder of --output: a job whose log folder is missing fails unseen.
    mkdirSync(logsDir(jobs.out), { recursive: true });
    await writeFileAtomic(bench, benchSbatch(jobs));
    await writeFileAtomic(merge, mergeSbatch(jobs));
  } catch (err) {
    throw unwritable('--out', slurmDir(jobs.out), err);
  }
  return { bench, merge };
}

async function main(): Promise<void> {
  const { opts, rest } = parseArgs(process.argv);
  const jobs = benchJobs(opts, rest);
  if (opts.submit) assertSbatch();
  const files = await writeScripts(jobs);
  const s = jobs.shape;
  process.stdout.write(
    `${files.bench}: ${jobs.shards} array task(s) of ${s.cpus} CPU(s), ${s.workers} worker(s) x ${s.threads} thread(s)\n${files.merge}: scores ${jobs.out}\nlogs: ${logsDir(jobs.out)}\n`,
  );
  if (!opts.submit) {
    process.stdout.write(`submit: id=$(sbatch --parsable ${files.bench}) && sbatch --dependency=afterok:$id ${files.merge}\n`);
    return;
  }
  const array = sbatch(files.bench);
  const merge = sbatch(files.merge, array);
  process.stdout.write(`submitted: bench array ${array}, merge ${merge} (watch: squeue -j ${array},${merge})\n`);
}

runMain(main);
