import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { type Shard, selectShard, shardLabel } from '../core/shard.ts';
import { evaluateShard, evaluateTestSet, missingJobs, scoreTestSet, type TestSet } from './evaluate.ts';
import type { PerRunRow } from './per-run.ts';
import { type Prepared, trainDataOf } from './prepare.ts';
import type { StudyRequest } from './request.ts';
import { VALIDATION } from './spec.ts';
import { writeStudyOutputs } from './study-outputs.ts';
import { failureFile, trainAll, type TrainJob, trainJobs, trainingState } from './training.ts';

/**
 * The stages of a study run apart (`--stage train|eval|stats`, for a cluster: each training run an
 * array task, each evaluation shard an array task, the statistics a dependent job), after
 * `--stage prepare` (prepare.ts). Each stage checks what it needs on disk itself, so it may start
 * once its predecessors have ended however they ended: it refuses, in one line, when their work is
 * not done.
 */

/**
 * The sets every model is tracked on: the test sets whose folder prepare found (a missing raw OTB
 * folder is skipped), with the model a fine-tuning study starts from beside the runs (what
 * fine-tuning must not lose), then the validation set when the spec has one (its rows are kept
 * apart from the comparisons: study-outputs.ts; it chooses among runs, so no reference there).
 */
export function testSetsOf(req: StudyRequest, prep: Prepared): TestSet[] {
  const notPrepared = (what: string) => new UserError(`--spec: ${what} was not prepared in ${req.out}; run --stage prepare first`);
  const sets: TestSet[] = req.spec.testSets.flatMap((set) => {
    const folder = prep.testSets[set.name];
    if (folder === undefined) throw notPrepared(`test set ${set.name}`);
    return folder === null ? [] : [{ set, folder, reference: prep.initFrom }];
  });
  const cv = req.spec.crossValidation;
  if (cv) {
    if (prep.folds === undefined) throw notPrepared('the cross-validation folds');
    const pub = cv.published && { ...cv.published, results: resolve(cv.published.results) };
    sets.unshift(
      ...prep.folds.map((f, i) => ({
        set: { name: `${cv.name}-fold${i + 1}`, kind: 'otb' as const, dataset: cv.dataset, root: f.test },
        folder: f.test,
        reference: prep.initFrom,
        fold: { k: i + 1, rowsAs: cv.name, ...(pub ? { published: pub } : {}) },
      })),
    );
  }
  const v = req.spec.validation;
  if (v === undefined) return sets;
  if (prep.validation === undefined) throw notPrepared('the validation set');
  return [...sets, { set: { name: VALIDATION, kind: 'synthetic', ...v }, folder: prep.validation }];
}

/**
 * Trains part K of N of the (configuration, seed) runs (all of them without a shard); each run
 * weighs the same (one recipe), so N = the number of runs gives one run per task. Exits 1 naming a
 * run that failed; the later stages then leave it out, as a study run in one go does.
 */
export async function trainStage(req: StudyRequest, prep: Prepared, shard: Shard | undefined): Promise<void> {
  const jobs = trainJobs(req.spec, resolve(req.out));
  const mine = shard
    ? selectShard(
        jobs,
        shard,
        () => 1,
        (j) => j.name,
      )
    : jobs;
  if (shard)
    req.log(
      `[study] shard ${shardLabel(shard)}: ${mine.length} of ${jobs.length} training run(s): ${mine.map((j) => j.name).join(', ') || 'none'}`,
    );
  const failed = await trainAll(req, mine, trainDataOf(prep), prep.initFrom);
  if (failed.length)
    throw new UserError(
      `training failed for ${failed.join(', ')} (logs in ${join(resolve(req.out), 'logs')}); eval and stats leave them out`,
    );
}

/** The trained runs, once every run is trained or has failed; a one-line error naming the runs not trained yet. */
function finishedTraining(req: StudyRequest, stage: string): TrainJob[] {
  const out = resolve(req.out);
  const { trained, failed, untrained } = trainingState(trainJobs(req.spec, out), out);
  if (untrained.length) {
    throw new UserError(
      `--stage ${stage}: ${untrained.length} training run(s) not done: ${untrained.map((j) => j.name).join(', ')}; run --stage train (every shard) first`,
    );
  }
  for (const j of failed) req.log(`[study] ${j.name} failed to train (${failureFile(out, j.name)}): left out`);
  if (trained.length === 0) throw new UserError(`no training run succeeded; logs in ${join(out, 'logs')}`);
  return trained;
}

/** Tracks part K of N of each test set's (model, sequence) jobs (all of them, and scores, without a shard). */
export async function evalStage(req: StudyRequest, prep: Prepared, shard: Shard | undefined): Promise<void> {
  const trained = finishedTraining(req, 'eval');
  for (const t of testSetsOf(req, prep)) {
    if (shard) await evaluateShard(req, t, trained, shard);
    else await evaluateTestSet(req, t, trained);
  }
}

/**
 * per_run.csv from the test sets' bench folders once every tracking job is done, then every
 * statistic from that file alone; else the jobs missing, each on a line, and a one-line error.
 */
export async function statsStage(req: StudyRequest, prep: Prepared): Promise<string[]> {
  const trained = finishedTraining(req, 'stats');
  const sets = testSetsOf(req, prep);
  const missing: string[] = [];
  for (const t of sets) missing.push(...(await missingJobs(req, t, trained)));
  if (missing.length) {
    for (const m of missing) req.log(`[study] missing: ${m}`);
    throw new UserError(`--stage stats: ${missing.length} tracking job(s) not done (listed above); run --stage eval (every shard) first`);
  }
  const rows: PerRunRow[] = [];
  for (const t of sets) rows.push(...(await scoreTestSet(req, t, trained)));
  return writeStudyOutputs(req, rows);
}
