import { join, resolve } from 'node:path';
import type { ComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { type ClaimedOutput, type OutputClaim, holdsAny, inspectOutputDir, markOutputDir, releaseNewOutputDir } from '../core/out-dir.ts';
import { type Evaluation, datasetSize, scoreResults } from '../benchmarks/index.ts';
import type { TrackerFactory } from '../trackers/base/tracker.ts';
import { trackerFingerprint } from '../trackers/registry.ts';
import type { BenchDataset } from './bench-dataset.ts';
import type { Timeouts } from './deadline.ts';
import type { Job, JobRecord } from './jobs.ts';
import { planOpeJobs, planVotJobs, runPaths } from './plan.ts';
import { runJobs } from './run.ts';
import { type RunSettings, checkEngine, checkResume, engineOf, legacySettings } from './settings.ts';

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
  /** Per-frame and per-sequence deadlines (default: runner/deadline.ts). */
  timeouts?: Timeouts;
  /** The command whose folder `out` is (default bench): a folder of another command is refused. */
  command?: string;
  /** Other commands whose run folders this one may resume (regress --results of a bench run). */
  accepts?: string[];
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

type Request = Omit<BenchRequest, 'trackers'> & { trackers: string[]; factories: TrackerFactory[]; out: string };

function settingsOf(req: Request): RunSettings {
  const { data } = req;
  const vot = data.kind === 'vot';
  return {
    dataset: data.ds.name,
    root: data.ds.root,
    protocol: !vot ? 'one-pass' : `vot-${req.experiment === 'unsupervised' ? 'unsupervised' : 'supervised'}`,
    convention: req.convention,
    seed: req.seed,
    ...(vot && req.experiment !== 'unsupervised' ? { repetitions: req.maxRepetitions ?? 15 } : {}),
    trackers: Object.fromEntries(req.trackers.map((t) => [t, trackerFingerprint(t)])),
  };
}

/**
 * Claims the output folder (core/out-dir.ts) and checks a resume against what the folder remembers,
 * before anything is written: a refused resume leaves the folder as it was. Writing the marker is
 * also the up-front test that the folder is writable.
 */
async function claimRun(req: Request): Promise<{ claim: OutputClaim; claimed: ClaimedOutput; before?: Partial<RunSettings> }> {
  const claim: OutputClaim = {
    dir: req.out,
    option: '--out',
    command: req.command ?? 'bench',
    accepts: req.accepts,
    legacy: holdsAny('run.json', 'records'),
  };
  const claimed = inspectOutputDir(claim);
  const now = settingsOf(req);
  const before =
    claimed.state !== 'ours' ? undefined : ((claimed.marker?.settings as Partial<RunSettings> | undefined) ?? legacySettings(req.out));
  if (before) checkResume(req.out, before, now);
  const merged: RunSettings = { ...now, trackers: { ...before?.trackers, ...now.trackers }, engine: before?.engine };
  claimed.marker = await markOutputDir(claim, claimed, merged as unknown as Record<string, unknown>);
  return { claim, claimed, before: merged };
}

function plan(req: Request): { jobs: Job[]; done: JobRecord[] } {
  const { data } = req;
  return data.kind === 'otb'
    ? planOpeJobs(data.ds, req.trackers, req.out, req.seed)
    : planVotJobs(data.ds, req.factories, req.out, req.seed, req.experiment, req.maxRepetitions);
}

/** Runs the jobs left; the engine is checked against the folder's before the first one starts. */
async function runLeft(req: Request, jobs: Job[], before: Partial<RunSettings> | undefined) {
  const outcome = await runJobs(jobs, {
    concurrency: req.concurrency,
    compute: req.compute,
    log: req.log,
    timeouts: req.timeouts,
    onEngine: (info) => checkEngine(req.out, before, info.backend),
  });
  const failed = outcome.records.filter((r) => r.status === 'failed');
  for (const r of failed) req.log(`failed: ${r.tracker} on ${r.target}: ${r.error}`);
  req.log(`ran ${outcome.records.length} sequence run(s) in ${outcome.seconds.toFixed(1)} s, ${failed.length} failed`);
  return outcome;
}

async function writeRunJson(req: Request, records: JobRecord[], backend: string, started: string, seconds: number): Promise<void> {
  const run = {
    dataset: req.data.ds.name,
    protocol: settingsOf(req).protocol,
    root: req.data.ds.root,
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
    sequences: datasetSize(req.data),
    models: Object.fromEntries(
      req.trackers.map((t) => [t, records.find((r) => r.tracker === t && r.trackerRecord)?.trackerRecord ?? null]),
    ),
  };
  await writeFileAtomic(join(req.out, 'run.json'), JSON.stringify(run, null, 1) + '\n');
}

/**
 * The main job: run every tracker on every sequence (one-pass for OTB-style sets, the reset protocol
 * for VOT), resuming where an earlier run in the same folder stopped (with the same options: see
 * runner/settings.ts), record the run, then score the raw files on disk with the same pipeline
 * `eval` uses and write the report.
 */
export async function runBench(request: BenchRequest): Promise<BenchOutcome> {
  const req: Request = {
    ...request,
    factories: request.trackers,
    trackers: request.trackers.map((f) => f.name),
    out: resolve(request.out),
  };
  const { out } = req;
  const { claim, claimed, before } = await claimRun(req);
  let planned: ReturnType<typeof plan>;
  try {
    planned = plan(req);
  } catch (err) {
    releaseNewOutputDir(claimed); // a dataset without images, say: leave no folder behind
    throw err;
  }
  const { jobs, done } = planned;
  if (done.length > 0) req.log(`resuming: ${done.length} of ${done.length + jobs.length} sequence run(s) already done in ${out}`);

  const started = new Date().toISOString();
  let backend = done[0]?.backend ?? '';
  let records = done;
  let seconds = 0;
  if (jobs.length > 0) {
    const outcome = await runLeft(req, jobs, before);
    ({ backend, seconds } = outcome);
    records = [...done, ...outcome.records];
    if (before?.engine === undefined) await markOutputDir(claim, { ...claimed, state: 'ours' }, { ...before, engine: engineOf(backend) });
  }
  await writeRunJson(req, records, backend, started, seconds);

  const scored = req.trackers.filter((t) => records.some((r) => r.tracker === t && r.status === 'ok'));
  if (scored.length === 0) throw new UserError(`every sequence run failed; the reasons are in ${runPaths(out).records}`);
  const failures = records.filter((r) => r.status === 'failed').map((r) => `run: ${r.tracker}: ${r.target}: tracker failed: ${r.error}`);
  const { raw } = runPaths(out);
  const { evaluation, text } = await scoreResults(req.data, raw, out, {
    trackers: scored,
    extraWarnings: failures,
    convention: req.convention,
  });
  return { out, records, backend, text: `${text}raw results: ${raw}\n`, evaluation };
}
