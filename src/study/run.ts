import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { Shard } from '../core/shard.ts';
import { evaluateTestSet } from './evaluate.ts';
import type { PerRunRow } from './per-run.ts';
import { PREPARED_FILE, prepareStudy, readPrepared, trainDataOf } from './prepare.ts';
import type { StudyRequest } from './request.ts';
import { evalStage, statsStage, testSetsOf, trainStage } from './stages.ts';
import { writeStudyOutputs } from './study-outputs.ts';
import { trainAll, trainJobs, trainingState } from './training.ts';

export const STAGES = ['all', 'prepare', 'train', 'eval', 'stats'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * The whole study in one process, resumable at every step: prepare (prepare.ts), then training
 * runs whose model exists are skipped and the others continue from their checkpoints (`npm run
 * train -- --resume`); a run that fails (diverged) does not stop the others, the study goes on
 * without it and ends with an error naming it. Each test set is one bench run over every trained
 * model (`<out>/eval/<test set>`), whose per-(model, sequence) records let a resumed run skip what
 * was tracked. Then per_run.csv, and every statistic from that file alone.
 */
async function wholeStudy(req: StudyRequest): Promise<string[]> {
  const prep = await prepareStudy(req);
  if (prep.skipped) return [];
  const out = resolve(req.out);
  const jobs = trainJobs(req.spec, out);
  await trainAll(req, jobs, trainDataOf(prep), prep.initFrom);
  const { trained } = trainingState(jobs, out);
  if (trained.length === 0) throw new UserError(`no training run succeeded; logs in ${join(out, 'logs')}`);
  const rows: PerRunRow[] = [];
  for (const t of testSetsOf(req, prep)) rows.push(...(await evaluateTestSet(req, t, trained)));
  return writeStudyOutputs(req, rows);
}

/** One stage of a study (all of them by default); the files it wrote that a user reads. */
export async function runStudy(req: StudyRequest, stage: Stage = 'all', shard?: Shard): Promise<{ files: string[] }> {
  if (stage === 'all') return { files: await wholeStudy(req) };
  if (stage === 'prepare') {
    await prepareStudy(req);
    return { files: [join(resolve(req.out), 'spec.json'), join(resolve(req.out), PREPARED_FILE)] };
  }
  const prep = readPrepared(req.spec, req.out, stage);
  if (prep.skipped) {
    req.log(`[study] ${prep.skipped}`);
    return { files: [] };
  }
  if (stage === 'train') await trainStage(req, prep, shard);
  else if (stage === 'eval') await evalStage(req, prep, shard);
  else return { files: await statsStage(req, prep) };
  return { files: [] };
}
