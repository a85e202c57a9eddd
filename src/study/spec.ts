import { existsSync } from 'node:fs';

import { isDanglingLink } from '../core/dir-entries.ts';
import { checkRegular } from '../core/regular-file.ts';
import { UserError } from '../core/errors.ts';
import { Checker } from './checker.ts';
import { LOSS_NAMES, type LossName } from '../trackers/siamfc/losses.ts';
import { PAPER_RECIPE, type Recipe } from '../training/recipe.ts';
import { readUtf8 } from '../core/text-file.ts';
import { type CrossValidationSpec, parseCrossValidation } from './cross-validation.ts';

/**
 * A study spec (`studies/*.json`): loss configurations x seeds x one training recipe, evaluated on
 * one or more test sets, every configuration compared with the baseline one. Example:
 *
 *   { "name": "smoke", "baseline": "logistic", "seeds": [1, 2],
 *     "recipe": { "epochs": 2, "pairsPerEpoch": 64 },            // PAPER_RECIPE fields; the rest as committed
 *                                                                 // (+ initFrom: a model folder to fine-tune)
 *     "trainSplit": { "sequences": 8, "frames": 30, "seed": 1 }, // optional: generate the train data
 *     "configurations": [ { "name": "logistic", "loss": "logistic" },
 *                         { "name": "gs-eta0", "loss": "global", "settings": { "eta": 0 } } ],
 *     "testSets": [ { "name": "synthetic", "kind": "synthetic", "sequences": 60, "frames": 80, "seed": 1 },
 *                   { "name": "otb-real", "kind": "otb", "dataset": "OTB100", "root": "../shared/realdata/frames/otb" } ] }
 *
 * An OTB test set may list the `sequences` (folders of its root) it keeps. A spec may instead (or
 * besides) cross-validate by sequence (`crossValidation`: cross-validation.ts), and then needs no
 * `testSets`.
 *
 * Relative paths are taken from the working directory (the repository root under npm run). An OTB
 * test set whose root is absent (a clone without ../shared) is skipped with a message.
 * Every error is one line naming the file and the field.
 */

/** Loss settings a configuration may set, each an option of `npm run train`. */
const SETTINGS: Record<string, { option: string; losses: readonly LossName[]; check: (v: unknown) => string | undefined }> = {
  posRadius: { option: '--pos-radius', losses: LOSS_NAMES, check: (v) => (typeof v === 'number' && v > 0 ? undefined : 'a number > 0') },
  eta: { option: '--eta', losses: ['global'], check: (v) => nonNegative(v) },
  alpha: { option: '--alpha', losses: ['global'], check: (v) => nonNegative(v) },
  delta: { option: '--delta', losses: ['global'], check: (v) => nonNegative(v) },
  lambda: { option: '--lambda', losses: ['global'], check: (v) => nonNegative(v) },
  scores: {
    option: '--gs-scores',
    losses: ['global'],
    check: (v) => (v === 'sigmoid' || v === 'logits' ? undefined : "'sigmoid' or 'logits'"),
  },
  logisticWeight: { option: '--gs-logistic', losses: ['global'], check: (v) => nonNegative(v) },
  hard: { option: '--gs-hard', losses: ['global'], check: (v) => (v === 'max' || v === 'softmax' ? undefined : "'max' or 'softmax'") },
  tau: {
    option: '--gs-tau',
    losses: ['global'],
    check: (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a number > 0'),
  },
  pooling: { option: '--gs-pooling', losses: ['global'], check: (v) => (v === 'map' || v === 'batch' ? undefined : "'map' or 'batch'") },
};

function nonNegative(v: unknown): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a number >= 0';
}

export interface StudyConfiguration {
  name: string;
  loss: LossName;
  settings: Record<string, number | string>;
}

export type TestSetSpec =
  | { name: string; kind: 'synthetic'; sequences: number; frames: number; seed: number }
  | { name: string; kind: 'otb'; dataset: string; root: string; sequences?: string[] };

