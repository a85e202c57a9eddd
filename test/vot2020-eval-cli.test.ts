import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVot2020 } from '../src/benchmarks/vot2020/dataset/layout.ts';
import { runFrames } from '../src/benchmarks/vot2020/eval/multistart.ts';
import {
  multistartName,
  readTrajectory,
  repetitionName,
  trajectoryBase,
  writeTrajectory,
} from '../src/benchmarks/vot2020/results/files.ts';
import { parseRegion } from '../src/benchmarks/vot2020/regions/text.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { csvRows, tempDir } from './helpers/files.ts';
import { anchorValues, writeVot2020Fixture } from './helpers/vot2020-fixture.ts';

// A 30-frame sequence with a 10 x 10 mask target; anchors at 0 (forward) and 29 (backward).
const N = 30;
const box = (f: number) => `${10 + f},20,10,10`;
const gtMask = (f: number) => `m${10 + f},20,10,10,0,100`;

async function writeRuns(results: string, tracker: string, line: (f: number) => string) {
  for (const [a, d] of [
    [0, 'forward'],
    [29, 'backward'],
  ] as const) {
    const regions = runFrames(N, a, d).map((f, k) => parseRegion(k === 0 ? '1' : line(f)));
    await writeTrajectory(trajectoryBase(results, tracker, 'baseline', 'seq', multistartName('seq', a)), regions);
  }
  const regions = Array.from({ length: N }, (_, f) => parseRegion(f === 0 ? '1' : line(f)));
  await writeTrajectory(trajectoryBase(results, tracker, 'unsupervised', 'seq', repetitionName('seq', 1)), regions);
}

test('eval --dataset VOT2022 scores multistart and unsupervised results as the toolkit does', async (t) => {
  const dir = tempDir(t, 'vot2020-cli-');
  const data = join(dir, 'data'),
    results = join(dir, 'results'),
    out = join(dir, 'out');
  writeVot2020Fixture(data, [
    { name: 'seq', groundtruth: Array.from({ length: N }, (_, f) => gtMask(f)), anchor: anchorValues(N, [0], [29]) },
  ]);
  await writeRuns(results, 'perfect', box);
  // lost from frame 15 on in the forward run and in the unsupervised run; the backward run starts lost
  await writeRuns(results, 'lost', (f) => (f < 15 ? box(f) : '70,70,5,5'));
  const r = runCli('eval', ['--dataset', 'vot-2022', '--root', data, '--results', results, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const rows = Object.fromEntries(csvRows(join(out, 'summary.csv')).map((x) => [x.tracker, x]));
  // perfect: 58 ones over 60 lines, never fails; unsupervised: frame 0 skipped, 29 ones
  assert.equal(Number(rows.perfect.accuracy), Number((58 / 60).toFixed(6)));
  assert.equal(Number(rows.perfect.robustness), 1);
  assert.equal(Number(rows.perfect.unsupervised_accuracy), 1);
  // lost: forward run fails at 15 (14 ones), the backward run (frames 29..0) fails at its anchor
  assert.equal(Number(rows.lost.accuracy), Number((14 / 15).toFixed(6)));
  assert.equal(Number(rows.lost.robustness), 15 / 60);
  assert.equal(Number(rows.lost.unsupervised_accuracy), Number((14 / 29).toFixed(6)));
  // a 30-frame sequence cannot reach lengths 115..754
  assert.equal(Number(rows.perfect.eao), 0);
  for (const f of ['sequences.csv', 'eao_curve.csv', 'eao_curve.png', 'ar_plot.png', 'rules.txt', 'warnings.txt'])
    assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, 'rules.txt'), 'utf8'), /10 bad lines in a row/);
});

test('a run siambench writes reads back identically', async (t) => {
  const dir = tempDir(t, 'vot2020-rt-');
  const regions = ['1', 'm3,4,3,2,1,2,1,1,1', '0.1,2.25,3.5,4', '1,1,5,1,3,4', '0', 'nan,nan,nan,nan', '2'].map(parseRegion);
  const base = join(dir, 'run');
  await writeTrajectory(base, regions, { confidence: [NaN, 0.5, 0.25, 1, 0, 0, 0] });
  assert.deepEqual(readTrajectory(`${base}.txt`, regions.length), regions);
  assert.equal(readFileSync(`${base}_confidence.value`, 'utf8'), '\n0.5\n0.25\n1\n0\n0\n0\n');
});

test('eval VOT2020+: a missing run is a warning naming the file; no results at all a one-line error', async (t) => {
  const dir = tempDir(t, 'vot2020-cli-');
  const data = join(dir, 'data'),
    results = join(dir, 'results');
  writeVot2020Fixture(data, [
    { name: 'seq', groundtruth: Array.from({ length: N }, (_, f) => gtMask(f)), anchor: anchorValues(N, [0], [29]) },
  ]);
  await writeRuns(results, 'perfect', box);
  const ds = await loadVot2020('VOT2022', data);
  assert.equal(ds.sequences.length, 1);
  const only = runCli('eval', ['--dataset', 'VOT2022', '--root', data, '--results', join(dir, 'data'), '--out', join(dir, 'o1')]);
  assertOneLineError(only, /no tracker in .* has baseline\/realtime\/unsupervised results for VOT2022/);
  const partial = join(dir, 'partial');
  await writeTrajectory(
    trajectoryBase(partial, 'half', 'baseline', 'seq', multistartName('seq', 0)),
    runFrames(N, 0, 'forward').map((f) => parseRegion(box(f))),
  );
  await writeRuns(partial, 'perfect', box);
  const r = runCli('eval', ['--dataset', 'VOT2022', '--root', data, '--results', partial, '--out', join(dir, 'o2')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(dir, 'o2', 'warnings.txt'), 'utf8'), /half: baseline: not scored: .*seq_00000029\.txt: missing/);
});
