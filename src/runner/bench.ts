import { join, resolve } from 'node:path';
import type { ComputeRequest } from '../compute/engine.ts';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import {
  type ClaimedOutput,
  type OutputClaim,
  createOutputMarker,
  holdsAny,
  inspectOutputDir,
  markOutputDir,
  readMarker,
  releaseNewOutputDir,
} from '../core/out-dir.ts';
import { type Evaluation, datasetSize, scoreResults } from '../benchmarks/index.ts';
import type { TrackerFactory } from '../trackers/base/tracker.ts';
import { trackerFingerprint } from '../trackers/registry.ts';
import type { BenchDataset } from './bench-dataset.ts';
import type { Timeouts } from './deadline.ts';
import type { Job, JobRecord } from './jobs.ts';
import { type Planned, planOpeJobs, planVotJobs, runPaths, splitDone } from './plan.ts';
import { planMultistartJobs } from './plan-multistart.ts';
import { runJobs } from './run.ts';
import { type RunSettings, checkEngine, checkResume, engineOf, legacySettings, mergeTrackers } from './settings.ts';
import { frameCost } from './cost.ts';

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
  /** VOT: supervised with resets (default) or unsupervised; OTB: one-pass (default), TRE or SRE. */
  experiment?: 'baseline' | 'unsupervised' | 'ope' | 'tre' | 'sre';
  /** Per-frame and per-sequence deadlines (default: runner/deadline.ts). */
  timeouts?: Timeouts;
  /** The command whose folder `out` is (default bench): a folder of another command is refused. */
  command?: string;
  /** Other commands whose run folders this one may resume (regress --results of a bench run). */
  accepts?: string[];
  /** Score every tracker on only the sequences all of them ran without failing (--common-sequences). */
  commonSequences?: boolean;
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

export type Request = Omit<BenchRequest, 'trackers'> & { trackers: string[]; factories: TrackerFactory[]; out: string };

export function requestOf(request: BenchRequest): Request {
  return { ...request, factories: request.trackers, trackers: request.trackers.map((f) => f.name), out: resolve(request.out) };
}

function settingsOf(req: Request): RunSettings {
  const { data } = req;
  const vot = data.kind === 'vot';
  return {
    dataset: data.ds.name,
    root: data.ds.root,
    protocol:
      data.kind === 'vot2020'
        ? 'vot2020-multistart'
        : !vot
          ? otbProtocol(req)
          : `vot-${req.experiment === 'unsupervised' ? 'unsupervised' : 'supervised'}`,
    convention: req.convention,
    seed: req.seed,
    ...(vot && req.experiment !== 'unsupervised' ? { repetitions: req.maxRepetitions ?? 15 } : {}),
    trackers: Object.fromEntries(req.trackers.map((t) => [t, trackerFingerprint(t)])),
  };
}

/** The OTB experiment a request runs: TRE or SRE when asked, one-pass otherwise. */
export function otbExperiment(req: Pick<BenchRequest, 'experiment'>): 'ope' | 'tre' | 'sre' {
  return req.experiment === 'tre' || req.experiment === 'sre' ? req.experiment : 'ope';
}

function otbProtocol(req: Request): string {
  const e = otbExperiment(req);
  return e === 'ope' ? 'one-pass' : `otb-${e}`;
}

export function claimOf(req: Request): OutputClaim {
  return { dir: req.out, option: '--out', command: req.command ?? 'bench', accepts: req.accepts, legacy: holdsAny('run.json', 'records') };
}

/** What the folder's marker says now (the shards of a run update it while this one runs), else `fallback`. */
function currentSettings(out: string, fallback?: Partial<RunSettings>): Partial<RunSettings> | undefined {
  return (readMarker(out)?.settings as Partial<RunSettings> | undefined) ?? fallback;
}

/** The settings a folder was run with, checked against this request's (a one-line error naming the option when they differ). */
export function checkedSettings(req: Request, claimed: ClaimedOutput): { before?: Partial<RunSettings>; merged: RunSettings } {
  const now = settingsOf(req);
  const before =
    claimed.state !== 'ours' ? undefined : ((claimed.marker?.settings as Partial<RunSettings> | undefined) ?? legacySettings(req.out));
  if (before) checkResume(req.out, before, now);
  return { before, merged: { ...now, trackers: mergeTrackers(before?.trackers, now.trackers), engine: before?.engine } };
}

/**
 * Claims the output folder (core/out-dir.ts) and checks a resume against what the folder remembers,
 * before anything is written: a refused resume leaves the folder as it was. Writing the marker is
 * also the up-front test that the folder is writable. Shards started at once all find the folder
 * new: one creates the marker, the others then check their settings against it.
 */
async function claimRun(req: Request): Promise<{ claim: OutputClaim; claimed: ClaimedOutput; before?: Partial<RunSettings> }> {
  const claim = claimOf(req);
  for (let attempt = 1; ; attempt++) {
    const claimed = inspectOutputDir(claim);
    const { merged } = checkedSettings(req, claimed);
    const settings = merged as unknown as Record<string, unknown>;
    if (claimed.state !== 'new') claimed.marker = await markOutputDir(claim, claimed, settings);
    else {
      const marker = await createOutputMarker(claim, claimed, settings);
      if (!marker && attempt < 5) continue;
      claimed.marker = marker ?? (await markOutputDir(claim, claimed, settings));
    }
    return { claim, claimed, before: merged };
  }
}