export interface StudySpec {
  file: string;
  /** The JSON as written, kept in the study folder to check a resumed run against. */
  source: unknown;
  name: string;
  description: string;
  baseline: string;
  seeds: number[];
  /** initFrom: a model folder (or a folder of TFLite files to import) every run fine-tunes from. */
  recipe: Omit<Recipe, 'seed'> & { initFrom?: string };
  trainSplit?: { sequences: number; frames: number; seed: number };
  configurations: StudyConfiguration[];
  testSets: TestSetSpec[];
  /** Synthetic sequences tracked only to choose the model a configuration ships (selection.ts), never to compare. */
  validation?: ValidationSpec;
  /** Real sequences split into folds: every run trains on all folds but one (cross-validation.ts). */
  crossValidation?: CrossValidationSpec;
}

/** The validation set's reserved name: its rows go to validation.csv, never into per_run.csv. */
export const VALIDATION = 'validation';

/**
 * per_run.csv's configuration for the model a fine-tuning study starts from (recipe.initFrom),
 * tracked as it is: one model, seed 0, no loss, so that each configuration's gain over its starting
 * point is read from the same file as its gain over the baseline.
 */
export const REFERENCE = { config: 'init', seed: 0, loss: 'none' } as const;

export interface ValidationSpec {
  sequences: number;
  frames: number;
  seed: number;
}

const RECIPE_INTS = ['exemplarSize', 'searchSize', 'epochs', 'pairsPerEpoch', 'batch'] as const;
const RECIPE_NUMS = ['width', 'lr', 'lrEnd'] as const;

function parseRecipe(c: Checker, raw: unknown): StudySpec['recipe'] {
  const recipe: StudySpec['recipe'] = { ...PAPER_RECIPE };
  if (raw !== undefined) {
    const r = c.object(raw, 'recipe', [...Object.keys(PAPER_RECIPE), 'initFrom']);
    if (r.data !== undefined) recipe.data = c.string(r.data, 'recipe.data');
    if (r.initFrom !== undefined) recipe.initFrom = c.string(r.initFrom, 'recipe.initFrom');
    for (const k of RECIPE_INTS) if (r[k] !== undefined) recipe[k] = c.int(r[k], `recipe.${k}`, 1);
    for (const k of RECIPE_NUMS) if (r[k] !== undefined) recipe[k] = c.positive(r[k], `recipe.${k}`);
  }
  if (recipe.searchSize <= recipe.exemplarSize)
    c.fail('recipe.searchSize', `must exceed recipe.exemplarSize (${recipe.exemplarSize})`, recipe.searchSize);
  return recipe;
}

function parseTrainSplit(c: Checker, top: Record<string, unknown>): StudySpec['trainSplit'] {
  let trainSplit: StudySpec['trainSplit'];
  if (top.trainSplit !== undefined) {
    const t = c.object(top.trainSplit, 'trainSplit', ['sequences', 'frames', 'seed'], ['sequences', 'frames']);
    trainSplit = {
      sequences: c.int(t.sequences, 'trainSplit.sequences', 2),
      frames: c.int(t.frames, 'trainSplit.frames', 30),
      seed: t.seed === undefined ? 1 : c.int(t.seed, 'trainSplit.seed', 0),
    };
    if (top.recipe !== undefined && (top.recipe as Record<string, unknown>).data !== undefined)
      c.fail('trainSplit', 'excludes recipe.data (the split is generated into the study folder and trained on)');
  }
  return trainSplit;
}

function parseConfiguration(c: Checker, raw: unknown, i: number): StudyConfiguration {
  const f = `configurations[${i}]`;
  const o = c.object(raw, f, ['name', 'loss', 'settings', 'note'], ['name', 'loss']);
  const cname = c.name(o.name, `${f}.name`);
  if (typeof o.loss !== 'string' || !(LOSS_NAMES as readonly string[]).includes(o.loss))
    c.fail(`${f}.loss`, `expected one of ${LOSS_NAMES.join(', ')}`, o.loss);
  const loss = o.loss as LossName;
  const settings: Record<string, number | string> = {};
  if (o.settings !== undefined) {
    const s = c.object(o.settings, `${f}.settings`, Object.keys(SETTINGS));
    for (const [k, v] of Object.entries(s)) {
      const def = SETTINGS[k];
      if (!def.losses.includes(loss)) c.fail(`${f}.settings.${k}`, `a setting of the ${def.losses.join('/')} loss, not of ${loss}`);
      const bad = def.check(v);
      if (bad) c.fail(`${f}.settings.${k}`, `expected ${bad}`, v);
      settings[k] = v as number | string;
    }
  }
  if (settings.tau !== undefined && settings.hard !== 'softmax') c.fail(`${f}.settings.tau`, "is the temperature of hard 'softmax' only");
  return { name: cname, loss, settings };
}

