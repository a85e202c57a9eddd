import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { holdsAny, inspectOutputDir, markOutputDir } from '../core/out-dir.ts';
import { preflightCompute } from '../compute/engine.ts';
import type { TrackerMetrics } from '../regress/metrics.ts';
import type { BenchOutcome } from '../runner/bench.ts';
import { type Timeouts, TIMEOUT_HELP, parseTimeout } from '../runner/deadline.ts';
import { addComputeOptions, computeRequest, concurrencyOption, parseCommand } from './options.ts';
import { readUtf8Sync } from '../core/text-file.ts';

interface RegressOptions {
  baseline: string;
  out: string;
  results?: string;
  update: boolean;
  tolerance: number;
  /** Per-job deadlines of the tracking runs, as bench's --timeout (the defaults when absent). */
  timeout?: Timeouts;
  concurrency: number;
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
}

const BASELINE_FORMAT = 'siambench-regress-1';

interface Baseline {
  format: typeof BASELINE_FORMAT;
  created: string;
  dataset: { preset: 'regress'; root: string; sequences: number };
  backend: string;
  convention: 'otb';
  models: Record<string, string | null>;
  metrics: Metrics;
}

type Metrics = Record<string, TrackerMetrics>;

function parseArgs(argv: string[]): RegressOptions {
  const tolerance = (raw: string) => {
    const v = Number(raw);
    if (!(v >= 0 && v < 1)) throw new UserError(`--tolerance: expected a number in [0, 1), got '${raw}'`);
    return v;
  };
  const program = new Command('npm run regress --')
    .description('Re-run the committed trackers on the fixed regression set and compare every metric with the committed baseline')
    .option('--baseline <file>', 'baseline metrics and model fingerprints', 'regress/baseline.json')
    .option(
      '--out <dir>',
      'where the fresh run goes: a new or empty folder, or one an earlier regress run made (its results are replaced, nothing else)',
      'results/regress',
    )
    .option('--results <dir>', 'compare an existing regress run folder instead of running the trackers again')
    .option('--update', 'write the baseline from this run (after an intended change of models or metrics)', false)
    .option('--tolerance <t>', 'largest accepted change of any metric, absolute', tolerance, 0.01)
    .addOption(concurrencyOption('worker threads'))
    .option('--timeout <deadlines>', TIMEOUT_HELP, parseTimeout);
  return parseCommand<RegressOptions>(addComputeOptions(program), argv);
}

function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new UserError(`--baseline: no such file: ${file} (create it with npm run regress -- --update)`);
  let b: Baseline;
  try {
    b = JSON.parse(readUtf8Sync(file)) as Baseline;
  } catch (err) {
    throw new UserError(`${file}: not JSON (${(err as Error).message})`);
  }
  if (b.format !== BASELINE_FORMAT || typeof b.metrics !== 'object' || typeof b.models !== 'object') {
    throw new UserError(`${file}: not a siambench regression baseline (format ${BASELINE_FORMAT})`);
  }
  return b;
}

/**
 * A regression run never resumes stale results, but only a folder an earlier regress run made is
 * cleared, and only of what that run wrote: any other folder holding files is refused.
 */
async function clearRegressRun(out: string): Promise<void> {
  const claim = { dir: out, option: '--out', command: 'regress', legacy: holdsAny('run.json', 'records') };
  const claimed = inspectOutputDir(claim);
  if (claimed.state !== 'ours') return;
  for (const own of ['raw', 'records', 'run.json']) await rm(join(out, own), { recursive: true, force: true });
  await markOutputDir(claim, { dir: claimed.dir, state: 'new' }, {});
}

/** The run folder: --results as it is (a bench run folder), or --out cleared of an earlier regress run. */
async function runFolder(opts: RegressOptions): Promise<string> {
  const out = resolve(opts.results ?? opts.out);
  if (opts.results) {
    if (!existsSync(join(out, 'run.json'))) throw new UserError(`--results: ${opts.results} is not a bench run folder (no run.json)`);
  } else await clearRegressRun(out);
  return out;
}

