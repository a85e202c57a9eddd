import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { real, SKIP_REALDATA } from './helpers/realdata.ts';

const runEval = (args: string[]) => runCli('eval', args);

const oneLineError = assertOneLineError;

test('eval on real OTB100 results writes summary.csv and warnings.txt and prints the rules', { skip: SKIP_REALDATA }, () => {
  const out = mkdtempSync(join(tmpdir(), 'eval-cli-'));
  try {
    const r = runEval([
      '--dataset',
      'OTB100',
      '--root',
      real('otb', 'OTB100.json'),
      '--results',
      real('results', 'OTB100', 'otb-toolkit'),
      '--trackers',
      'KCF,Staple',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KCF/);
    assert.match(r.stdout, /convention otb/);
    assert.match(r.stdout, /pixel-inclusive/);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split(/\r?\n/);
    const header = csv[0].split(',');
    for (const col of ['tracker', 'success_auc', 'precision_20', 'norm_precision_20', 'op50', 'op75', 'sequences', 'frames']) {
      assert.ok(header.includes(col), `summary.csv has ${col}: ${csv[0]}`);
    }
    assert.equal(csv.length, 3); // header + 2 trackers
    const kcf = csv.map((l) => l.split(',')).find((row) => row[header.indexOf('tracker')] === 'KCF')!;
    assert.equal(Number(kcf[header.indexOf('success_auc')]).toFixed(3), '0.477');
    assert.equal(Number(kcf[header.indexOf('precision_20')]).toFixed(3), '0.696');
    assert.equal(kcf[header.indexOf('sequences')], '100');
    assert.ok(existsSync(join(out, 'warnings.txt')));
    assert.match(readFileSync(join(out, 'warnings.txt'), 'utf8'), /^# OTB100, convention otb/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('bad input ends in one line on stderr and a non-zero exit', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'eval-cli-bad-'));
  try {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const base = ['--results', empty, '--out', join(tmp, 'out')];
    oneLineError(runEval(['--dataset', 'OTB99', '--root', tmp, ...base]), /--dataset: unknown dataset 'OTB99'/);
    oneLineError(runEval(['--dataset', 'OTB100', '--root', join(tmp, 'nope'), ...base]), /--root: no such file or directory/);
    oneLineError(
      runEval(['--dataset', 'OTB100', '--root', tmp, '--convention', 'matlab', ...base]),
      /--convention: unknown convention 'matlab'/,
    );
    oneLineError(runEval(['--dataset', 'OTB100', '--root', tmp, ...base]), /--results: no tracker folders/);
    oneLineError(runEval(['--dataset', 'OTB100', '--root', tmp]), /required option/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
