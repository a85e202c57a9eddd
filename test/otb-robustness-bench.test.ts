/**
 * `npm run bench -- --experiment tre|sre` end to end on generated JPEGs with real worker threads:
 * the run files land where eval reads them, each run starts where splitSeqTRE or shiftInitBB says,
 * and the report pools the runs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolkitBox } from '../src/core/types.ts';
import { ensureSynthetic } from '../src/synthetic/index.ts';
import { loadOtb } from '../src/benchmarks/otb/dataset/index.ts';
import { shiftInitBox, treStarts } from '../src/benchmarks/otb/metrics/robustness.ts';
import { runCli } from './helpers/cli.ts';
import { csvRows } from './helpers/files.ts';

let tmp = '';
let syn = '';

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'bench-tre-'));
  syn = join(tmp, 'synthetic');
  await ensureSynthetic(syn, { seed: 5, testSequences: 2, testFrames: 30, splits: ['test'] });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const rows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));

test("TRE: 20 runs per sequence from splitSeqTRE's starts, written as <seq>/<seq>_NNN.txt and scored pooled", async () => {
  const out = join(tmp, 'tre');
  const r = runCli('bench', [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    out,
    '--trackers',
    'static',
    '--experiment',
    'tre',
    '--concurrency',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const ds = await loadOtb('synthetic', join(syn, 'otb'));
  let frames = 0;
  for (const t of ds.targets) {
    const starts = treStarts(t.name, t.frames, t.groundTruth);
    // 30 frames leave 11 candidates: MATLAB's 1:11/19:11 has 18 values, plus the last: 19 runs, not 20.
    assert.equal(starts.length, 19);
    starts.forEach((s, k) => {
      const got = rows(join(out, 'raw', 'static', t.name, `${t.name}_${String(k + 1).padStart(3, '0')}.txt`));
      assert.equal(got.length, t.frames.length - s + 1, `${t.name} run ${k + 1}`);
      // The static tracker repeats its first box: the ground truth of the run's first frame.
      assert.deepEqual(got[got.length - 1], [...t.groundTruth[s - 1]]);
      frames += got.length;
    });
  }
  const summary = csvRows(join(out, 'summary.csv'))[0];
  assert.equal(Number(summary.frames), frames);
  assert.match(readFileSync(join(out, 'rules.txt'), 'utf8'), /experiment TRE/);
  // A folder run as TRE is not resumed as one-pass.
  const again = runCli('bench', ['--dataset', 'synthetic', '--root', syn, '--out', out, '--trackers', 'static']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /--experiment: .*otb-tre/);
});

test('SRE: 12 runs from the first frame, each starting from its shifted box', async () => {
  const out = join(tmp, 'sre');
  const r = runCli('bench', [
    '--dataset',
    'synthetic',
    '--root',
    syn,
    '--out',
    out,
    '--trackers',
    'static',
    '--experiment',
    'sre',
    '--concurrency',
    '2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const ds = await loadOtb('synthetic', join(syn, 'otb'));
  const t = ds.targets[0];
  const first = rows(join(out, 'raw', 'static', t.name, `${t.name}_001.txt`));
  const scale = rows(join(out, 'raw', 'static', t.name, `${t.name}_012.txt`));
  assert.equal(first.length, t.frames.length);
  // Synthetic frames are 256 x 256 (src/synthetic); within them no clamp applies to these boxes.
  const gt = toolkitBox([...t.groundTruth[0]] as [number, number, number, number]);
  assert.deepEqual(
    first[0],
    [...shiftInitBox(gt, 'left', 1e9, 1e9)].map((v) => Number(v.toFixed(3))),
  );
  assert.deepEqual(
    scale[0],
    [...shiftInitBox(gt, 'scale_12', 1e9, 1e9)].map((v) => Number(v.toFixed(3))),
  );
  assert.equal(Number(csvRows(join(out, 'summary.csv'))[0].frames), 12 * ds.targets.reduce((a, x) => a + x.frames.length, 0));
  const bad = runCli('bench', [
    '--dataset',
    'synthetic-vot',
    '--root',
    syn,
    '--out',
    join(tmp, 'x'),
    '--trackers',
    'static',
    '--experiment',
    'tre',
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--experiment tre: not an experiment of synthetic-vot \(baseline or unsupervised\)/);
});
