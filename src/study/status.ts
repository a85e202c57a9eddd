import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StudySpec } from './spec.ts';
import { trainingState, trainJobs } from './training.ts';
import { readUtf8Sync } from '../core/text-file.ts';

/**
 * Where a study stands, read from its folder alone (no data, no prepared.json: a fresh clone of a
 * committed study folder answers too): which runs are trained, part-way (and at which epoch their
 * checkpoint is), failed or not started, and whether tracking and the statistics have run. A study
 * that spans sessions is resumed from this, not from memory.
 */

type RunState = 'done' | 'part-way' | 'failed' | 'not started';

interface RunStatus {
  name: string;
  config: string;
  seed: number;
  fold?: number;
  state: RunState;
  /** Epochs finished: all for a done run, the checkpoint's for a part-way one, 0 otherwise. */
  epochs: number;
}

/** The epochs a checkpoint holds (its state.json's nextEpoch), or undefined when there is none or it cannot be read. */
function checkpointEpochs(dir: string): number | undefined {
  try {
    const state = JSON.parse(readUtf8Sync(join(dir, 'training', 'checkpoint', 'state.json'))) as {
      state?: { nextEpoch?: unknown };
    };
    const n = state.state?.nextEpoch;
    return typeof n === 'number' ? n : undefined;
  } catch {
    return undefined;
  }
}

function runStatuses(spec: StudySpec, out: string): RunStatus[] {
  const dir = resolve(out);
  // Done and failed are trainingState's classification, the one the study's stages act on.
  const { trained, failed } = trainingState(trainJobs(spec, dir), dir);
  return trainJobs(spec, dir).map((job) => {
    const base = { name: job.name, config: job.config.name, seed: job.seed, fold: job.fold };
    if (trained.some((j) => j.name === job.name)) return { ...base, state: 'done', epochs: spec.recipe.epochs };
    if (failed.some((j) => j.name === job.name)) return { ...base, state: 'failed', epochs: 0 };
    const epochs = checkpointEpochs(job.dir);
    return epochs === undefined ? { ...base, state: 'not started', epochs: 0 } : { ...base, state: 'part-way', epochs };
  });
}

/** The status as text: counts, one row per configuration and a column per seed, then tracking and statistics. */
export function statusText(spec: StudySpec, out: string): string {
  const runs = runStatuses(spec, out);
  const count = (s: RunState) => runs.filter((r) => r.state === s).length;
  const cell = (r: RunStatus) =>
    r.state === 'done' ? 'done' : r.state === 'part-way' ? `${r.epochs}/${spec.recipe.epochs}` : r.state === 'failed' ? 'FAILED' : '-';
  const width = Math.max(13, ...spec.configurations.map((c) => c.name.length)) + 2;
  // A cross-validated study has a column per (fold, seed), in trainJobs' order.
  const columns = runs
    .filter((r) => r.config === spec.configurations[0].name)
    .map((r) => (r.fold ? `f${r.fold} s${r.seed}` : `seed ${r.seed}`));
  const lines = [
    `study ${spec.name} in ${resolve(out)}: ${count('done')} of ${runs.length} training runs done, ${count('part-way')} part-way, ${count('failed')} failed, ${count('not started')} not started`,
    '',
    `${'configuration'.padEnd(width)}${columns.map((h) => h.padStart(9)).join('')}`,
    ...spec.configurations.map(
      (c) =>
        `${c.name.padEnd(width)}${runs
          .filter((r) => r.config === c.name)
          .map((r) => cell(r).padStart(9))
          .join('')}`,
    ),
    '',
  ];
  const cv = spec.crossValidation;
  const folds = cv ? cv.folds.map((_, k) => `${cv.name}-fold${k + 1}`) : [];
  const sets = [...folds, ...spec.testSets.map((t) => t.name), ...(spec.validation ? ['validation'] : [])];
  // The bench writes its report once every (model, sequence) job of the set is tracked and scored.
  const tracking = (s: string) =>
    existsSync(join(out, 'eval', s, 'summary.json')) ? 'scored' : existsSync(join(out, 'eval', s)) ? 'started' : 'not started';
  lines.push(
    `tracking: ${sets.map((s) => `${s} ${tracking(s)}`).join(', ')} (it runs once every training run has ended)`,
    `statistics: ${existsSync(join(out, 'study.csv')) ? 'written (study.csv, study.md)' : 'not written yet'}`,
  );
  return `${lines.join('\n')}\n`;
}