async function writeBaseline(file: string, outcome: BenchOutcome, sequences: number, models: Baseline['models'], current: Metrics) {
  const b: Baseline = {
    format: BASELINE_FORMAT,
    created: new Date().toISOString(),
    dataset: { preset: 'regress', root: 'data/synthetic-regress', sequences },
    backend: outcome.backend,
    convention: 'otb',
    models,
    metrics: current,
  };
  await writeFileAtomic(file, `${JSON.stringify(b, null, 1)}\n`);
  process.stdout.write(`${outcome.text}\nbaseline written: ${file}\n`);
}

/** Prints every metric and model against the baseline; a regression is a one-line error. */
async function compareWithBaseline(opts: RegressOptions, b: Baseline, outcome: BenchOutcome, models: Baseline['models'], current: Metrics) {
  const { compareMetrics, formatDifferences } = await import('../regress/metrics.ts');
  const diffs = compareMetrics(b.metrics, current, opts.tolerance);
  const modelLines = Object.keys(models).map((t) => {
    const same = (b.models[t] ?? null) === models[t];
    return {
      t,
      same,
      line: `${t.padEnd(10)} ${same ? 'same as baseline' : `CHANGED (baseline ${String(b.models[t]).slice(0, 12)}, now ${String(models[t]).slice(0, 12)})`}`,
    };
  });
  const backendNote =
    outcome.backend === b.backend
      ? ''
      : `note: the baseline was made on ${b.backend}, this run on ${outcome.backend}; small differences are expected\n`;
  process.stdout.write(
    `${formatDifferences(diffs, opts.tolerance)}\nmodel files:\n${modelLines.map((m) => `  ${m.line}`).join('\n')}\n${backendNote}`,
  );
  const failed = diffs.filter((d) => !d.ok).length;
  const changedModels = modelLines.filter((m) => !m.same).map((m) => m.t);
  if (failed > 0 || changedModels.length > 0) {
    const why = [
      failed > 0 ? `${failed} metric(s) moved more than ${opts.tolerance}` : '',
      changedModels.length > 0 ? `model files changed: ${changedModels.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    throw new UserError(`regression: ${why} (if intended, update the baseline: npm run regress -- --update)`);
  }
  process.stdout.write('regression check passed\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const baselineFile = resolve(opts.baseline);
  const baseline = opts.update ? undefined : readBaseline(baselineFile);
  const compute = computeRequest(opts);
  await preflightCompute(compute);
  const out = await runFolder(opts);

  const [{ loadBenchDataset }, { runBench }, { builtInTrackerNames, selectTrackers }, { modelsRoot }, { metricsOf }, { modelFingerprint }] =
    await Promise.all([
      import('../runner/bench-dataset.ts'),
      import('../runner/bench.ts'),
      import('../trackers/registry.ts'),
      import('../trackers/siamfc/factory.ts'),
      import('../regress/metrics.ts'),
      import('../regress/fingerprint.ts'),
    ]);
  const trackers = builtInTrackerNames();
  const data = await loadBenchDataset('synthetic', undefined, log, 'regress');
  const outcome = await runBench({
    data,
    trackers: selectTrackers(trackers),
    out,
    command: 'regress',
    ...(opts.results ? { accepts: ['bench'] } : {}),
    concurrency: opts.concurrency,
    compute,
    convention: 'otb',
    seed: 1,
    timeouts: opts.timeout,
    log,
  });
  if (outcome.evaluation.kind !== 'otb') throw new Error('regression set is one-pass');
  const current = metricsOf(outcome.evaluation.ev);
  const models = Object.fromEntries(trackers.map((t) => [t, modelFingerprint(join(modelsRoot(), t))]));
  if (opts.update) await writeBaseline(baselineFile, outcome, data.kind === 'otb' ? data.ds.targets.length : 0, models, current);
  else await compareWithBaseline(opts, baseline!, outcome, models, current);
}

runMain(main);