function parseTestSet(c: Checker, raw: unknown, i: number): TestSetSpec {
  const f = `testSets[${i}]`;
  const kind = (raw as Record<string, unknown> | null)?.kind;
  if (kind === 'synthetic') {
    const o = c.object(raw, f, ['name', 'kind', 'sequences', 'frames', 'seed'], ['name', 'sequences']);
    return {
      name: c.name(o.name, `${f}.name`),
      kind,
      sequences: c.int(o.sequences, `${f}.sequences`, 1),
      frames: o.frames === undefined ? 80 : c.int(o.frames, `${f}.frames`, 30),
      seed: o.seed === undefined ? 1 : c.int(o.seed, `${f}.seed`, 0),
    };
  }
  if (kind === 'otb') {
    // sequences: the root's sequence folders the set keeps, so that a root that grows (../shared's
    // went from 4 sequences to 15) does not change a test set that was scored on the first ones.
    const o = c.object(raw, f, ['name', 'kind', 'dataset', 'root', 'sequences'], ['name', 'root']);
    return {
      name: c.name(o.name, `${f}.name`),
      kind,
      dataset: o.dataset === undefined ? 'OTB100' : c.string(o.dataset, `${f}.dataset`),
      root: c.string(o.root, `${f}.root`),
      ...(o.sequences === undefined
        ? {}
        : { sequences: c.array(o.sequences, `${f}.sequences`).map((s, j) => c.name(s, `${f}.sequences[${j}]`)) }),
    };
  }
  return c.fail(`${f}.kind`, "expected 'synthetic' or 'otb'", kind);
}

/**
 * The validation set is generated apart from every synthetic test set (another seed), so choosing a
 * model on it never looks at a test sequence; no test set may take its name.
 */
function parseValidation(c: Checker, raw: unknown, testSets: TestSetSpec[]): ValidationSpec | undefined {
  if (raw === undefined) return undefined;
  const o = c.object(raw, VALIDATION, ['sequences', 'frames', 'seed', 'note'], ['sequences', 'seed']);
  const v = {
    sequences: c.int(o.sequences, `${VALIDATION}.sequences`, 1),
    frames: o.frames === undefined ? 80 : c.int(o.frames, `${VALIDATION}.frames`, 30),
    seed: c.int(o.seed, `${VALIDATION}.seed`, 0),
  };
  const clash = testSets.find((t) => t.kind === 'synthetic' && t.seed === v.seed);
  if (clash)
    c.fail(`${VALIDATION}.seed`, `is test set '${clash.name}'s seed: the validation sequences would be its test sequences`, v.seed);
  return v;
}

