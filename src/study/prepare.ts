import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import { ensureSynthetic } from '../synthetic/index.ts';
import { crossValidationData, type FoldFolders } from './cv-data.ts';
import { initSource, trainingData } from './data.ts';
import type { StudyRequest } from './request.ts';
import { parseSpec, specConflict, type StudySpec, type TestSetSpec, VALIDATION } from './spec.ts';
import { readUtf8Sync } from '../core/text-file.ts';

/**
 * The study's shared step, done once before any training or tracking (`--stage prepare`, or the
 * first step of a whole run): the spec checked against the folder's and written as spec.json, the
 * training split and the synthetic test sets generated, the model to fine-tune from imported, and
 * prepared.json written last, naming every folder the other stages read. The train, eval and stats
 * stages only read it, so N array tasks started at once share no write: ensureSynthetic is safe
 * against a kill but not against a second generator (each removes the other's temporary folder as
 * stale), and N tasks generating one split would cost N times its CPU.
 */
export const PREPARED_FILE = 'prepared.json';

export interface Prepared {
  /** The spec the folder was prepared with (its JSON as read): the other stages must be given the same. */
  spec: unknown;
  /** GOT-10k-layout training split ('' in a cross-validated study, whose folds have one each). */
  trainData: string;
  /** A cross-validated study's folders per fold (fold k is folds[k - 1]). */
  folds?: FoldFolders[];
  /** The model every run fine-tunes from, when the recipe names one. */
  initFrom?: string;
  /** Why the study has nothing to do (recipe.initFrom absent): every stage logs it and exits 0. */
  skipped?: string;
  /** Per test set, its OTB-layout folder, or null when its root is absent (skipped with a message). */
  testSets: Record<string, string | null>;
  /** The validation set's OTB-layout folder, when the spec has one. */
  validation?: string;
}

/** The spec.json of a folder refuses a spec with another recipe, training data, configuration or test set of the same name. */
export function checkSpecFile(spec: StudySpec, out: string): void {
  const specFile = join(out, 'spec.json');
  if (!existsSync(specFile)) return;
  const prev = parseSpec(JSON.parse(readUtf8Sync(specFile)), specFile);
  const conflict = specConflict(prev, spec);
  if (conflict)
    throw new UserError(`--out: ${out} holds a study whose ${conflict} differs from ${spec.file}; use the same spec or a new --out`);
}

/** A test set's OTB-layout folder: a synthetic split generated once, a raw OTB folder as it is (null when absent). */
async function testSetFolder(set: TestSetSpec, dataDir: string, log: (line: string) => void): Promise<string | null> {
  if (set.kind !== 'synthetic') {
    const root = resolve(set.root);
    if (existsSync(root)) return root;
    log(`[study] test set ${set.name}: ${root} is absent, skipped`);
    return null;
  }
  const dir = join(dataDir, set.name);
  const m = await ensureSynthetic(dir, {
    splits: ['test'],
    testSequences: set.sequences,
    testFrames: set.frames,
    seed: set.seed,
    onSplit: (_s, status, s) =>
      log(
        `[study] ${set.name === VALIDATION ? 'validation set' : `test set ${set.name}`} (${set.sequences} synthetic sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''} in ${dir}`,
      ),
  });
  return join(dir, m.splits.test!.layouts.otb!);
}

export async function prepareStudy(req: StudyRequest): Promise<Prepared> {
  const { spec, log } = req;
  const out = resolve(req.out);
  const dataDir = resolve(req.data ?? join(out, 'data'));
  await mkdir(out, { recursive: true });
  checkSpecFile(spec, out);
  await writeFileAtomic(join(out, 'spec.json'), `${JSON.stringify(spec.source, null, 2)}\n`);
  const initFrom = await initSource(spec, dataDir, log);
  let prepared: Prepared;
  if (initFrom === null) {
    const skipped = `recipe.initFrom: ${resolve(spec.recipe.initFrom!)} is absent (no model.json, no .tflite): nothing to fine-tune, skipped`;
    log(`[study] ${skipped}`);
    prepared = { spec: spec.source, trainData: '', skipped, testSets: {} };
  } else {
    const folds = spec.crossValidation && (await crossValidationData(spec.crossValidation, dataDir, log));
    const trainData = folds ? '' : await trainingData(spec, dataDir, log);
    const testSets: Prepared['testSets'] = {};
    for (const set of spec.testSets) testSets[set.name] = await testSetFolder(set, dataDir, log);
    const validation = spec.validation && (await testSetFolder({ name: VALIDATION, kind: 'synthetic', ...spec.validation }, dataDir, log));
    prepared = {
      spec: spec.source,
      trainData,
      ...(folds ? { folds } : {}),
      ...(initFrom === undefined ? {} : { initFrom }),
      testSets,
      ...(validation ? { validation } : {}),
    };
  }
  await writeFileAtomic(join(out, PREPARED_FILE), `${JSON.stringify(prepared, null, 1)}\n`);
  return prepared;
}

/**
 * What `--stage prepare` left for the other stages; a one-line error when the folder was not
 * prepared, or was prepared with another spec (the stages would then read folders that do not
 * match it).
 */
/** The training split a run reads: its fold's in a cross-validated study. */
export function trainDataOf(prep: Prepared): (job: { fold?: number }) => string {
  return (job) => (job.fold === undefined ? prep.trainData : prep.folds![job.fold - 1].train);
}

export function readPrepared(spec: StudySpec, out: string, stage: string): Prepared {
  const file = join(resolve(out), PREPARED_FILE);
  const first = `run npm run study -- --spec ${spec.file} --out ${out} --stage prepare first`;
  let prepared: Prepared;
  try {
    prepared = JSON.parse(readUtf8Sync(file)) as Prepared;
  } catch {
    throw new UserError(`--stage ${stage}: ${out} is not prepared (no ${PREPARED_FILE}); ${first}`);
  }
  if (JSON.stringify(prepared.spec) !== JSON.stringify(spec.source))
    throw new UserError(
      `--stage ${stage}: ${out} was prepared with another spec than ${spec.file} (see ${join(out, 'spec.json')}); ${first}`,
    );
  return prepared;
}
