import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { claimOutputDir, holdsAny } from '../core/out-dir.ts';
import { datasetChoices } from '../benchmarks/registry/index.ts';
import { PAPER_MODELS, PAPER_RECIPE, recipeArgs, type Recipe } from '../training/recipe.ts';
import { type ComputeRequest, preflightCompute } from '../compute/engine.ts';
import { threadsPerWorker } from '../compute/onnx/session.ts';
import { type Timeouts, TIMEOUT_HELP, parseTimeout } from '../runner/deadline.ts';
import { addComputeOptions, computeRequest, concurrencyOption, parseCommand, positiveInt } from './options.ts';
import { siblingModule } from '../core/module-url.ts';

interface ReproduceOptions {
  retrain: boolean;
  models?: string;
  dataset: string;
  root?: string;
  out: string;
  concurrency: number;
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
  epochs: number;
  pairsPerEpoch: number;
  /** Per-job deadlines of the tracking runs, as bench's --timeout (the defaults when absent). */
  timeout?: Timeouts;
}

function parseArgs(argv: string[]): ReproduceOptions {
  const program = new Command('npm run reproduce --')
    .description(
      "The paper's comparison in one command: SiamFC trained with the logistic loss (baseline) vs the global similarity loss (ours)",
    )
    .option(
      '--retrain',
      'train both models first with the committed recipe (about 30 minutes on 2 cores with ONNX Runtime), then compare those',
      false,
    )
    .option('--models <dir>', 'compare the models in <dir>/siamfc and <dir>/siamfc-gs (default: the committed models/)')
    .option('--dataset <name>', `one-pass benchmark to compare on: ${datasetChoices({ family: 'otb', bench: true })}`, 'synthetic')
    .option('--root <dir>', 'its folder (default data/synthetic, generated once; OTB needs a raw folder with images)')
    .option('--out <dir>', 'output folder', 'results/reproduce')
    .addOption(concurrencyOption('worker threads for tracking'))
    .option('--epochs <n>', 'with --retrain: epochs', positiveInt('--epochs'), PAPER_RECIPE.epochs)
    .option(
      '--pairs-per-epoch <n>',
      'with --retrain: training pairs per epoch',
      positiveInt('--pairs-per-epoch'),
      PAPER_RECIPE.pairsPerEpoch,
    )
    .option('--timeout <deadlines>', TIMEOUT_HELP, parseTimeout);
  return parseCommand<ReproduceOptions>(addComputeOptions(program), argv);
}

const TRAIN_CLI = fileURLToPath(siblingModule('./train.ts', import.meta.url));

/**
 * The engine options of each of `parallel` trainings running side by side: ORT's intra-op threads
 * split the cores between them unless the user fixed them (tfjs ignores the thread count).
 */
function trainComputeArgs(req: ComputeRequest, parallel: number): string[] {
  const args: string[] = [];
  if (req.engine !== undefined) args.push('--engine', req.engine);
  if (req.device !== undefined) args.push('--device', req.device);
  if (req.backend !== undefined) args.push('--backend', req.backend);
  if (req.engine !== 'tfjs' && req.backend === undefined) args.push('--threads', String(req.threads ?? threadsPerWorker(parallel)));
  return args;
}

/** Runs `npm run train` in a child process, its log lines prefixed with the tracker's name. */
function trainChild(args: string[], label: string, log: (line: string) => void): Promise<void> {
  return new Promise((res, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TRAIN_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const last: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        last.push(line);
        if (last.length > 3) last.shift();
        log(`[${label}] ${line}`);
      });
    }
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? res() : reject(new UserError(`training ${label} failed (exit ${code}): ${last.at(-1) ?? ''}`)),
    );
  });
}

/** What the options cannot be together, checked before any folder is touched; returns the --models folder. */
async function checkOptions(opts: ReproduceOptions): Promise<string | undefined> {
  const { benchDatasetKind } = await import('../runner/bench-dataset.ts');
  if (benchDatasetKind(opts.dataset).kind !== 'otb')
    throw new UserError(`--dataset: the paper's comparison is one-pass (success and precision plots); ${opts.dataset} is a VOT set`);
  if (opts.retrain && opts.models)
    throw new UserError('--retrain and --models exclude each other (--retrain writes its models into <out>/models)');
  const modelsDir = opts.models ? resolve(opts.models) : undefined;
  if (modelsDir) {
    for (const m of PAPER_MODELS) {
      if (!existsSync(join(modelsDir, m.tracker, 'model.json')))
        throw new UserError(`--models: ${join(modelsDir, m.tracker, 'model.json')} is missing`);
    }
  }
  return modelsDir;
}

