import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, runName } from '../src/study/spec.ts';
import { assertTrainedWith } from './helpers/trained-with.ts';

/**
 * The studies' committed outputs (docs/study/<name>, one per studies/<name>.json) are research
 * results trained across sessions: each finished run must be what the committed spec says its name
 * is (loss, its settings, recipe, seed, starting weights), trained to the end, with its curves and
 * log; a checkpoint committed so that a part-way run survives a session must leave git once its run
 * has finished.
 */

const STUDIES = readdirSync('docs/study').filter((d) => existsSync(join('docs/study', d, 'spec.json')));
const DIR = 'docs/study/global-loss';

test('the global-loss study is committed', () => assert.ok(STUDIES.includes('global-loss'), STUDIES.join()));

for (const name of STUDIES) {
  const dir = join('docs/study', name);
  const spec = await loadSpec(join('studies', `${name}.json`));

  test(`${name}: the study folder's spec is the committed studies/${name}.json`, () => {
    assert.deepEqual(
      JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')),
      JSON.parse(readFileSync(join('studies', `${name}.json`), 'utf8')),
    );
  });

  test(`${name}: every committed model folder is a (configuration, seed) of the spec, trained with its loss, settings and recipe`, (t) => {
    const names = new Map(spec.configurations.flatMap((c) => spec.seeds.map((s) => [runName(c.name, s), { config: c, seed: s }] as const)));
    const models = join(dir, 'models');
    const finished = existsSync(models) ? readdirSync(models).filter((d) => existsSync(join(models, d, 'model.json'))) : [];
    if (finished.length === 0) {
      t.skip(`${dir}: no run has finished yet`);
      return;
    }
    const r = spec.recipe;
    const steps = (r.epochs * r.pairsPerEpoch) / r.batch;
    for (const run of finished) {
      const want = names.get(run);
      assert.ok(want, `${run}: no configuration and seed of the spec is named so`);
      const m = JSON.parse(readFileSync(join(models, run, 'model.json'), 'utf8'));
      assert.equal(m.trained, true, run);
      assert.equal(m.meta.loss, want.config.loss, `${run}: loss`);
      // The spec's settings are the global loss's fields, recorded under the same names.
      const recorded = m.meta.lossSettings.global ?? {};
      for (const [k, v] of Object.entries(want.config.settings)) assert.equal(recorded[k], v, `${run}: setting ${k}`);
      if (want.config.loss === 'global' && !('hard' in want.config.settings))
        assert.equal(recorded.hard, undefined, `${run}: hardest pair`);
      assertTrainedWith(m.meta, { ...r, seed: want.seed }, run);
      // A fine-tuning study's runs start from the imported weights, the others from seeded ones.
      assert.equal(m.meta.initFrom !== undefined, r.initFrom !== undefined, `${run}: starting weights`);
      const csvLines = (file: string) =>
        readFileSync(join(models, run, 'training', file), 'utf8')
          .trim()
          .split('\n').length;
      assert.equal(csvLines('loss-epochs.csv'), 1 + r.epochs, `${run}: one curve row per epoch`);
      assert.equal(csvLines('loss-steps.csv'), 1 + steps, `${run}: one curve row per step`);
      assert.ok(existsSync(join(models, run, 'training', 'loss.png')), `${run}: loss.png`);
      assert.match(readFileSync(join(dir, 'logs', `${run}.log`), 'utf8'), new RegExp(`${steps} steps in \\d+ s`), `${run}: log`);
    }
  });
}

test('the committed models/siamfc and models/siamfc-gs are the runs selection.csv chose on the validation set', (t) => {
  const file = join(DIR, 'selection.csv');
  if (!existsSync(file)) {
    t.skip(`${file} absent: the study has not reached its validation stage, models/ still holds the 1,000-step recipe`);
    return;
  }
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const col = (name: string) => head.split(',').indexOf(name);
  const chosen = lines.map((l) => l.split(',')).filter((f) => f[col('selected')] === '1');
  // The shipped trackers are the study's baseline and its unablated global loss, as PAPER_MODELS names them.
  for (const [tracker, config] of [
    ['siamfc', 'logistic'],
    ['siamfc-gs', 'global'],
  ]) {
    const row = chosen.find((f) => f[col('config')] === config);
    assert.ok(row, `selection.csv chooses no seed of ${config}`);
    const run = join(DIR, 'models', runName(config, Number(row[col('seed')])));
    for (const f of ['model.json', 'weights.bin'])
      assert.ok(readFileSync(join('models', tracker, f)).equals(readFileSync(join(run, f))), `models/${tracker}/${f} is not ${run}/${f}`);
  }
});

test('no finished run keeps a checkpoint in git', (t) => {
  let tracked: string;
  try {
    tracked = execFileSync('git', ['ls-files', '--', 'docs/study'], { encoding: 'utf8' });
  } catch (e) {
    t.skip(`not a git checkout (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const withCheckpoint = new Set(
    tracked.split('\n').flatMap((f) => /^(docs\/study\/[^/]+\/models\/[^/]+)\/training\/checkpoint\//.exec(f)?.[1] ?? []),
  );
  for (const name of withCheckpoint)
    assert.ok(!existsSync(join(name, 'model.json')), `${name}: finished, but its checkpoint is still committed`);
});