/** Every job of the run, done or not: the whole list shards are split from. */
export function planAll(req: Request): Planned[] {
  const { data } = req;
  if (data.kind === 'vot2020') return planMultistartJobs(data.ds, req.trackers, req.out, req.seed);
  return data.kind === 'otb'
    ? planOpeJobs(data.ds, req.trackers, req.out, req.seed, otbExperiment(req))
    : planVotJobs(
        data.ds,
        req.factories,
        req.out,
        req.seed,
        req.experiment === 'unsupervised' ? 'unsupervised' : 'baseline',
        req.maxRepetitions,
      );
}

/**
 * Runs the jobs left; the engine is checked against the folder's before the first one starts, and
 * recorded in the folder after the run if the folder has none yet.
 */
export async function runLeft(
  req: Request,
  jobs: Job[],
  claimed: { claim: OutputClaim; claimed: ClaimedOutput; before?: Partial<RunSettings> },
) {
  const outcome = await runJobs(jobs, {
    concurrency: req.concurrency,
    compute: req.compute,
    log: req.log,
    timeouts: req.timeouts,
    onEngine: (info) => checkEngine(req.out, currentSettings(req.out, claimed.before), info.backend),
  });
  const now = currentSettings(req.out, claimed.before);
  if (now?.engine === undefined) {
    await markOutputDir(claimed.claim, { ...claimed.claimed, state: 'ours' }, { ...now, engine: engineOf(outcome.backend) });
  }
  const failed = outcome.records.filter((r) => r.status === 'failed');
  for (const r of failed) req.log(`failed: ${r.tracker} on ${r.target}: ${r.error}`);
  req.log(`ran ${outcome.records.length} sequence run(s) in ${outcome.seconds.toFixed(1)} s, ${failed.length} failed`);
  return outcome;
}

/** When the work of a run happened: this process's, or for a merge the span of its shards. */
export interface RunTiming {
  started: string;
  finished?: string;
  seconds: number;
}

async function writeRunJson(req: Request, records: JobRecord[], backend: string, timing: RunTiming): Promise<void> {
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
    started: timing.started,
    finished: timing.finished ?? new Date().toISOString(),
    runSeconds: Number(timing.seconds.toFixed(2)),
    sequences: datasetSize(req.data),
    models: Object.fromEntries(
      req.trackers.map((t) => [t, records.find((r) => r.tracker === t && r.trackerRecord)?.trackerRecord ?? null]),
    ),
  };
  await writeFileAtomic(join(req.out, 'run.json'), JSON.stringify(run, null, 1) + '\n');
}

/**
 * The end of a run with every job done (or failed): record the run in run.json, then score the raw
 * files on disk with the same pipeline `eval` uses and write the report. Only an unsharded run and
 * a merge get here: shards never write these shared files.
 */
export async function scoreRun(req: Request, records: JobRecord[], backend: string, timing: RunTiming): Promise<BenchOutcome> {
  const { out } = req;
  await writeRunJson(req, records, backend, timing);
  const scored = req.trackers.filter((t) => records.some((r) => r.tracker === t && r.status === 'ok'));
  if (scored.length === 0) throw new UserError(`every sequence run failed; the reasons are in ${runPaths(out).records}`);
  const failures = records.filter((r) => r.status === 'failed').map((r) => `run: ${r.tracker}: ${r.target}: tracker failed: ${r.error}`);
  const { raw } = runPaths(out);
  const { evaluation, text } = await scoreResults(req.data, raw, out, {
    trackers: scored,
    extraWarnings: failures,
    convention: req.convention,
    commonSequences: req.commonSequences === true,
    ...(req.data.kind === 'otb' ? { experiment: otbExperiment(req) } : {}),
    pixelFree: scored.filter((t) => frameCost(t) < 1),
  });
  return { out, records, backend, text: `${text}raw results: ${raw}\n`, evaluation };
}

/** Claims the folder and plans every job; a plan that fails (a dataset without images) leaves no new folder behind. */
export async function claimAndPlan(req: Request) {
  const claimed = await claimRun(req);
  try {
    return { ...claimed, planned: planAll(req) };
  } catch (err) {
    releaseNewOutputDir(claimed.claimed);
    throw err;
  }
}

/**
 * The main job: run every tracker on every sequence (one-pass for OTB-style sets, the reset protocol
 * for VOT), resuming where an earlier run in the same folder stopped (with the same options: see
 * runner/settings.ts), then record and score the run (scoreRun).
 */
export async function runBench(request: BenchRequest): Promise<BenchOutcome> {
  const req = requestOf(request);
  const claimed = await claimAndPlan(req);
  const { jobs, done } = splitDone(claimed.planned);
  if (done.length > 0) req.log(`resuming: ${done.length} of ${done.length + jobs.length} sequence run(s) already done in ${req.out}`);

  const started = new Date().toISOString();
  let backend = done[0]?.backend ?? '';
  let records = done;
  let seconds = 0;
  if (jobs.length > 0) {
    const outcome = await runLeft(req, jobs, claimed);
    ({ backend, seconds } = outcome);
    records = [...done, ...outcome.records];
  }
  return scoreRun(req, records, backend, { started, seconds });
}
