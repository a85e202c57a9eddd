/**
 * One registry of dataset and convention names: every command takes the same names and aliases,
 * and says the same thing about a name it does not know.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONVENTIONS, DATASETS, datasetChoices, findDataset, resolveConvention, resolveDataset } from '../src/benchmarks/registry/index.ts';
import { otbDatasetName } from '../src/benchmarks/otb/dataset/index.ts';
import { benchDatasetKind } from '../src/runner/bench-dataset.ts';
import { votDatasetName } from '../src/cli/eval-vot.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';

test('aliases users type name the canonical dataset, whatever the case and separators', () => {
  const cases: [string, string][] = [
    ['OTB2015', 'OTB100'],
    ['otb-2015', 'OTB100'],
    ['tb100', 'OTB100'],
    ['OTB_100', 'OTB100'],
    ['cvpr13', 'OTB2013'],
    ['TB-50', 'OTB50'],
    ['vot2018', 'VOT2018'],
    ['VOT-2016', 'VOT2016'],
    ['Synthetic', 'synthetic'],
    ['SYNTHETIC-VOT', 'synthetic-vot'],
    ['UAV123@10fps', 'UAV123-10fps'],
    ['uav123_10fps', 'UAV123-10fps'],
    ['TColor-128', 'TC128'],
    ['lasot_extension_subset', 'LaSOT-ext'],
  ];
  for (const [typed, canonical] of cases) assert.equal(findDataset(typed)?.name, canonical, typed);
  assert.equal(findDataset('OTB99'), undefined);
  // Every name and alias is one dataset's only.
  const keys = DATASETS.flatMap((d) => [d.name, ...d.aliases]).map((n) => n.toLowerCase().replace(/[^a-z0-9]/g, ''));
  assert.equal(new Set(keys).size, keys.length);
});

test('the loaders, the bench and eval share the registry', () => {
  assert.equal(otbDatasetName('OTB2015'), 'OTB100');
  assert.equal(otbDatasetName('VOT2018'), undefined);
  assert.deepEqual(benchDatasetKind('otb2015'), { name: 'OTB100', kind: 'otb' });
  assert.deepEqual(benchDatasetKind('synthetic-vot'), { name: 'synthetic-vot', kind: 'vot' });
  assert.equal(votDatasetName('vot2014'), 'VOT2014');
  assert.equal(votDatasetName('my-vot-set'), 'my-vot-set'); // a VOT-layout set of one's own
  // VOT2020+ is a family of its own (eval routes it to src/benchmarks/vot2020/), not a legacy VOT set
  assert.throws(() => votDatasetName('VOT2021'), /--dataset: VOT2021 is not available here/);
  assert.equal(findDataset('vot2022-stb')?.family, 'vot2020');
  assert.equal(resolveDataset('VOT2022LT').name, 'VOT2022-LT');
  assert.throws(() => votDatasetName('VOT2012'), /--dataset: unknown dataset 'VOT2012'/);
  // bench runs trackers on VOT2016..2019 and VOT2020+ only; the older sets can be scored from results.
  assert.throws(
    () => benchDatasetKind('VOT2014'),
    /--dataset: VOT2014 is not available here \(expected synthetic, synthetic-vot, synthetic-vot2020, OTB2013, OTB50, OTB100, VOT2016, .*, VOT2019, VOT2020, VOT2021, VOT2022, VOT2022-STB, VOT2022-LT;/,
  );
  assert.deepEqual(benchDatasetKind('synthetic-vot2020'), { name: 'synthetic-vot2020', kind: 'vot2020' });
  assert.throws(
    () => resolveDataset('OTB99', { family: 'otb' }),
    /--dataset: unknown dataset 'OTB99' \(expected synthetic, OTB2013, OTB50, OTB100, .*; CVPR13 = OTB2013; TB50 = OTB50; OTB2015, TB100 = OTB100; /,
  );
  assert.match(datasetChoices({ family: 'otb' }), /OTB100 \(also OTB2015, TB100\)/);
});

test('conventions come from the rule tables, the first the default; unknown names are one-line errors', () => {
  assert.deepEqual(CONVENTIONS, {
    otb: ['otb', 'pysot', 'got10k', 'lasot', 'lasot-all-frames', 'lasot-kept-frames', 'pytracking'],
    vot: ['legacy', 'pysot'],
    vot2020: ['vot-toolkit'],
  });
  assert.equal(resolveConvention('otb', undefined), 'otb');
  // Each dataset's default is its own toolkit's rule; a named convention still wins.
  assert.equal(resolveConvention('otb', undefined, '--convention', 'lasot-test'), 'lasot');
  assert.equal(resolveConvention('otb', 'pysot', '--convention', 'LaSOT'), 'pysot');
  assert.equal(resolveConvention('otb', undefined, '--convention', 'OTB100'), 'otb');
  assert.equal(resolveConvention('vot', undefined), 'legacy');
  assert.equal(resolveConvention('vot', 'pysot'), 'pysot');
  assert.throws(() => resolveConvention('vot', 'otb'), /--convention: unknown convention 'otb' for VOT \(expected legacy, pysot\)/);
});

test('eval takes OTB2015 as OTB100 (it used to reject the alias the loader accepted)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'registry-'));
  try {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    // Past the dataset check, the empty results folder is the error: the alias was accepted.
    assertOneLineError(
      runCli('eval', ['--dataset', 'OTB2015', '--root', tmp, '--results', empty, '--out', join(tmp, 'out')]),
      /--results: no tracker folders/,
    );
    assertOneLineError(
      runCli('eval', ['--dataset', 'OTB99', '--root', tmp, '--results', empty, '--out', join(tmp, 'out')]),
      /--dataset: unknown dataset 'OTB99'/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
