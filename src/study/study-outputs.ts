import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { writeConfigCurves } from './curves.ts';
import { writeStatistics } from './outputs.ts';
import { parsePerRun, type PerRunRow, perRunCsv } from './per-run.ts';
import type { StudyRequest } from './request.ts';
import { VALIDATION } from './spec.ts';
import { trainJobs, trainingState, writeTrainingTable } from './training.ts';

/**
 * The end of a study, whole or staged: training.csv and the training curves, per_run.csv from the
 * scored rows (validation.csv the validation set's, kept out of every comparison), then every
 * statistic from those files' text alone (parsed back, so that --recompute gives the same bytes). A run that failed to train ends it with an error naming it, after the
 * outputs, which leave it out.
 */
export async function writeStudyOutputs(req: StudyRequest, rows: readonly PerRunRow[]): Promise<string[]> {
  const { spec } = req;
  const out = resolve(req.out);
  const jobs = trainJobs(spec, out);
  const { trained, failed } = trainingState(jobs, out);
  await writeTrainingTable(out, trained);
  const curves = spec.configurations.map((c) => join(out, 'curves', `${c.name}.png`));
  for (const [i, c] of spec.configurations.entries()) {
    const runs = jobs
      .filter((j) => j.config === c)
      .map((j) => ({ label: `${j.fold === undefined ? '' : `fold ${j.fold} `}seed ${j.seed}`, dir: j.dir }));
    await writeConfigCurves(curves[i], c.name, runs);
  }
  if (rows.length === 0) throw new UserError(`${spec.file}: no test set could be run`);
  const perRun = join(out, 'per_run.csv');
  const text = perRunCsv(rows.filter((r) => r.testSet !== VALIDATION));
  await writeFileAtomic(perRun, text);
  const validation = rows.filter((r) => r.testSet === VALIDATION);
  const validationFile = join(out, 'validation.csv');
  const validationText = perRunCsv(validation);
  if (validation.length) await writeFileAtomic(validationFile, validationText);
  const { files } = await writeStatistics(
    out,
    parsePerRun(text, perRun),
    validation.length ? parsePerRun(validationText, validationFile) : [],
  );
  if (failed.length) {
    const names = failed.map((j) => j.name).join(', ');
    throw new UserError(`training failed for ${names} (logs in ${join(out, 'logs')}); the statistics in ${out} leave them out`);
  }
  return [perRun, ...(validation.length ? [validationFile] : []), join(out, 'training.csv'), ...files, ...curves];
}
