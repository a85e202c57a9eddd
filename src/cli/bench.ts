import { UserError } from '../core/errors.ts';
import { join, resolve } from 'node:path';
import { runMain } from '../core/cli-main.ts';
import { assertWritable, holdsAny, inspectOutputDir } from '../core/out-dir.ts';
import { preflightCompute } from '../compute/engine.ts';
import { resolveConvention } from '../benchmarks/registry/index.ts';
import { parseBenchArgs } from './bench-args.ts';
import { computeRequest } from './options.ts';
import { DEFAULT_TIMEOUTS } from '../runner/deadline.ts';

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const compute = computeRequest(opts);
  await preflightCompute(compute);
  const { builtInTrackerNames, loadExternalTrackers, selectTrackers, trackerNames } = await import('../trackers/registry.ts');
  await loadExternalTrackers();
  const { registerTraxTrackers, setTraxSettings } = await import('../trackers/trax/registry.ts');
  registerTraxTrackers(opts.trackersIni, opts.trax, trackerNames());
  const oneOff = opts.trax.map((t) => t.slice(0, t.indexOf('=')).trim());
  const trackers = selectTrackers(opts.trackers ?? [...builtInTrackerNames(), ...oneOff]);

  const { benchDatasetKind, loadBenchDataset } = await import('../runner/bench-dataset.ts');
  const { name, kind } = benchDatasetKind(opts.dataset);
  const convention = resolveConvention(kind, opts.convention, '--convention', name);
  // Refused before the dataset is read, let alone workers started: runBench checks again and marks it.
  const out = resolve(opts.out ?? join('results', name));
  const claim = { dir: out, option: '--out', command: 'bench', legacy: holdsAny('run.json', 'records') };
  inspectOutputDir(claim);
  assertWritable(claim);
  setTraxSettings({ stepMs: (opts.timeout ?? DEFAULT_TIMEOUTS).frameMs, logDir: join(out, 'trax-logs') });
  const all = await loadBenchDataset(opts.dataset, opts.root, log);
  const { selectSequences } = await import('../benchmarks/index.ts');
  const data = opts.sequences ? selectSequences(all, opts.sequences) : all;
  const otbOnly = opts.experiment === 'ope' || opts.experiment === 'tre' || opts.experiment === 'sre';
  if (opts.experiment && otbOnly !== (data.kind === 'otb')) {
    const which = data.kind === 'otb' ? 'ope, tre or sre' : 'baseline or unsupervised';
    throw new UserError(`--experiment ${opts.experiment}: not an experiment of ${opts.dataset} (${which})`);
  }
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
    commonSequences: opts.commonSequences === true,
    log,
  };
  const { runBench } = await import('../runner/bench.ts');
  const { mergeBench, runBenchShard } = await import('../runner/bench-shard.ts');
  const outcome = opts.shard ? await runBenchShard(request, opts.shard) : opts.merge ? await mergeBench(request) : await runBench(request);
  process.stdout.write(outcome.text);
}

runMain(main);
