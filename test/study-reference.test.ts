import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseSpec } from '../src/study/spec.ts';
import { assertOneLineError, REPO, runCli } from './helpers/cli.ts';
import { csvRows } from './helpers/files.ts';

/**
 * A fine-tuning study (recipe.initFrom) tracks the model it starts from beside its runs, as
 * configuration `init` of per_run.csv, so that what fine-tuning gained or lost is read from the
 * study itself: a few steps from the committed models/siamfc, its reference tracked as a plain
 * bench run of that folder tracks it (the same boxes), and never on the validation set.
 */
let tmp = '';
let out = '';
let run: ReturnType<typeof runCli>;

const spec = {
  name: 'reference',
  baseline: 'logistic',
  seeds: [1],
  recipe: { width: 0.25, epochs: 1, pairsPerEpoch: 16, batch: 8, lr: 1e-4, lrEnd: 1e-5, initFrom: join(REPO, 'models', 'siamfc') },
  trainSplit: { sequences: 6, frames: 30, seed: 3 },
  configurations: [
    { name: 'logistic', loss: 'logistic' },
    { name: 'global', loss: 'global' },
  ],
  testSets: [{ name: 'synthetic', kind: 'synthetic', sequences: 3, frames: 30, seed: 5 }],
  validation: { sequences: 2, frames: 30, seed: 6 },
};

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'study-ref-'));
  out = join(tmp, 'study');
  writeFileSync(join(tmp, 'spec.json'), JSON.stringify(spec));
  run = runCli('study', ['--spec', join(tmp, 'spec.json'), '--out', out]);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the model a fine-tuning study starts from is per_run.csv configuration init, seed 0, on every test sequence', () => {
  assert.equal(run.code, 0, run.stderr);
  const init = csvRows(join(out, 'per_run.csv')).filter((r) => r.config === 'init');
  assert.deepEqual(
    init.map((r) => `${r.seed}/${r.loss}/${r.baseline}/${r.sequence}`),
    ['0/none/0/Synth001', '0/none/0/Synth002', '0/none/0/Synth003'],
  );
  assert.ok(!csvRows(join(out, 'validation.csv')).some((r) => r.config === 'init'), 'the reference is not a run to choose');
  assert.ok(csvRows(join(out, 'study.csv')).some((r) => r.config === 'init' && r.seeds === '1'));
  assert.match(readFileSync(join(out, 'study.md'), 'utf8'), /`init` is the model every run was fine-tuned from/);
});

test('the reference is the starting model tracked as it is: the boxes of a plain bench run of models/siamfc', () => {
  assert.equal(run.code, 0, run.stderr);
  const folder = JSON.parse(readFileSync(join(out, 'prepared.json'), 'utf8')).testSets.synthetic;
  const bench = join(tmp, 'bench');
  const r = runCli('bench', ['--dataset', 'synthetic', '--root', dirname(folder), '--trackers', 'siamfc', '--out', bench]);
  assert.equal(r.code, 0, r.stderr);
  const seqs = readdirSync(join(out, 'eval', 'synthetic', 'raw', 'siamfc')).filter((f) => f.startsWith('Synth'));
  assert.deepEqual(seqs, ['Synth001.txt', 'Synth002.txt', 'Synth003.txt']);
  const record = JSON.parse(readFileSync(join(out, 'eval', 'synthetic', 'records', 'siamfc', 'Synth001.json'), 'utf8'));
  // The registered tracker of that folder, as a bench run of 'siamfc' records it.
  assert.equal(record.trackerRecord.model, 'models/siamfc');
  for (const s of seqs)
    assert.equal(
      readFileSync(join(out, 'eval', 'synthetic', 'raw', 'siamfc', s), 'utf8'),
      readFileSync(join(bench, 'raw', 'siamfc', s), 'utf8'),
      s,
    );
});

test('a fine-tuning spec refuses a configuration named init, in one line', () => {
  const s = structuredClone(spec);
  s.configurations[1].name = 'init';
  const file = join(tmp, 'init.json');
  writeFileSync(file, JSON.stringify(s));
  assertOneLineError(
    runCli('study', ['--spec', file, '--out', join(tmp, 'refused')]),
    /configurations\[1\]\.name: 'init' names the model recipe\.initFrom starts from/,
  );
  // Without initFrom the name is free.
  const { initFrom: _, ...recipe } = s.recipe;
  assert.equal(parseSpec({ ...s, recipe }, 'studies/x.json').configurations[1].name, 'init');
});
