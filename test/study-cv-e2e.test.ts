import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { runCli } from './helpers/cli.ts';
import { csvRows } from './helpers/files.ts';

/**
 * A study cross-validated by sequence, end to end (`npm run study`, one process): 6 short synthetic
 * sequences in 3 folds, 2 losses x 1 seed, 4 training steps per run. Every fold is tracked by the
 * runs that left it out only, per_run.csv holds each sequence once per run under the
 * cross-validation's name, and --recompute rewrites the tables byte for byte. Its numbers mean nothing.
 */
let tmp = '';
let out = '';
let seqs: string[] = [];
let first: ReturnType<typeof runCli>;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'study-cv-'));
  const m = await ensureSynthetic(join(tmp, 'root'), { splits: ['test'], testSequences: 6, testFrames: 30, seed: 11 });
  const root = join(tmp, 'root', m.splits.test!.layouts.otb!);
  seqs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const spec = {
    name: 'cv-smoke',
    baseline: 'logistic',
    seeds: [1],
    recipe: { width: 0.25, epochs: 1, pairsPerEpoch: 32, batch: 8, lr: 0.01, lrEnd: 0.001 },
    crossValidation: { name: 'cv', dataset: 'synthetic', root, folds: [seqs.slice(0, 2), seqs.slice(2, 4), seqs.slice(4, 6)] },
    configurations: [
      { name: 'logistic', loss: 'logistic' },
      { name: 'global', loss: 'global' },
    ],
  };
  writeFileSync(join(tmp, 'cv.json'), JSON.stringify(spec));
  out = join(tmp, 'study');
  first = runCli('study', ['--spec', join(tmp, 'cv.json'), '--out', out, '--data', join(tmp, 'data'), '--concurrency', '2']);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('cross-validated study: a run per (configuration, fold), each fold tracked by its own runs, one test set in per_run.csv', () => {
  assert.equal(first.code, 0, first.stderr);
  assert.equal(seqs.length, 6);
  const trained = readdirSync(join(out, 'models')).sort();
  assert.deepEqual(trained, [
    'global-fold1-seed1',
    'global-fold2-seed1',
    'global-fold3-seed1',
    'logistic-fold1-seed1',
    'logistic-fold2-seed1',
    'logistic-fold3-seed1',
  ]);
  for (const k of [1, 2, 3]) {
    const run = JSON.parse(readFileSync(join(out, 'eval', `cv-fold${k}`, 'run.json'), 'utf8')) as { trackers: string[] };
    // The fold's two runs and the model they start from: none here (no initFrom), so just the two.
    assert.deepEqual(run.trackers.sort(), [`global-fold${k}-seed1`, `logistic-fold${k}-seed1`]);
    const model = JSON.parse(readFileSync(join(out, 'models', `logistic-fold${k}-seed1`, 'model.json'), 'utf8'));
    // Trained on the other folds' 4 sequences (one held out for the validation loss), never its own.
    const data = model.meta.data as { dir: string; trainSequences: number; valSequences: string[] };
    assert.equal(data.trainSequences + data.valSequences.length, 4);
    const listed = readFileSync(join(data.dir, 'list.txt'), 'utf8').split('\n').filter(Boolean).sort();
    assert.deepEqual(
      listed,
      seqs.filter((_, i) => Math.floor(i / 2) !== k - 1),
    );
  }
  const perRun = csvRows(join(out, 'per_run.csv'));
  assert.deepEqual([...new Set(perRun.map((r) => r.test_set))], ['cv']);
  assert.deepEqual(
    perRun.map((r) => `${r.config}/${r.seed}/${r.sequence}`).sort(),
    ['global', 'logistic'].flatMap((c) => seqs.map((q) => `${c}/1/${q}`)).sort(),
  );
  const study = csvRows(join(out, 'study.csv'));
  assert.deepEqual(
    study.map((r) => `${r.test_set}/${r.config}/${r.seeds}/${r.sequences}`),
    ['cv/logistic/1/6', 'cv/global/1/6'],
  );
  const training = readFileSync(join(out, 'training.csv'), 'utf8').split('\n');
  assert.equal(training[0], 'config,loss,fold,seed,steps,seconds,final_train_loss,final_val_loss');
  assert.match(training[1], /^logistic,logistic,1,1,4,/);
});

test('cross-validated study: --recompute rewrites every table byte for byte; --status has a column per fold and seed', () => {
  assert.equal(first.code, 0, first.stderr);
  const files = ['study.csv', 'study.md', 'per_attribute.csv'];
  const before = files.map((f) => readFileSync(join(out, f), 'utf8'));
  const r = runCli('study', ['--recompute', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    files.map((f) => readFileSync(join(out, f), 'utf8')),
    before,
  );
  const s = runCli('study', ['--spec', join(tmp, 'cv.json'), '--out', out, '--status']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^configuration\s+f1 s1\s+f2 s1\s+f3 s1$/m);
  assert.match(s.stdout, /^tracking: cv-fold1 scored, cv-fold2 scored, cv-fold3 scored /m);
});
