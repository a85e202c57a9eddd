import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { recipeArgs } from '../training/recipe.ts';
import { elapsed, type StudyRequest } from './request.ts';
import { foldRunName } from './cross-validation.ts';
import { runName, settingsArgs, type StudySpec } from './spec.ts';
import { computeArgs, trainChild } from './train-child.ts';
import { readUtf8Sync } from '../core/text-file.ts';

export interface TrainJob {
  config: StudySpec['configurations'][number];
  seed: number;
  name: string;
  dir: string;
  /** The fold (1-based) a cross-validated study's run leaves out: it trains on the others. */
  fold?: number;
}

/**
 * Every (configuration, seed) of the spec, seed-major: a study stopped part-way (sessions, quotas)
 * holds whole seeds of every configuration, which pair up, rather than all seeds of the first
 * configurations only. A cross-validated study has a run per (configuration, fold, seed), seed-major
 * too, so that its first finished seed covers every fold and every sequence.
 */
export function trainJobs(spec: StudySpec, out: string): TrainJob[] {
  const cv = spec.crossValidation;
  if (cv)
    return spec.seeds.flatMap((seed) =>
      cv.folds.flatMap((_, k) =>
        spec.configurations.map((config) => {
          const name = foldRunName(config.name, k + 1, seed);
          return { config, seed, name, dir: join(out, 'models', name), fold: k + 1 };
        }),
      ),
    );
  return spec.seeds.flatMap((seed) =>
    spec.configurations.map((config) => ({
      config,
      seed,
      name: runName(config.name, seed),
      dir: join(out, 'models', runName(config.name, seed)),
    })),
  );
}

/** Runs jobs with at most `limit` in flight, in order; a failed job does not stop the others. Returns the failures. */
async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  const failed: { item: T; error: unknown }[] = [];
  const slot = pLimit(limit);
  const settle = async (item: T) => {
    try {
      await run(item);
    } catch (error) {
      failed.push({ item, error });
    }
  };
  await Promise.all(items.map((item) => slot(() => settle(item))));
  return failed;
}

/** Trains what is not trained yet; returns the runs that failed (the others go on). */
export async function trainAll(
  req: StudyRequest,
  jobs: TrainJob[],
  dataOf: (job: TrainJob) => string,
  initFrom: string | undefined,
): Promise<string[]> {
  const { spec, log } = req;
  const pending = jobs.filter((j) => !existsSync(join(j.dir, 'model.json')));
  if (pending.length < jobs.length) log(`[study] ${jobs.length - pending.length} of ${jobs.length} training run(s) already done`);
  if (pending.length === 0) return [];
  const parallel = Math.min(req.concurrency, pending.length);
  const engine = computeArgs(req.compute, parallel);
  log(
    `[study] training ${pending.length} run(s), ${parallel} at a time${engine.includes('--threads') ? ` (${engine[engine.indexOf('--threads') + 1]} thread(s) each)` : ''}; a killed study resumes from their checkpoints`,
  );
  await mkdir(join(req.out, 'logs'), { recursive: true });
  let done = jobs.length - pending.length;
  const t0 = performance.now();
  const failed = await pool(pending, parallel, async (job) => {
    const started = performance.now();
    log(`[study] training ${job.name} (${job.config.loss})`);
    const recipe = { ...spec.recipe, data: dataOf(job), seed: job.seed };
    const init = initFrom === undefined ? [] : ['--init-from', initFrom];
    const args = [...recipeArgs(recipe, job.config.loss, job.dir), ...init, ...settingsArgs(job.config), ...engine];
    await trainChild(req.trainCli, args, job, join(req.out, 'logs', `${job.name}.log`), log);
    await rm(failureFile(req.out, job.name), { force: true });
    log(`[study] trained ${job.name} in ${elapsed(started)} (${++done}/${jobs.length} runs, ${elapsed(t0)} so far)`);
  });
  for (const { item, error } of failed) {
    if (!(error instanceof UserError)) throw error;
    log(`[study] ${error.message}`);
    await writeFileAtomic(failureFile(req.out, item.name), `${error.message}\n`);
  }
  return failed.map((f) => f.item.name);
}

/**
 * A run that failed (diverged, or its process died) leaves `<out>/logs/<run>.failed`, so that the
 * later stages, in other processes, tell it from a run not trained yet: like a whole study they go
 * on without it. Training it again (the train stage retries what has no model) removes the file.
 */
export function failureFile(out: string, name: string): string {
  return join(resolve(out), 'logs', `${name}.failed`);
}

/** The runs with a model, those that failed, and those not trained (yet). */
export function trainingState(jobs: readonly TrainJob[], out: string): { trained: TrainJob[]; failed: TrainJob[]; untrained: TrainJob[] } {
  const trained = jobs.filter((j) => existsSync(join(j.dir, 'model.json')));
  const left = jobs.filter((j) => !trained.includes(j));
  const failed = left.filter((j) => existsSync(failureFile(out, j.name)));
  return { trained, failed, untrained: left.filter((j) => !failed.includes(j)) };
}

/** Training record of each run, read from its model.json. */
export async function writeTrainingTable(out: string, jobs: TrainJob[]): Promise<void> {
  // A fold column only in a cross-validated study: the other studies' committed tables keep their columns.
  const folds = jobs.some((j) => j.fold !== undefined);
  const rows = jobs.map((j) => {
    const meta = (JSON.parse(readUtf8Sync(join(j.dir, 'model.json'))) as { meta?: Record<string, unknown> }).meta ?? {};
    const n = (k: string) => (typeof meta[k] === 'number' ? String(meta[k]) : '');
    const run = folds ? [j.config.name, j.config.loss, j.fold, j.seed] : [j.config.name, j.config.loss, j.seed];
    return [...run, n('steps'), n('trainingSeconds'), n('finalTrainLoss'), n('finalValLoss')].join(',');
  });
  await writeFileAtomic(
    join(out, 'training.csv'),
    `config,loss,${folds ? 'fold,' : ''}seed,steps,seconds,final_train_loss,final_val_loss\n${rows.map((r) => `${r}\n`).join('')}`,
  );
}
