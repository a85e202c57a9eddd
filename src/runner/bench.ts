import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { OtbConvention } from '../core/types.ts';
import type { OtbDataset } from '../datasets/otb/types.ts';
import { getTrackerFactory } from '../trackers/registry.ts';
import type { JobRecord } from './jobs.ts';
import { planOpeJobs, runPaths } from './plan.ts';
import { runJobs } from './run.ts';
import { scoreOtbResults } from '../pipeline/otb.ts';

export interface BenchRequest {
  ds: OtbDataset;
  trackers: string[];
  out: string;
  concurrency: number;
  backend?: string;
  convention: OtbConvention;
  seed: number;
  log: (line: string) => void;
}

export interface BenchOutcome {
  out: string;
  records: JobRecord[];
  backend: string;
  /** The console summary (table, rules, where the files are). */
  text: string;
}

/**
 * The main job: run every tracker on every target (one-pass), resuming where an earlier run in the
 * same folder stopped, record the run, then score the raw files on disk and write the report.
 */
export async function runBench(req: BenchRequest): Promise<BenchOutcome> {
  if (req.trackers.length === 0) throw new UserError('--trackers: no tracker named');
  for (const t of req.trackers) getTrackerFactory(t); // an unknown name fails before any work
  const out = resolve(req.out);
  const { jobs, done } = planOpeJobs(req.ds, req.trackers, out, req.seed);
  if (done.length > 0) req.log(`resuming: ${done.length} of ${done.length + jobs.length} sequence run(s) already done in ${out}`);

  const started = new Date().toISOString();
  let backend = done[0]?.backend ?? '';
  let records = done;
  let seconds = 0;
  if (jobs.length > 0) {
    const outcome = await runJobs(jobs, { concurrency: req.concurrency, backend: req.backend, log: req.log });
    backend = outcome.backend;
    seconds = outcome.seconds;
    records = [...done, ...outcome.records];
    const failed = outcome.records.filter((r) => r.status === 'failed');
    for (const r of failed) req.log(`failed: ${r.tracker} on ${r.target}: ${r.error}`);
    req.log(`ran ${outcome.records.length} sequence run(s) in ${seconds.toFixed(1)} s, ${failed.length} failed`);
  }
  await writeFileAtomic(join(out, 'run.json'), JSON.stringify({
    dataset: req.ds.name, root: req.ds.root, trackers: req.trackers, backend, backends: [...new Set(records.map((r) => r.backend))],
    concurrency: req.concurrency, seed: req.seed, convention: req.convention, node: process.version,
    started, finished: new Date().toISOString(), runSeconds: Number(seconds.toFixed(2)), sequences: req.ds.targets.length,
    models: Object.fromEntries(req.trackers.map((t) => [t, records.find((r) => r.tracker === t && r.trackerRecord)?.trackerRecord ?? null])),
  }, null, 1) + '\n');
  // Scored from the files on disk, with the same import eval uses: a bench result and a published
  // result are scored identically.
  const scored = req.trackers.filter((t) => records.some((r) => r.tracker === t && r.status === 'ok'));
  if (scored.length === 0) throw new UserError(`every sequence run failed; the reasons are in ${runPaths(out).records}`);
  const failures = records.filter((r) => r.status === 'failed').map((r) => `run: ${r.tracker}: ${r.target}: tracker failed: ${r.error}`);
  const { text } = await scoreOtbResults(req.ds, runPaths(out).raw, out, { convention: req.convention, trackers: scored, extraWarnings: failures });
  return { out, records, backend, text: `${text}raw results: ${runPaths(out).raw}\n` };
}
