import type { Checker } from './checker.ts';

/**
 * A study cross-validated by sequence (the spec's `crossValidation`): the real sequences of one OTB
 * root split into folds, each fold tested by models trained on the sequences of the other folds
 * only. Folds name sequence folders, not targets, so that a folder's targets (Jogging-1 and
 * Jogging-2 share their frames) always fall in one fold: a target whose frames were trained on is
 * never tested. Every run is then one (configuration, fold, seed), and per_run.csv gets one test set
 * named after the cross-validation whose every sequence was scored by the models that never saw it.
 *
 *   "crossValidation": { "name": "otb-cv", "dataset": "OTB100", "root": "../shared/realdata/frames/otb",
 *                        "folds": [["Car4", "Couple"], ["Girl", "Bolt2"], ["Jogging", "Diving"]] }
 */
export interface CrossValidationSpec {
  /** The test set name of its rows in per_run.csv. */
  name: string;
  dataset: string;
  root: string;
  /** Sequence folder names per fold; fold k (1-based) is `folds[k - 1]`. */
  folds: string[][];
  /**
   * Published raw results scored on the same frames beside the runs (per_run.csv's configuration
   * `config`, seed 0, loss none): `results` holds one folder per tracker, `tracker` names one.
   */
  published?: { config: string; results: string; tracker: string };
}

export const MIN_FOLDS = 2;

export function parseCrossValidation(c: Checker, raw: unknown): CrossValidationSpec | undefined {
  if (raw === undefined) return undefined;
  const f = 'crossValidation';
  const o = c.object(raw, f, ['name', 'dataset', 'root', 'folds', 'published', 'note'], ['name', 'root', 'folds']);
  const folds = c
    .array(o.folds, `${f}.folds`)
    .map((fold, k) => c.array(fold, `${f}.folds[${k}]`).map((s, i) => c.name(s, `${f}.folds[${k}][${i}]`)));
  if (folds.length < MIN_FOLDS) c.fail(`${f}.folds`, `expected at least ${MIN_FOLDS} folds`, folds.length);
  const seen = new Map<string, number>();
  folds.forEach((fold, k) =>
    fold.forEach((s) => {
      const key = s.toLowerCase();
      if (seen.has(key))
        c.fail(`${f}.folds[${k}]`, `sequence '${s}' is already in fold ${seen.get(key)! + 1}: it would be tested by models trained on it`);
      seen.set(key, k);
    }),
  );
  let published: CrossValidationSpec['published'];
  if (o.published !== undefined) {
    const p = c.object(o.published, `${f}.published`, ['config', 'results', 'tracker'], ['config', 'results', 'tracker']);
    published = {
      config: c.name(p.config, `${f}.published.config`),
      results: c.string(p.results, `${f}.published.results`),
      tracker: c.name(p.tracker, `${f}.published.tracker`),
    };
  }
  return {
    name: c.name(o.name, `${f}.name`),
    dataset: o.dataset === undefined ? 'OTB100' : c.string(o.dataset, `${f}.dataset`),
    root: c.string(o.root, `${f}.root`),
    folds,
    ...(published ? { published } : {}),
  };
}

/** The model folder (and tracker) name of one run of a cross-validated study. */
export function foldRunName(config: string, fold: number, seed: number): string {
  return `${config}-fold${fold}-seed${seed}`;
}
