import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli } from './helpers/cli.ts';

/**
 * `npm run regress` on the real regression set with the real committed models: a baseline made from
 * a run passes against that run, and fails when a metric in the baseline or a model file is changed.
 */
let tmp = '';
let baseline = '';
let firstRun = '';

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'regress-'));
  baseline = join(tmp, 'baseline.json');
  firstRun = join(tmp, 'run1');
  const r = runCli('regress', ['--update', '--baseline', baseline, '--out', firstRun]);
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a baseline passes against the run it was made from', () => {
  const r = runCli('regress', ['--baseline', baseline, '--results', firstRun]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /regression check passed/);
  assert.match(r.stdout, /siamfc\s+overall\s+success_auc\s+\d\.\d{4}\s+\d\.\d{4}\s+\+0\.0000\s+ok/);
});

test('a metric perturbed in the baseline beyond the tolerance fails, naming it', () => {
  const b = JSON.parse(readFileSync(baseline, 'utf8'));
  b.metrics['siamfc-gs'].overall.precision_20 += 0.02;
  const perturbed = join(tmp, 'perturbed.json');
  writeFileSync(perturbed, JSON.stringify(b));
  const r = runCli('regress', ['--baseline', perturbed, '--results', firstRun]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /siamfc-gs\s+overall\s+precision_20\s+\d\.\d{4}\s+\d\.\d{4}\s+-0\.0200\s+REGRESSED/);
  assert.equal(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('error:')).length,
    1,
  );
  assert.match(r.stderr, /error: regression: 1 metric\(s\) moved more than 0\.01/);
  // Within a wider tolerance the same change passes: the tolerance is what decides.
  assert.equal(runCli('regress', ['--baseline', perturbed, '--results', firstRun, '--tolerance', '0.03']).code, 0);
});

test('a perturbed model file fails: its fingerprint and its scores both change', () => {
  const models = join(tmp, 'models');
  cpSync(join(REPO, 'models'), models, { recursive: true });
  const weights = join(models, 'siamfc', 'weights.bin');
  writeFileSync(weights, Buffer.alloc(readFileSync(weights).length)); // every weight zero
  const r = runCli('regress', ['--baseline', baseline, '--out', join(tmp, 'run2')], { SIAMBENCH_MODELS: models });
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /model files changed: siamfc\b/);
  assert.match(r.stderr, /metric\(s\) moved more than 0\.01/);
  assert.match(r.stdout, /siamfc\s+overall\s+success_auc\s+.*REGRESSED/);
  assert.match(r.stdout, /siamfc-gs\s+same as baseline/);
});
