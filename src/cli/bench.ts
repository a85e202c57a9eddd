import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { assertWritable, holdsAny, inspectOutputDir } from '../core/out-dir.ts';
import { type Shard, SHARD_HELP, parseShard } from '../core/shard.ts';
import { preflightCompute } from '../compute/engine.ts';
import { conventionChoices, datasetChoices, resolveConvention } from '../benchmarks/registry/index.ts';
import { type Timeouts, TIMEOUT_HELP, parseTimeout } from '../runner/deadline.ts';
import { addComputeOptions, computeRequest, concurrencyOption, parseCommand, positiveInt } from './options.ts';

interface BenchOptions {
  dataset: string;
  root?: string;
  trackers?: string[];
  concurrency: number;
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
  out?: string;
  convention?: string;
  seed: number;
  repetitions: number;
  experiment: 'baseline' | 'unsupervised';
  timeout?: Timeouts;
  shard?: Shard;
  merge?: boolean;
}

function parseArgs(argv: string[]): BenchOptions {
  const program = new Command('npm run bench --')
    .description('Run registered trackers over a benchmark, store their raw results, score them and draw the comparison')
    .option('--dataset <name>', datasetChoices({ bench: true }), 'synthetic')
    .option('--root <path>', 'dataset folder with images (default data/synthetic for the synthetic sets)')
    .option(
      '--trackers <names>',
      'comma-separated registered trackers or SiamFC model folders given as paths (./m, /data/m; named after the folder) (default: the built-in trackers)',
      (v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .addOption(concurrencyOption('worker threads, each with its own engine'))
    .option('--out <dir>', 'output folder (default results/<dataset>)')
    .option('--convention <name>', `scoring rules: ${conventionChoices()}`)
    .option('--seed <n>', 'seed passed to stochastic trackers', positiveInt('--seed'), 1)
    .addOption(
      new Option('--experiment <name>', 'VOT: baseline (supervised, resets after failures) or unsupervised (one run, no reset)')
        .choices(['baseline', 'unsupervised'])
        .default('baseline'),
    )
    .option(
      '--repetitions <n>',
      'VOT: repetitions at most (deterministic trackers stop after 3 identical runs)',
      positiveInt('--repetitions'),
      15,
    )
    .option('--timeout <deadlines>', TIMEOUT_HELP, parseTimeout)
    .option('--shard <K/N>', SHARD_HELP, (raw) => parseShard(raw))
    .option('--merge', 'score the run folder once every shard is done; otherwise list the jobs missing and exit 1');
  const opts = parseCommand<BenchOptions>(addComputeOptions(program), argv);
  if (opts.merge && opts.shard) throw new UserError('--merge: not with --shard (merge once, after every shard is done)');
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const compute = computeRequest(opts);
  await preflightCompute(compute);
  const { builtInTrackerNames, loadExternalTrackers, selectTrackers } = await import('../trackers/registry.ts');
  await loadExternalTrackers();
  const trackers = selectTrackers(opts.trackers ?? builtInTrackerNames());

  const { benchDatasetKind, loadBenchDataset } = await import('../runner/bench-dataset.ts');
  const { name, kind } = benchDatasetKind(opts.dataset);
  const convention = resolveConvention(kind, opts.convention);
  // Refused before the dataset is read, let alone workers started: runBench checks again and marks it.
  const out = resolve(opts.out ?? join('results', name));
  const claim = { dir: out, option: '--out', command: 'bench', legacy: holdsAny('run.json', 'records') };
  inspectOutputDir(claim);
  assertWritable(claim);
  const data = await loadBenchDataset(opts.dataset, opts.root, log);
  const request = {
    data,
    trackers,
    out,
    concurrency: opts.concurrency,
    compute,
    convention,
    seed: opts.seed,
    maxRepetitions: opts.repetitions,
    experiment: opts.experiment,
    timeouts: opts.timeout,
    log,
  };
  const { runBench } = await import('../runner/bench.ts');
  const { mergeBench, runBenchShard } = await import('../runner/bench-shard.ts');
  const outcome = opts.shard ? await runBenchShard(request, opts.shard) : opts.merge ? await mergeBench(request) : await runBench(request);
  process.stdout.write(outcome.text);
}

runMain(main);
