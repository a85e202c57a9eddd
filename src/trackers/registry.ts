import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../core/errors.ts';
import { modelsRoot, siamfcFactory } from './siamfc/factory.ts';
import { modelFiles } from './siamfc/model-file.ts';
import { SIAMFC_3S } from './siamfc/settings.ts';
import { staticFactory } from './base/static.ts';
import type { TrackerFactory } from './base/tracker.ts';
import { traxFactory, traxFingerprint } from './trax/registry.ts';

/**
 * The trackers a benchmark can run, by name. Factories are cheap to hold: a SiamFC factory loads its
 * model on the first create() in a process and reuses it afterwards.
 */
const BUILT_IN: readonly TrackerFactory[] = [
  siamfcFactory({
    name: 'siamfc',
    description: 'SiamFC-3s baseline: models/siamfc, the balanced logistic loss (its model.json says whether it is trained)',
    model: 'siamfc',
    settings: SIAMFC_3S,
  }),
  siamfcFactory({
    name: 'siamfc-gs',
    description: 'SiamFC-3s, same network: models/siamfc-gs, the global similarity loss (its model.json says whether it is trained)',
    model: 'siamfc-gs',
    settings: SIAMFC_3S,
  }),
  staticFactory,
];

/**
 * The original SiamFC-3s weights, imported from TFLite (`npm run import-model`): never committed,
 * so registered only where the folder exists. Not among the built-in defaults, which are the
 * committed models that `npm run regress` fingerprints.
 */
const PRETRAINED = 'siamfc-pretrained';
const pretrainedFactory = siamfcFactory({
  name: PRETRAINED,
  description: 'SiamFC-3s with the original weights (models/siamfc-pretrained, imported from TFLite; not committed)',
  model: PRETRAINED,
  settings: SIAMFC_3S,
});

function pretrained(): TrackerFactory[] {
  return existsSync(join(modelsRoot(), PRETRAINED)) ? [pretrainedFactory] : [];
}

const external: TrackerFactory[] = [];
/** The module each external tracker came from, for its fingerprint. */
const externalModules = new Map<string, string>();
let externalLoaded: Promise<void> | undefined;

/** Model folders named on the command line, by tracker name. */
const modelFolders = new Map<string, { dir: string; factory: TrackerFactory }>();

/**
 * Worker threads re-create factories by name: the main thread passes the folders it resolved in
 * this variable, which workers inherit with the rest of the environment.
 */
const MODEL_FOLDERS_ENV = 'SIAMBENCH_MODEL_FOLDERS';

