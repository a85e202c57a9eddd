import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, runName } from '../src/study/spec.ts';
import { assertTrainedWith } from './helpers/trained-with.ts';

/**
 * The global-loss study's committed outputs (docs/study/global-loss) are research results trained
 * across sessions: each finished run must be what the committed spec says its name is (loss, its
 * settings, recipe, seed), trained to the end, with its curves and log; a checkpoint committed so
 * that a part-way run survives a session must leave git once its run has finished.
 */

const DIR = 'docs/study/global-loss';
const spec = await loadSpec('studies/global-loss.json');

test("the study folder's spec is the committed studies/global-loss.json", () => {
  assert.deepEqual(JSON.parse(readFileSync(join(DIR, 'spec.json'), 'utf8')), JSON.parse(readFileSync('studies/global-loss.json', 'utf8')));
});

test('every committed model folder is a (configuration, seed) of the spec, trained with its loss, settings and recipe', () => {
  const names = new Map(spec.configurations.flatMap((c) => spec.seeds.map((s) => [runName(c.name, s), { config: c, seed: s }] as const)));
  const finished = readdirSync(join(DIR, 'models')).filter((d) => existsSync(join(DIR, 'models', d, 'model.json')));
  assert.ok(finished.length > 0, 'no finished run committed');
  const r = spec.recipe;
  const steps = (r.epochs * r.pairsPerEpoch) / r.batch;
  for (const name of finished) {
    const run = names.get(name);
    assert.ok(run, `${name}: no configuration and seed of the spec is named so`);
    const m = JSON.parse(readFileSync(join(DIR, 'models', name, 'model.json'), 'utf8'));
    assert.equal(m.trained, true, name);
    assert.equal(m.meta.loss, run.config.loss, `${name}: loss`);
    // The spec's settings are the global loss's fields, recorded under the same names.
    const recorded = m.meta.lossSettings.global ?? {};
    for (const [k, v] of Object.entries(run.config.settings)) assert.equal(recorded[k], v, `${name}: setting ${k}`);
    if (run.config.loss === 'global' && !('hard' in run.config.settings)) assert.equal(recorded.hard, undefined, `${name}: hardest pair`);
    assertTrainedWith(m.meta, { ...r, seed: run.seed }, name);
    const epochs = readFileSync(join(DIR, 'models', name, 'training', 'loss-epochs.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(epochs.length, 1 + r.epochs, `${name}: one curve row per epoch`);
    const stepRows = readFileSync(join(DIR, 'models', name, 'training', 'loss-steps.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(stepRows.length, 1 + steps, `${name}: one curve row per step`);
    assert.ok(existsSync(join(DIR, 'models', name, 'training', 'loss.png')), `${name}: loss.png`);
    assert.match(readFileSync(join(DIR, 'logs', `${name}.log`), 'utf8'), new RegExp(`${steps} steps in \\d+ s`), `${name}: log`);
  }
});

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
    tracked = execFileSync('git', ['ls-files', '--', join(DIR, 'models')], { encoding: 'utf8' });
  } catch (e) {
    t.skip(`not a git checkout (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const withCheckpoint = new Set(tracked.split('\n').flatMap((f) => /models\/([^/]+)\/training\/checkpoint\//.exec(f)?.[1] ?? []));
  for (const name of withCheckpoint)
    assert.ok(!existsSync(join(DIR, 'models', name, 'model.json')), `${name}: finished, but its checkpoint is still committed`);
});
