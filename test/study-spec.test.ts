import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PerRunRow } from '../src/study/per-run.ts';
import { selectModels, selectionCsv } from '../src/study/selection.ts';
import { parseSpec, settingsArgs, specConflict } from '../src/study/spec.ts';
import { runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';

/** Spec parsing on its own (study.test.ts runs a whole study first). */

const GLOBAL_LOSS = 'studies/global-loss.json';
const spec = () => JSON.parse(readFileSync(GLOBAL_LOSS, 'utf8'));

test('the soft maximum settings become --gs-hard and --gs-tau; global-softmax is the last configuration', () => {
  const s = parseSpec(spec(), GLOBAL_LOSS);
  const last = s.configurations.at(-1)!;
  assert.equal(last.name, 'global-softmax');
  const args = settingsArgs(last);
  assert.deepEqual(args.slice(args.indexOf('--gs-hard'), args.indexOf('--gs-hard') + 4), ['--gs-hard', 'softmax', '--gs-tau', '0.003']);
});

test('tau without the soft maximum, or not positive, is a one-line error naming the field', () => {
  const bad = (settings: Record<string, unknown>, pattern: RegExp) => {
    const s = spec();
    s.configurations[1].settings = settings;
    assert.throws(
      () => parseSpec(s, 'studies/x.json'),
      (e: Error) => pattern.test(e.message) && !e.message.includes('\n'),
      pattern.source,
    );
  };
  bad({ tau: 0.1 }, /^studies\/x\.json: configurations\[1\]\.settings\.tau: is the temperature of hard 'softmax' only$/);
  bad({ hard: 'softmax', tau: 0 }, /configurations\[1\]\.settings\.tau: expected a number > 0, got 0$/);
  bad({ hard: 'soft' }, /configurations\[1\]\.settings\.hard: expected 'max' or 'softmax', got "soft"$/);
});

test('recipe.initFrom: a string, and a study whose source is absent is skipped with a message, exit 0', (t) => {
  const s = spec();
  s.recipe.initFrom = 3;
  assert.throws(
    () => parseSpec(s, 'studies/x.json'),
    (e: Error) => /^studies\/x\.json: recipe\.initFrom: expected a non-empty string, got 3$/.test(e.message),
  );
  const dir = tempDir(t, 'siambench-study-init-');
  const finetune = JSON.parse(readFileSync('studies/finetune.json', 'utf8'));
  finetune.recipe.initFrom = join(dir, 'no-such-weights');
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(finetune));
  const r = runCli('study', ['--spec', join(dir, 'spec.json'), '--out', join(dir, 'out')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /recipe\.initFrom: .*no-such-weights is absent \(no model\.json, no \.tflite\): nothing to fine-tune, skipped/);
});

test('the validation set: optional, its seed never a synthetic test set seed, its name reserved, fixed once a folder has it', () => {
  const smoke = () => JSON.parse(readFileSync('studies/smoke.json', 'utf8'));
  const s = parseSpec(smoke(), 'studies/smoke.json');
  assert.deepEqual(s.validation, { sequences: 3, frames: 30, seed: 6 });
  const bad = (edit: (j: { validation: Record<string, unknown>; testSets: { name: string }[] }) => void, pattern: RegExp) => {
    const j = smoke();
    edit(j);
    assert.throws(
      () => parseSpec(j, 'studies/x.json'),
      (e: Error) => pattern.test(e.message) && !e.message.includes('\n'),
      pattern.source,
    );
  };
  bad((j) => (j.validation.seed = 5), /^studies\/x\.json: validation\.seed: is test set 'synthetic's seed: .*, got 5$/);
  bad((j) => (j.testSets[0].name = 'validation'), /^studies\/x\.json: testSets\[0\]\.name: 'validation' names the validation set/);
  bad((j) => delete j.validation.seed, /^studies\/x\.json: validation\.seed: missing$/);
  bad((j) => (j.validation.kind = 'otb'), /^studies\/x\.json: validation\.kind: unknown field/);
  const without = smoke();
  delete without.validation;
  const prev = parseSpec(without, 'a.json');
  assert.equal(specConflict(prev, s), undefined, 'a validation set may be added to a study folder');
  const other = smoke();
  other.validation.sequences = 4;
  assert.equal(specConflict(s, parseSpec(other, 'b.json')), 'validation');
});

test('selection: per configuration the seed with the highest mean validation AUC; ties go to precision, then the lower seed', () => {
  const row = (config: string, seed: number, sequence: string, auc: number, precision: number): PerRunRow => ({
    config,
    seed,
    testSet: 'validation',
    sequence,
    auc,
    precision,
    loss: config,
    baseline: config === 'logistic',
    attributes: [],
  });
  const rows = [
    // logistic: seed 2 wins on AUC (0.5 vs 0.45), though seed 1 has the best single sequence
    row('logistic', 1, 'A', 0.8, 0.9),
    row('logistic', 1, 'B', 0.1, 0.2),
    row('logistic', 2, 'A', 0.5, 0.5),
    row('logistic', 2, 'B', 0.5, 0.5),
    // global: equal AUC 0.4, seed 3 has the better precision
    row('global', 1, 'A', 0.4, 0.3),
    row('global', 1, 'B', 0.4, 0.3),
    row('global', 3, 'A', 0.2, 0.4),
    row('global', 3, 'B', 0.6, 0.4),
    // ranking: equal in both: the lower seed
    row('ranking', 4, 'A', 0.3, 0.3),
    row('ranking', 2, 'A', 0.3, 0.3),
    // a sequence not scored by every seed of its configuration is left out (as in the comparisons)
    row('logistic', 1, 'C', 1, 1),
  ];
  const sel = selectModels(rows);
  const chosen = sel.filter((r) => r.selected).map((r) => `${r.config}/${r.seed}`);
  assert.deepEqual(chosen, ['logistic/2', 'global/3', 'ranking/2']);
  const l1 = sel.find((r) => r.config === 'logistic' && r.seed === 1)!;
  assert.ok(Math.abs(l1.auc - 0.45) < 1e-12 && l1.sequences === 2);
  assert.match(
    selectionCsv(sel),
    /^config,loss,seed,val_auc,val_precision,sequences,selected\nlogistic,logistic,1,0\.450000,0\.550000,2,0\n/,
  );
});
