import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../core/errors.ts';
import { type Shard, SHARD_HELP, parseShard } from '../core/shard.ts';
import { conventionChoices, datasetChoices, resolveDataset } from '../benchmarks/registry/index.ts';
import { type Timeouts, TIMEOUT_HELP, parseTimeout } from '../runner/deadline.ts';
import { COMMON_HELP, SEQUENCES_HELP, addComputeOptions, concurrencyOption, parseCommand, positiveInt } from './options.ts';
import { type SequenceSelection, parseSequences } from '../benchmarks/common/subset.ts';

/**
 * bench's options, apart from bench itself so that `npm run slurm -- bench` checks the options it
 * passes on with the same parser before submitting (a typo is one line now, not a failed array).
 */
export interface BenchOptions {
  dataset: string;
  root?: string;
  trackers?: string[];
  trackersIni?: string;
  trax: string[];
  concurrency: number;
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
  out?: string;
  convention?: string;
  seed: number;
  repetitions: number;
  experiment?: 'baseline' | 'unsupervised' | 'ope' | 'tre' | 'sre';
  timeout?: Timeouts;
  shard?: Shard;
  merge?: boolean;
  sequences?: SequenceSelection;
  commonSequences?: boolean;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
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
    .option('--trackers-ini <file>', "TraX trackers defined as in the VOT toolkit's trackers.ini (default: ./trackers.ini when present)")
    .option(
      '--trax <name=command>',
      'a one-off TraX tracker: its name and command line, run in the current folder (repeatable; runs by default with the built-in trackers)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .addOption(concurrencyOption('worker threads, each with its own engine'))
    .option('--out <dir>', 'output folder (default results/<dataset>)')
    .option('--convention <name>', `scoring rules: ${conventionChoices()}`)
    .option('--sequences <names>', SEQUENCES_HELP, (v) => parseSequences(v))
    .option('--common-sequences', COMMON_HELP)
    .option('--seed <n>', 'seed passed to stochastic trackers', positiveInt('--seed'), 1)
    .addOption(
      new Option(
        '--experiment <name>',
        'VOT: baseline (default; supervised, resets after failures) or unsupervised (one run, no reset); OTB: ope (default), tre (20 start frames, splitSeqTRE) or sre (12 shifted first boxes, shiftInitBB)',
      ).choices(['baseline', 'unsupervised', 'ope', 'tre', 'sre']),
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

/** The run folder: --out, else results/<dataset's canonical name>, absolute. */
export function benchOut(opts: Pick<BenchOptions, 'out' | 'dataset'>): string {
  return resolve(opts.out ?? join('results', resolveDataset(opts.dataset, { bench: true }).name));
}
