import { join, resolve } from 'node:path';
import type { ComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { type Evaluation, datasetSize, scoreResults } from '../benchmarks/index.ts';
import type { TrackerFactory } from '../trackers/base/tracker.ts';
import type { BenchDataset } from './bench-dataset.ts';
import type { Job, JobRecord } from './jobs.ts';
import { planOpeJobs, planVotJobs, runPaths } from './plan.ts';
import { runJobs } from './run.ts';

export interface BenchRequest {
  data: BenchDataset;
  /** Checked where the names came in (selectTrackers); workers look them up by name. */
  trackers: TrackerFactory[];
  out: string;
  concurrency: number;
  /** Engine options as given; each worker resolves them (see compute/engine.ts). */
  compute: ComputeRequest;
  /** otb | pysot | got10k for one-pass datasets, legacy | pysot for VOT. */
  convention: string;
  seed: number;
  /** VOT repetitions at most (15 by the toolkit's rules). */
  maxRepetitions?: number;
  /** VOT experiment: supervised with resets (default) or unsupervised. */
  experiment?: 'baseline' | 'unsupervised';
  log: (line: string) => void;
}

export interface BenchOutcome {
  out: string;
  records: JobRecord[];
  backend: string;
  /** The console summary (table, rules, where the files are). */
  text: string;
  evaluation: Evaluation;
}

/**
 * The main job: run every tracker on every sequence (one-pass for OTB-style sets, the reset protocol
 * for VOT), resuming where an earlier run in the same folder stopped, record the run, then score the
 * raw files on disk with the same pipeline `eval` uses and write the report.
 */
export async function runBench(request: BenchRequest): Promise<BenchOutcome> {
  const factories = request.trackers;
  const req = { ...request, trackers: factories.map((f) => f.name) };
  const out = resolve(req.out);
  const { data } = req;
  const plan: { jobs: Job[]; done: JobRecord[] } =
    data.kind === 'otb'
      ? planOpeJobs(data.ds, req.trackers, out, req.seed)
      : planVotJobs(data.ds, factories, out, req.seed, req.experiment, req.maxRepetitions);
  const { jobs, done } = plan;
  if (done.length > 0) req.log(`resuming: ${done.length} of ${done.length + jobs.length} sequence run(s) already done in ${out}`);

  const started = new Date().toISOString();
  let backend = done[0]?.backend ?? '';
  let records = done;
  let seconds = 0;
  if (jobs.length > 0) {
    const outcome = await runJobs(jobs, { concurrency: req.concurrency, compute: req.compute, log: req.log });
    backend = outcome.backend;
    seconds = outcome.seconds;
    records = [...done, ...outcome.records];
    const failed = outcome.records.filter((r) => r.status === 'failed');
    for (const r of failed) req.log(`failed: ${r.tracker} on ${r.target}: ${r.error}`);
    req.log(`ran ${outcome.records.length} sequence run(s) in ${seconds.toFixed(1)} s, ${failed.length} failed`);
  }
  const sequences = datasetSize(data);
  await writeFileAtomic(
    join(out, 'run.json'),
    JSON.stringify(
      {
        dataset: data.ds.name,
        protocol: data.kind === 'otb' ? 'one-pass' : `vot-${req.experiment === 'unsupervised' ? 'unsupervised' : 'supervised'}`,
        root: data.ds.root,
        trackers: req.trackers,
        backend,
        backends: [...new Set(records.map((r) => r.backend))],
        compute: { requested: req.compute, used: records.find((r) => r.compute)?.compute ?? null },
        concurrency: req.concurrency,
        seed: req.seed,
        convention: req.convention,
        node: process.version,
        started,
        finished: new Date().toISOString(),
        runSeconds: Number(seconds.toFixed(2)),
        sequences,
        models: Object.fromEntries(
          req.trackers.map((t) => [t, records.find((r) => r.tracker === t && r.trackerRecord)?.trackerRecord ?? null]),
        ),
      },
      null,
      1,
    ) + '\n',
  );

  const scored = req.trackers.filter((t) => records.some((r) => r.tracker === t && r.status === 'ok'));
  if (scored.length === 0) throw new UserError(`every sequence run failed; the reasons are in ${runPaths(out).records}`);
  const failures = records.filter((r) => r.status === 'failed').map((r) => `run: ${r.tracker}: ${r.target}: tracker failed: ${r.error}`);
  const score = { trackers: scored, extraWarnings: failures };
  const { raw } = runPaths(out);
  const { evaluation, text } = await scoreResults(data, raw, out, { ...score, convention: req.convention });
  return { out, records, backend, text: `${text}raw results: ${raw}\n`, evaluation };
}