/** --retrain: the synthetic training split, then both models trained side by side into <out>/models. */
async function retrain(opts: ReproduceOptions, out: string, compute: ComputeRequest, log: (line: string) => void): Promise<string> {
  const recipe: Omit<Recipe, 'seed'> = { ...PAPER_RECIPE, epochs: opts.epochs, pairsPerEpoch: opts.pairsPerEpoch };
  const { ensureSynthetic } = await import('../synthetic/index.ts');
  await ensureSynthetic(resolve('data/synthetic'), {
    splits: ['train'],
    onSplit: (split, status, s) => log(`synthetic ${split} split: ${status}${status === 'generated' ? ` (${s.toFixed(0)} s)` : ''}`),
  });
  const modelsDir = join(out, 'models');
  log(
    `training both models in parallel (recipe: ${JSON.stringify(recipe)}; seeds ${PAPER_MODELS.map((m) => `${m.tracker} ${m.seed}`).join(', ')}); an interrupted run resumes from its checkpoints`,
  );
  // One process per model, side by side: ORT gets half the cores each, tfjs WASM uses one anyway.
  const computeArgs = trainComputeArgs(compute, PAPER_MODELS.length);
  await Promise.all(
    PAPER_MODELS.map((m) =>
      trainChild([...recipeArgs({ ...recipe, seed: m.seed }, m.loss, join(modelsDir, m.tracker)), ...computeArgs], m.tracker, log),
    ),
  );
  return modelsDir;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const out = resolve(opts.out);
  const compute = computeRequest(opts);
  await preflightCompute(compute);
  let modelsDir = await checkOptions(opts);
  // Its own earlier output is replaced (models may have changed); a folder of other files is refused.
  await claimOutputDir({ dir: out, option: '--out', command: 'reproduce', legacy: holdsAny('comparison', 'comparison.md') });

  if (opts.retrain) modelsDir = await retrain(opts, out, compute, log);
  // Worker threads read the models root from the environment.
  if (modelsDir) process.env.SIAMBENCH_MODELS = modelsDir;

  const [{ loadBenchDataset }, { runBench }, { compareTrackers, comparisonCsv, comparisonMarkdown }, { selectTrackers }] =
    await Promise.all([
      import('../runner/bench-dataset.ts'),
      import('../runner/bench.ts'),
      import('../benchmarks/otb/report/comparison.ts'),
      import('../trackers/registry.ts'),
    ]);
  const data = await loadBenchDataset(opts.dataset, opts.root, log);
  const benchOut = join(out, 'comparison');
  await rm(benchOut, { recursive: true, force: true }); // models may have changed since a previous run
  const outcome = await runBench({
    data,
    trackers: selectTrackers([...PAPER_MODELS.map((m) => m.tracker), 'static']),
    out: benchOut,
    command: 'reproduce',
    concurrency: opts.concurrency,
    compute,
    convention: 'otb',
    seed: 1,
    timeouts: opts.timeout,
    log,
  });
  if (outcome.evaluation.kind !== 'otb') throw new Error('the comparison is one-pass');
  const [base, ours] = PAPER_MODELS.map((m) => m.tracker);
  const rows = compareTrackers(outcome.evaluation.ev, base, ours);
  const md = comparisonMarkdown(rows, base, ours);
  await writeFileAtomic(join(out, 'comparison.csv'), comparisonCsv(rows, base, ours));
  await writeFileAtomic(
    join(out, 'comparison.md'),
    `# ${PAPER_MODELS[0].label} vs ${PAPER_MODELS[1].label}\n\n${data.ds.name} (${data.ds.root}, ${data.kind === 'otb' ? data.ds.targets.length : 0} sequences), one-pass, convention otb; models: ${modelsDir ?? 'models/ (committed)'}.\n\n${md}`,
  );
  process.stdout.write(
    [
      outcome.text.trimEnd(),
      '',
      `${PAPER_MODELS[0].label} = ${base}, ${PAPER_MODELS[1].label} = ${ours}:`,
      '',
      md,
      `plots: ${join(benchOut, 'success.png')}, ${join(benchOut, 'precision.png')}, per attribute in ${join(benchOut, 'attributes')}`,
      `table: ${join(out, 'comparison.md')}, ${join(out, 'comparison.csv')}`,
      '',
    ].join('\n'),
  );
}

runMain(main);
