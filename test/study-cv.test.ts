import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { crossValidationData } from '../src/study/cv-data.ts';
import { testData } from '../src/study/evaluate.ts';
import { publishedRows } from '../src/study/published.ts';
import { parseSpec } from '../src/study/spec.ts';
import { trainJobs } from '../src/study/training.ts';
import { tempDir } from './helpers/files.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

/** A study cross-validated by sequence (issue 32): the spec, the runs, each fold's data, the published rows. */

const FILE = 'studies/real-finetune.json';
const spec = () => JSON.parse(readFileSync(FILE, 'utf8'));

test('real-finetune: a run per (configuration, fold, seed), seed-major, each leaving its fold out', () => {
  const s = parseSpec(spec(), FILE);
  assert.equal(s.crossValidation!.folds.length, 3);
  assert.deepEqual(s.testSets, []);
  const jobs = trainJobs(s, '/x');
  assert.equal(jobs.length, 3 * 3 * 3);
  assert.deepEqual(
    jobs.slice(0, 4).map((j) => j.name),
    ['logistic-fold1-seed1', 'global-fold1-seed1', 'global-plus-logistic-fold1-seed1', 'logistic-fold2-seed1'],
  );
  assert.equal(jobs.at(-1)!.dir, '/x/models/global-plus-logistic-fold3-seed3');
  assert.deepEqual([...new Set(jobs.map((j) => j.fold))], [1, 2, 3]);
});

test('crossValidation errors are one line naming the field', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the spec JSON as parsed, edited field by field
  const bad = (edit: (s: Record<string, any>) => void, pattern: RegExp) => {
    const s = spec();
    edit(s);
    assert.throws(
      () => parseSpec(s, 'studies/x.json'),
      (e: Error) => pattern.test(e.message) && !e.message.includes('\n'),
      pattern.source,
    );
  };
  bad(
    (s) => s.crossValidation.folds[2].push('couple'),
    /crossValidation\.folds\[2\]: sequence 'couple' is already in fold 1: it would be tested by models trained on it$/,
  );
  bad((s) => (s.crossValidation.folds = [['Couple']]), /crossValidation\.folds: expected at least 2 folds, got 1$/);
  bad((s) => (s.recipe.data = 'data/x'), /crossValidation: excludes trainSplit and recipe\.data/);
  bad((s) => (s.crossValidation.published.config = 'global'), /crossValidation\.published\.config: 'global' names a configuration/);
  bad((s) => (s.crossValidation.published.config = 'init'), /crossValidation\.published\.config: 'init' names a configuration/);
  bad((s) => delete s.crossValidation.root, /crossValidation\.root: missing$/);
});

test(
  "each fold: a GOT-10k split of the other folds' targets (0-based boxes, linked frames), an OTB root of its own",
  { skip: SKIP_REALDATA },
  async (t) => {
    const dir = tempDir(t, 'study-cv-');
    const cv = { ...parseSpec(spec(), FILE).crossValidation!, root: real('frames', 'otb') };
    const folds = await crossValidationData(cv, dir, () => {});
    assert.equal(folds.length, 3);
    const all = await loadOtb('OTB100', real('frames', 'otb'));
    assert.equal(all.targets.length, 16);
    const testTargets = await Promise.all(folds.map(async (f) => (await loadOtb('OTB100', f.test)).targets.map((x) => x.name)));
    // Jogging's two targets share their frames: both in fold 3, in no training split of fold 3.
    assert.deepEqual(testTargets[2], ['Diving', 'DragonBaby', 'Freeman1', 'Jogging-1', 'Jogging-2', 'MotorRolling']);
    assert.equal(testTargets.flat().length, 16);
    for (const [k, f] of folds.entries()) {
      const train = await readGot10kSplit(f.train);
      assert.deepEqual(
        train.map((s) => s.name).sort(),
        all.targets
          .map((x) => x.name)
          .filter((n) => !testTargets[k].includes(n))
          .sort(),
      );
    }
    const fold1 = await readGot10kSplit(folds[0].train);
    const girl = fold1.find((s) => s.name === 'Girl')!;
    // Girl's first OTB row is 57 21 31 45 (1-based): the image box starts one pixel up and left.
    assert.deepEqual([...girl.boxes[0]], [56, 20, 31, 45]);
    assert.equal(girl.frames.length, 500);
    assert.equal(realpathSync(girl.frames[499]), realpathSync(real('frames', 'otb', 'Girl', 'img', '0500.jpg')));
    // Football1: only its 74 annotated images, not all 81.
    assert.equal(fold1.find((s) => s.name === 'Football1')!.frames.length, 74);
    assert.equal(readlinkSync(join(folds[0].test, 'Couple')), join(real('frames', 'otb'), 'Couple'));
    // Built once: a second call reuses the folders.
    assert.deepEqual(await crossValidationData(cv, dir, () => {}), folds);
  },
);

test('a target of the root in no fold, or a fold sequence not in the root, is an error naming it', { skip: SKIP_REALDATA }, async (t) => {
  const dir = tempDir(t, 'study-cv-');
  const cv = { ...parseSpec(spec(), FILE).crossValidation!, root: real('frames', 'otb') };
  await assert.rejects(
    crossValidationData({ ...cv, folds: [cv.folds[0], cv.folds[1].slice(1), cv.folds[2]] }, dir, () => {}),
    /^UserError: crossValidation\.folds: Girl of .* in no fold$/,
  );
  await assert.rejects(
    crossValidationData({ ...cv, folds: [[...cv.folds[0], 'Basketball'], cv.folds[1], cv.folds[2]] }, dir, () => {}),
    /crossValidation\.folds: Basketball not in /,
  );
});

test(
  'the published SiamFC-3s boxes score as the release reports them (Couple 0.67 AUC), one row per target',
  { skip: SKIP_REALDATA },
  async () => {
    const ds = await loadOtb('OTB100', real('frames', 'otb'));
    const rows = await publishedRows(
      { config: 'published', results: real('results', 'OTB100', 'cfnet-release'), tracker: 'SiamFC-3s' },
      ds,
      'otb-cv',
    );
    assert.equal(rows.length, 16);
    assert.ok(rows.every((r) => r.config === 'published' && r.seed === 0 && r.loss === 'none' && !r.baseline && r.testSet === 'otb-cv'));
    const couple = rows.find((r) => r.sequence === 'Couple')!;
    assert.equal(couple.auc.toFixed(2), '0.67');
  },
);

test(
  "an OTB test set naming its sequences keeps those folders' targets: otb-real stays the 4 it was scored on",
  { skip: SKIP_REALDATA },
  async () => {
    const gl = parseSpec(JSON.parse(readFileSync('studies/global-loss.json', 'utf8')), 'studies/global-loss.json');
    const [real4, real16] = ['otb-real', 'otb-real-16'].map((n) => gl.testSets.find((t) => t.name === n)!);
    const targets = async (set: typeof real4) => {
      const data = await testData({ set, folder: real('frames', 'otb') });
      return data.kind === 'otb' ? data.ds.targets.map((t) => t.name) : [];
    };
    assert.deepEqual(await targets(real4), ['Couple', 'Crossing', 'Football1', 'MotorRolling']);
    assert.equal((await targets(real16)).length, 16);
    await assert.rejects(
      targets({ ...real4, sequences: ['Couple', 'Basketball'] } as typeof real4),
      /^UserError: test set otb-real: sequences Basketball not in /,
    );
  },
);