function exportedFolders(): Record<string, string> {
  try {
    return JSON.parse(process.env[MODEL_FOLDERS_ENV] ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** A --trackers entry that is a path (holds a '/' or starts with '.') names a model folder, not a registered tracker. */
function isModelPath(entry: string): boolean {
  return entry.includes('/') || entry.startsWith('.');
}

function registerFolder(name: string, dir: string): TrackerFactory {
  const factory = siamfcFactory({ name, description: `SiamFC-3s with the model in ${dir}`, model: dir, settings: SIAMFC_3S });
  modelFolders.set(name, { dir, factory });
  return factory;
}

/** The folder a registered SiamFC tracker reads, for telling a clash from the same folder named twice. */
function folderOf(name: string): string | undefined {
  if (modelFolders.has(name)) return modelFolders.get(name)!.dir;
  if (['siamfc', 'siamfc-gs', PRETRAINED].includes(name)) return join(modelsRoot(), name);
  return undefined;
}

/**
 * Turns a --trackers entry into a tracker name: a registered name stays as it is; a path to a
 * folder holding model.json becomes SiamFC-3s with those weights, named after the folder.
 */
export function resolveTracker(entry: string): string {
  if (!isModelPath(entry)) return entry;
  const dir = resolve(entry);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UserError(`--trackers: ${entry}: no such model folder`);
  }
  if (!isDir) throw new UserError(`--trackers: ${entry}: not a folder (a tracker path names a SiamFC model folder)`);
  if (!existsSync(join(dir, 'model.json')))
    throw new UserError(`--trackers: ${entry}: no model.json in this folder (not a SiamFC model folder)`);
  const name = basename(dir);
  const taken = trackerNames().includes(name);
  if (taken) {
    const other = folderOf(name);
    if (other !== undefined && resolve(other) === dir) return name;
    throw new UserError(
      `--trackers: ${entry} would be named '${name}', a name already taken${other ? ` by ${other}` : ''}; rename the folder`,
    );
  }
  registerFolder(name, dir);
  process.env[MODEL_FOLDERS_ENV] = JSON.stringify({ ...exportedFolders(), [name]: dir });
  return name;
}

/**
 * The trackers a command was asked for, checked once where the names come in: entries resolved
 * (model folders become trackers), every one known, none named twice (it would give duplicate rows).
 */
export function selectTrackers(entries: readonly string[]): TrackerFactory[] {
  if (entries.length === 0) throw new UserError('--trackers: no tracker named');
  const names = entries.map(resolveTracker);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UserError(`--trackers: '${twice}' is named twice`);
  return names.map(getTrackerFactory);
}

function isFactory(v: unknown): v is TrackerFactory {
  const f = v as TrackerFactory;
  return (
    !!f &&
    typeof f.name === 'string' &&
    typeof f.create === 'function' &&
    typeof f.deterministic === 'boolean' &&
    typeof f.needsPixels === 'boolean'
  );
}

/**
 * Trackers written outside this repository: SIAMBENCH_TRACKERS lists modules (comma-separated
 * paths, .js or .ts) whose `trackers` export is an array of TrackerFactory. Every process that
 * runs trackers (the CLI and each worker thread, which inherit the environment) loads them once.
 */
export function loadExternalTrackers(): Promise<void> {
  externalLoaded ??= (async () => {
    const list = (process.env.SIAMBENCH_TRACKERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of list) {
      const path = isAbsolute(entry) ? entry : resolve(entry);
      let mod: Record<string, unknown>;
      try {
        mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (err) {
        throw new UserError(`SIAMBENCH_TRACKERS: cannot load ${path} (${String((err as Error)?.message ?? err).split('\n')[0]})`);
      }
      const trackers = mod.trackers;
      if (!Array.isArray(trackers) || !trackers.every(isFactory)) {
        throw new UserError(
          `SIAMBENCH_TRACKERS: ${path} must export 'trackers', an array of { name, description, deterministic, needsPixels, create }`,
        );
      }
      for (const f of trackers) {
        if (BUILT_IN.some((b) => b.name === f.name) || f.name === PRETRAINED || external.some((e) => e.name === f.name)) {
          throw new UserError(`SIAMBENCH_TRACKERS: ${path} registers '${f.name}', a name already taken`);
        }
        external.push(f);
        externalModules.set(f.name, path);
      }
    }
  })();
  return externalLoaded;
}

export function trackerNames(): string[] {
  const trax = Object.keys(JSON.parse(process.env.SIAMBENCH_TRAX_DEFS ?? '{}') as object);
  return [...[...BUILT_IN, ...pretrained(), ...external, ...[...modelFolders.values()].map((m) => m.factory)].map((f) => f.name), ...trax];
}

/** The built-in trackers, the ones `npm run bench` runs by default. */
export function builtInTrackerNames(): string[] {
  return BUILT_IN.map((f) => f.name);
}

export function getTrackerFactory(name: string): TrackerFactory {
  const f =
    BUILT_IN.find((x) => x.name === name) ??
    pretrained().find((x) => x.name === name) ??
    external.find((x) => x.name === name) ??
    modelFolders.get(name)?.factory ??
    traxFactory(name) ??
    (exportedFolders()[name] ? registerFolder(name, exportedFolders()[name]) : undefined);
  if (!f && name === PRETRAINED) {
    throw new UserError(
      `tracker '${PRETRAINED}' needs ${join(modelsRoot(), PRETRAINED)}, which does not exist: import the original weights with npm run import-model -- --tflite <file or folder> --out ${join(modelsRoot(), PRETRAINED)}`,
    );
  }
  if (!f) throw new UserError(`unknown tracker '${name}'; registered trackers: ${trackerNames().join(', ')}`);
  return f;
}

function sha256(files: string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
}

/**
 * What a tracker runs, as a string that changes when its results may: the sha256 of a SiamFC
 * model's model.json and weights (weights.bin or its parts), of an external tracker's module file,
 * or 'built-in' for code of this repository. A bench run folder keeps these so that a resume after
 * a model changed is refused instead of mixing two models' results under one name.
 */
export function trackerFingerprint(name: string): string | null {
  const module = externalModules.get(name);
  if (module) return `module sha256:${sha256([module])}`;
  const trax = traxFingerprint(name);
  if (trax) return trax;
  const dir = folderOf(name);
  if (dir === undefined) return 'built-in';
  const files = modelFiles(dir);
  return files?.every((f) => existsSync(f)) ? `model sha256:${sha256(files)}` : null;
}
