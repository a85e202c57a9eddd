import { join, resolve } from 'node:path';
import type { Shard } from '../core/shard.ts';
import { UserError } from '../core/errors.ts';
import { type Evaluation, loadDataset } from '../benchmarks/index.ts';
import { publishedRows } from './published.ts';
import { selectTrackers } from '../trackers/registry.ts';
import { type BenchRequest, planAll, requestOf, runBench } from '../runner/bench.ts';
import { mergeBench, runBenchShard } from '../runner/bench-shard.ts';
import type { PerRunRow } from './per-run.ts';
import { elapsed, type StudyRequest } from './request.ts';
import { REFERENCE, type StudySpec, type TestSetSpec } from './spec.ts';
import type { TrainJob } from './training.ts';

/**
 * A test set is one bench run over every trained model, in `<out>/eval/<set>`: run whole (a study
 * run in one go), as shards of its (model, sequence) jobs (`--stage eval --shard K/N`, the bench's
 * own sharding), or merged and scored once every job is done (`--stage stats`).
 */
export interface TestSet {
  set: TestSetSpec;
  /** Its OTB-layout folder (prepared.json). */
  folder: string;
  /** The model every run fine-tunes from (recipe.initFrom), tracked as it is beside the runs. */
  reference?: string;
  /**
   * A cross-validated study's fold: only the runs that left it out track it, and its rows go to
   * per_run.csv under the cross-validation's name (`rowsAs`), beside the published results named.
   */
  fold?: { k: number; rowsAs: string; published?: { config: string; results: string; tracker: string } };
}

/** The trained runs that track a test set: a fold's own runs only. */
const trackersOf = (t: TestSet, trained: TrainJob[]) => trained.filter((j) => t.fold === undefined || j.fold === t.fold.k);

/** The test set's dataset: an OTB set naming its sequences keeps those folders' targets only. */
export async function testData(t: TestSet): Promise<BenchRequest['data']> {
  const data = await loadDataset('otb', t.set.kind === 'synthetic' ? 'synthetic' : t.set.dataset, t.folder);
  const wanted = t.set.kind === 'otb' ? t.set.sequences : undefined;
  if (wanted === undefined || data.kind !== 'otb') return data;
  const keep = wanted.map((s) => s.toLowerCase());
  const targets = data.ds.targets.filter((x) => keep.includes(x.sequence.toLowerCase()));
  const found = new Set(targets.map((x) => x.sequence.toLowerCase()));
  const absent = wanted.filter((s) => !found.has(s.toLowerCase()));
  if (absent.length) throw new UserError(`test set ${t.set.name}: sequences ${absent.join(', ')} not in ${t.folder}`);
  return { kind: 'otb', ds: { ...data.ds, targets } };
}

async function benchRequest(req: StudyRequest, t: TestSet, trained: TrainJob[]): Promise<BenchRequest> {
  const { log } = req;
  return {
    data: await testData(t),
    trackers: selectTrackers([...trackersOf(t, trained).map((j) => j.dir), ...(t.reference === undefined ? [] : [t.reference])]),
    out: join(resolve(req.out), 'eval', t.set.name),
    concurrency: req.concurrency,
    compute: req.compute,
    convention: 'otb',
    seed: 1,
    log: (l) => log(`[study] ${t.set.name}: ${l}`),
  };
}

/** per_run.csv's rows of one scored test set: one per (model, sequence), in the report's order; then the published results'. */
async function perRunRows(spec: StudySpec, t: TestSet, data: BenchRequest['data'], evaluation: Evaluation, trained: TrainJob[]) {
  const rows = trackerRows(spec, t, evaluation, trackersOf(t, trained));
  const pub = t.fold?.published;
  if (pub && data.kind === 'otb') rows.push(...(await publishedRows(pub, data.ds, t.fold!.rowsAs)));
  return rows;
}

function trackerRows(spec: StudySpec, t: TestSet, evaluation: Evaluation, trained: TrainJob[]): PerRunRow[] {
  if (evaluation.kind !== 'otb') throw new Error('study test sets are one-pass');
  const byTracker = new Map(trained.map((j) => [j.name, j]));
  const testSet = t.fold?.rowsAs ?? t.set.name;
  return evaluation.ev.trackers.flatMap((tr) => {
    const job = byTracker.get(tr.tracker);
    // The one tracker that is not a training run is the reference (benchRequest adds nothing else).
    const run = job ? { config: job.config.name, seed: job.seed, loss: job.config.loss } : REFERENCE;
    return tr.perSequence.map((q) => ({
      ...run,
      testSet,
      sequence: q.target,
      auc: q.successAuc,
      precision: q.precision20,
      baseline: run.config === spec.baseline,
      attributes: q.attributes,
    }));
  });
}

/** Tracks every trained model on one test set (one bench run, resumable) and scores it; its per_run.csv rows. */
export async function evaluateTestSet(req: StudyRequest, t: TestSet, trained: TrainJob[]): Promise<PerRunRow[]> {
  const bench = await benchRequest(req, t, trained);
  const t0 = performance.now();
  req.log(
    `[study] test set ${t.set.name}: ${trackersOf(t, trained).length} model(s) on ${bench.data.kind === 'otb' ? bench.data.ds.targets.length : 0} sequences`,
  );
  const outcome = await runBench(bench);
  req.log(`[study] test set ${t.set.name}: scored in ${elapsed(t0)}`);
  return perRunRows(req.spec, t, bench.data, outcome.evaluation, trained);
}

/** Part K of N of the test set's (model, sequence) jobs, into the shared bench folder; no scoring. */
export async function evaluateShard(req: StudyRequest, t: TestSet, trained: TrainJob[], shard: Shard): Promise<void> {
  await runBenchShard(await benchRequest(req, t, trained), shard);
}

/** The test set's tracking jobs not done yet, as `<set>: <model> on <sequence>` (all of them when it never ran). */
export async function missingJobs(req: StudyRequest, t: TestSet, trained: TrainJob[]): Promise<string[]> {
  const planned = planAll(requestOf(await benchRequest(req, t, trained)));
  return planned.filter((p) => !p.done).map((p) => `${t.set.name}: ${p.job.tracker} on ${p.job.target}`);
}

/** Scores a test set whose every job is done (the bench's merge); its per_run.csv rows. */
export async function scoreTestSet(req: StudyRequest, t: TestSet, trained: TrainJob[]): Promise<PerRunRow[]> {
  const bench = await benchRequest(req, t, trained);
  const outcome = await mergeBench(bench);
  return perRunRows(req.spec, t, bench.data, outcome.evaluation, trained);
}
