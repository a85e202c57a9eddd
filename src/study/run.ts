import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { writeConfigCurves } from './curves.ts';
import { initSource, trainingData } from './data.ts';
import { evaluateTestSet } from './evaluate.ts';
import { writeStatistics } from './outputs.ts';
import { type PerRunRow, perRunCsv, readPerRun } from './per-run.ts';
import type { StudyRequest } from './request.ts';
import { parseSpec, specConflict } from './spec.ts';
import { trainAll, trainJobs, writeTrainingTable } from './training.ts';

/**
 * The whole study, resumable at every stage: training runs whose model exists are skipped and the
 * others continue from their checkpoints (`npm run train -- --resume`); a run that fails (diverged)
 * does not stop the others, the study goes on without it and ends with an error naming it. Each test set is one bench
 * run over every trained model (`<out>/eval/<test set>`), whose per-(model, sequence) records let a
 * resumed run skip what was tracked. Then per_run.csv, and every statistic from that file alone.
 */
export async function runStudy(req: StudyRequest): Promise<{ files: string[] }> {
  const { spec, log } = req;
  const out = resolve(req.out);
  const dataDir = resolve(req.data ?? join(out, 'data'));
  await mkdir(out, { recursive: true });
  const specFile = join(out, 'spec.json');
  if (existsSync(specFile)) {
    const prev = parseSpec(JSON.parse(readFileSync(specFile, 'utf8')), specFile);
    const conflict = specConflict(prev, spec);
    if (conflict)
      throw new UserError(`--out: ${out} holds a study whose ${conflict} differs from ${spec.file}; use the same spec or a new --out`);
  }
  await writeFileAtomic(specFile, `${JSON.stringify(spec.source, null, 2)}\n`);

  const initFrom = await initSource(spec, dataDir, log);
  if (initFrom === null) {
    log(`[study] recipe.initFrom: ${resolve(spec.recipe.initFrom!)} is absent (no model.json, no .tflite): nothing to fine-tune, skipped`);
    return { files: [] };
  }
  const data = await trainingData(spec, dataDir, log);
  const jobs = trainJobs(spec, out);
  const failedRuns = await trainAll(req, jobs, data, initFrom);
  const trained = jobs.filter((j) => existsSync(join(j.dir, 'model.json')));
  if (trained.length === 0) throw new UserError(`no training run succeeded; logs in ${join(out, 'logs')}`);
  await writeTrainingTable(out, trained);
  for (const c of spec.configurations) {
    await writeConfigCurves(
      join(out, 'curves', `${c.name}.png`),
      c.name,
      jobs.filter((j) => j.config === c).map((j) => ({ seed: j.seed, dir: j.dir })),
    );
  }

  const rows: PerRunRow[] = [];
  for (const set of spec.testSets) rows.push(...(await evaluateTestSet(req, set, trained, dataDir)));
  if (rows.length === 0) throw new UserError(`${spec.file}: no test set could be run`);
  const perRun = join(out, 'per_run.csv');
  await writeFileAtomic(perRun, perRunCsv(rows));
  // Statistics from the file as written, so that --recompute gives the same bytes.
  const { files } = await writeStatistics(out, await readPerRun(perRun));
  if (failedRuns.length) {
    throw new UserError(
      `training failed for ${failedRuns.join(', ')} (logs in ${join(out, 'logs')}); the statistics in ${out} leave them out`,
    );
  }
  return { files: [perRun, join(out, 'training.csv'), ...files, ...spec.configurations.map((c) => join(out, 'curves', `${c.name}.png`))] };
}
