import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec, settingsArgs } from '../src/study/spec.ts';
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