export function parseSpec(json: unknown, file: string): StudySpec {
  const c = new Checker(file);
  const top = c.object(
    json,
    '',
    ['name', 'description', 'baseline', 'seeds', 'recipe', 'trainSplit', 'configurations', 'testSets', VALIDATION, 'crossValidation'],
    ['name', 'baseline', 'seeds', 'configurations'],
  );
  const name = c.name(top.name, 'name');
  const description = top.description === undefined ? '' : c.string(top.description, 'description');

  const seeds = c.array(top.seeds, 'seeds').map((s, i) => c.int(s, `seeds[${i}]`, 0));
  const twiceSeed = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (twiceSeed !== undefined) c.fail('seeds', `seed ${twiceSeed} is listed twice`);

  const recipe = parseRecipe(c, top.recipe);
  const trainSplit = parseTrainSplit(c, top);
  const configurations = c.array(top.configurations, 'configurations').map((raw, i) => parseConfiguration(c, raw, i));
  const twiceConfig = configurations.find((x, i) => configurations.findIndex((y) => y.name === x.name) !== i);
  if (twiceConfig) c.fail('configurations', `'${twiceConfig.name}' is named twice`);
  const taken = recipe.initFrom === undefined ? -1 : configurations.findIndex((x) => x.name === REFERENCE.config);
  if (taken >= 0) c.fail(`configurations[${taken}].name`, `'${REFERENCE.config}' names the model recipe.initFrom starts from`);
  const crossValidation = parseCrossValidation(c, top.crossValidation);
  const pub = crossValidation?.published?.config;
  if (pub !== undefined && (pub === REFERENCE.config || configurations.some((x) => x.name === pub)))
    c.fail('crossValidation.published.config', `'${pub}' names a configuration or the model recipe.initFrom starts from`);
  const baseline = c.string(top.baseline, 'baseline');
  if (!configurations.some((x) => x.name === baseline))
    c.fail('baseline', `names no configuration (${configurations.map((x) => x.name).join(', ')})`, baseline);

  if (crossValidation && (top.trainSplit !== undefined || (top.recipe as Record<string, unknown> | undefined)?.data !== undefined))
    c.fail('crossValidation', 'excludes trainSplit and recipe.data (each fold trains on the other folds)');
  // A cross-validated study may have no other test set: its folds are one.
  const testSets =
    crossValidation && top.testSets === undefined ? [] : c.array(top.testSets, 'testSets').map((raw, i) => parseTestSet(c, raw, i));
  const twiceSet = testSets.find((x, i) => testSets.findIndex((y) => y.name === x.name) !== i);
  if (twiceSet) c.fail('testSets', `'${twiceSet.name}' is named twice`);
  const reserved = testSets.findIndex((x) => x.name === VALIDATION);
  if (reserved >= 0) c.fail(`testSets[${reserved}].name`, `'${VALIDATION}' names the validation set (the top-level field)`);
  const cvClash = testSets.findIndex((x) => x.name === crossValidation?.name);
  if (cvClash >= 0) c.fail(`testSets[${cvClash}].name`, `'${crossValidation!.name}' names the cross-validation's test set`);
  const validation = parseValidation(c, top[VALIDATION], testSets);

  return {
    file,
    source: json,
    name,
    description,
    baseline,
    seeds,
    recipe,
    trainSplit,
    configurations,
    testSets,
    validation,
    ...(crossValidation ? { crossValidation } : {}),
  };
}

export async function loadSpec(file: string): Promise<StudySpec> {
  let text: string;
  // A FIFO given as --spec blocked the read forever; a folder or a missing file is named as such.
  if (!existsSync(file) && !isDanglingLink(file)) throw new UserError(`--spec: cannot read ${file} (no such file)`);
  checkRegular(file);
  try {
    text = await readUtf8(file);
  } catch (err) {
    throw new UserError(`--spec: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  return parseSpec(json, file);
}

/** `npm run train` arguments for a configuration's loss settings. */
export function settingsArgs(config: StudyConfiguration): string[] {
  return Object.entries(config.settings).flatMap(([k, v]) => [SETTINGS[k].option, String(v)]);
}

/** The model folder (and tracker) name of one training run. */
export function runName(config: string, seed: number): string {
  return `${config}-seed${seed}`;
}

/**
 * What a resumed study must share with the run that made its folder: the recipe and training data
 * (or checkpoints and models would mix schedules), and the definition of every configuration and
 * test set both name, and the validation set. Configurations, seeds, test sets and a validation set
 * may be added.
 */
export function specConflict(prev: StudySpec, next: StudySpec): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(prev.recipe, next.recipe)) return 'recipe';
  if (!same(prev.trainSplit, next.trainSplit)) return 'trainSplit';
  if (!same(prev.crossValidation, next.crossValidation)) return 'crossValidation';
  for (const c of next.configurations) {
    const p = prev.configurations.find((x) => x.name === c.name);
    if (p && !same(p, c)) return `configuration '${c.name}'`;
  }
  for (const t of next.testSets) {
    const p = prev.testSets.find((x) => x.name === t.name);
    if (p && !same(p, t)) return `test set '${t.name}'`;
  }
  if (prev.validation && next.validation && !same(prev.validation, next.validation)) return VALIDATION;
  return undefined;
}
