import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { UserError } from '../src/core/errors.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { builtInTrackerNames, getTrackerFactory, resolveTracker, trackerNames } from '../src/trackers/registry.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';

/**
 * Any model folder is a tracker: a --trackers entry that is a path runs SiamFC-3s on that folder's
 * weights under the folder's name, in the main thread and in every worker; siamfc-pretrained is
 * there exactly when its folder is.
 */
let tmp = '';
let syn = '';

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'model-folder-trackers-'));
  syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 5, testSequences: 2, testFrames: 30, splits: ['test'] });
  cpSync(join(modelsRoot(), 'siamfc-gs'), join(tmp, 'models', 'my-gs'), { recursive: true });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a model folder given as a path runs under its folder name and tracks exactly like the registered tracker on the same weights', () => {
  const viaPath = join(tmp, 'via-path');
  // Two workers: each re-creates the path tracker by name.
  const r = runCli('bench', [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    viaPath,
    '--trackers',
    `static,${join(tmp, 'models', 'my-gs')}`,
    '--concurrency',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^my-gs\s/m);
  const run = JSON.parse(readFileSync(join(viaPath, 'run.json'), 'utf8')) as {
    trackers: string[];
    models: Record<string, { model: string }>;
  };
  assert.deepEqual(run.trackers, ['static', 'my-gs']);
  assert.equal(run.models['my-gs'].model, join(tmp, 'models', 'my-gs'));

  const viaName = join(tmp, 'via-name');
  const n = runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', viaName, '--trackers', 'siamfc-gs', '--concurrency', '1']);
  assert.equal(n.code, 0, n.stderr);
  for (const seq of ['Synth001', 'Synth002']) {
    const a = readFileSync(join(viaPath, 'raw', 'my-gs', `${seq}.txt`), 'utf8');
    assert.equal(a.trim().split('\n').length, 30);
    assert.equal(a, readFileSync(join(viaName, 'raw', 'siamfc-gs', `${seq}.txt`), 'utf8'), seq);
  }
});

test('a path without model.json, a missing folder and a name already taken are one-line errors', () => {
  mkdirSync(join(tmp, 'empty-model'), { recursive: true });
  const bench = (trackers: string) =>
    runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', join(tmp, 'never'), '--trackers', trackers]);
  assertOneLineError(
    bench(`siamfc,${join(tmp, 'empty-model')}`),
    /^error: --trackers: .*empty-model: no model\.json in this folder \(not a SiamFC model folder\)$/,
  );
  assertOneLineError(bench('./no/such/model'), /^error: --trackers: \.\/no\/such\/model: no such model folder$/);
  cpSync(join(tmp, 'models', 'my-gs'), join(tmp, 'other', 'siamfc'), { recursive: true });
  assertOneLineError(
    bench(join(tmp, 'other', 'siamfc')),
    /^error: --trackers: .*other\/siamfc would be named 'siamfc', a name already taken by .*models\/siamfc; rename the folder$/,
  );
});

test('the registered folders resolve to their own names; siamfc-pretrained is registered exactly when its folder exists, outside the defaults', async () => {
  assert.equal(resolveTracker(join(modelsRoot(), 'siamfc')), 'siamfc');
  assert.equal(resolveTracker('static'), 'static');
  const saved = process.env.SIAMBENCH_MODELS;
  try {
    process.env.SIAMBENCH_MODELS = join(tmp, 'models');
    assert.ok(!trackerNames().includes('siamfc-pretrained'));
    assert.throws(
      () => getTrackerFactory('siamfc-pretrained'),
      (e: Error) =>
        e instanceof UserError &&
        e.message ===
          `tracker 'siamfc-pretrained' needs ${join(tmp, 'models', 'siamfc-pretrained')}, which does not exist: import the original weights with npm run import-model -- --tflite <file or folder> --out ${join(tmp, 'models', 'siamfc-pretrained')}`,
    );
    cpSync(join(tmp, 'models', 'my-gs'), join(tmp, 'models', 'siamfc-pretrained'), { recursive: true });
    assert.ok(trackerNames().includes('siamfc-pretrained'));
    assert.ok(!builtInTrackerNames().includes('siamfc-pretrained'));
    const tracker = await getTrackerFactory('siamfc-pretrained').create({ backend: 'wasm' });
    assert.equal(tracker.describe!().model, join(tmp, 'models', 'siamfc-pretrained'));
    tracker.dispose?.();
  } finally {
    if (saved === undefined) delete process.env.SIAMBENCH_MODELS;
    else process.env.SIAMBENCH_MODELS = saved;
  }
});
