import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import type { OtbConvention } from '../core/types.ts';
import { parseCommand, positiveInt } from './options.ts';

const OTB_SETS = ['OTB2013', 'OTB50', 'OTB100'];

interface BenchOptions {
  dataset: string;
  root?: string;
  trackers?: string[];
  concurrency: number;
  backend?: string;
  out?: string;
  convention?: string;
  seed: number;
}

function parseArgs(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .description('Run registered trackers over a benchmark, store their raw results, score them and draw the comparison')
    .option('--dataset <name>', `synthetic | ${OTB_SETS.join(' | ')} (one-pass)`, 'synthetic')
    .option('--root <path>', 'dataset folder (raw OTB layout with images); default data/synthetic for synthetic')
    .option('--trackers <names>', 'comma-separated registered trackers (default: all)', (v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--concurrency <n>', 'worker threads, each with its own backend (default: CPU cores)', positiveInt('--concurrency'), availableParallelism())
    .option('--backend <name>', 'node-gpu | node | wasm | cpu (default: the best that loads)')
    .option('--out <dir>', 'output folder (default results/<dataset>)')
    .option('--convention <name>', 'scoring rules: otb | pysot | got10k', 'otb')
    .option('--seed <n>', 'seed passed to stochastic trackers', positiveInt('--seed'), 1);
  return parseCommand<BenchOptions>(program, argv);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const [{ conventionRules }, { trackerNames }] = await Promise.all([
    import('../metrics/otb/conventions.ts'),
    import('../trackers/registry.ts'),
  ]);
  if (!conventionRules(opts.convention ?? 'otb')) throw new UserError(`--convention: unknown convention '${opts.convention}' (expected otb, pysot, got10k)`);
  const trackers = opts.trackers ?? trackerNames();

  const dataset = opts.dataset.toLowerCase() === 'synthetic' ? 'synthetic' : OTB_SETS.find((d) => d.toLowerCase() === opts.dataset.toLowerCase());
  if (!dataset) throw new UserError(`--dataset: unknown dataset '${opts.dataset}' (expected synthetic, ${OTB_SETS.join(', ')})`);
  if (dataset !== 'synthetic' && !opts.root) throw new UserError(`--root: required for --dataset ${dataset} (the folder with <Seq>/img/*.jpg)`);
  const out = resolve(opts.out ?? join('results', dataset));

  const { loadBenchDataset } = await import('../runner/bench-dataset.ts');
  const ds = await loadBenchDataset(dataset, opts.root, log);
  const { runBench } = await import('../runner/bench.ts');
  const outcome = await runBench({
    ds, trackers, out, concurrency: opts.concurrency, backend: opts.backend,
    convention: opts.convention as OtbConvention, seed: opts.seed, log,
  });
  process.stdout.write(outcome.text);
}

runMain(main);
