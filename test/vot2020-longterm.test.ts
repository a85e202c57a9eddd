import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { overlap } from '../src/benchmarks/vot2020/regions/raster.ts';
import { parseRegion } from '../src/benchmarks/vot2020/regions/text.ts';
import { summarisePR, thresholds, trajectoryPR } from '../src/benchmarks/vot2020/metrics/longterm.ts';
import { trajectoryAccuracy } from '../src/benchmarks/vot2020/metrics/unsupervised.ts';
import { Rng } from '../src/core/random.ts';
import { join } from 'node:path';
import { loadVot2020 } from '../src/benchmarks/vot2020/dataset/layout.ts';
import { evaluateLongterm } from '../src/benchmarks/vot2020/eval/single-run.ts';
import { repetitionName, trajectoryBase, writeTrajectory } from '../src/benchmarks/vot2020/results/files.ts';
import { tempDir } from './helpers/files.ts';
import { writeVot2020Fixture } from './helpers/vot2020-fixture.ts';

const IMAGE = { width: 100, height: 100 };
const A = '10,10,20,20';
const FAR = '70,70,5,5';

function scored(gt: string[], pred: string[]) {
  const g = gt.map((t) => parseRegion(t)),
    p = pred.map((t) => parseRegion(t));
  return { g, p, overlaps: p.map((r, i) => overlap(r, g[i], IMAGE)), present: g.map((r) => (r.type === 'special' ? 0 : 1)) };
}

test('long-term P, R, F by hand: absent against an empty prediction scores 1', () => {
  const { overlaps, present } = scored([A, A, 'nan,nan,nan,nan', A], ['1', A, '0', FAR]);
  assert.deepEqual(overlaps, [0, 1, 1, 0]);
  const conf = [NaN, 0.9, 0.8, 0.2];
  const taus = thresholds(conf);
  assert.deepEqual(taus, [Infinity, 0.9, 0.8, 0.2, -Infinity]);
  const pr = trajectoryPR(overlaps, conf, present, taus);
  // none selected: P 1, R 0; then frames {1}, {1,2}, {1,2,3}, all four (the init line's missing confidence is 0)
  assert.deepEqual(pr.precision, [1, 1, 1, 2 / 3, 2 / 4]);
  assert.deepEqual(pr.recall, [0, 1 / 3, 2 / 3, 2 / 3, 2 / 3]);
  const s = summarisePR([pr]);
  assert.deepEqual([s.precision, s.recall, s.f], [1, 2 / 3, 0.8]);
});

test('long-term recall can exceed 1: a silent tracker while the target is absent', () => {
  const { overlaps, present } = scored([A, 'nan,nan,nan,nan', 'nan,nan,nan,nan', 'nan,nan,nan,nan'], ['1', '0', '0', '0']);
  const conf = [NaN, 1, 1, 1];
  const pr = trajectoryPR(overlaps, conf, present, thresholds(conf));
  assert.deepEqual([pr.precision[1], pr.recall[1]], [1, 3]);
});

test('more than 98 confidences: 98 thresholds at round(linspace(delta, n - delta, 98)), half to even', () => {
  const rng = new Rng(3);
  for (const n of [99, 250, 1000, 4321]) {
    const conf = Array.from({ length: n }, () => Math.round(rng.next() * 1e6) / 1e6);
    const taus = thresholds(conf);
    assert.equal(taus.length, 100);
    const sorted = [...conf].sort((a, b) => b - a);
    const py = spawnSync(
      'python3',
      ['-c', `import numpy as np; d=${n}//98; print(' '.join(str(int(i)) for i in np.round(np.linspace(d, ${n}-d, 98))))`],
      {
        encoding: 'utf8',
      },
    );
    if (py.status !== 0) {
      console.log('# numpy (python3-numpy) not available: indices not checked against it');
      return;
    }
    const idx = py.stdout.trim().split(' ').map(Number);
    assert.deepEqual(
      taus.slice(1, -1),
      idx.map((i) => sorted[i]),
      `n = ${n}`,
    );
  }
});

test('unsupervised accuracy skips unknown ground truth, unknown predictions and the initialisation', () => {
  const { g, p, overlaps } = scored([A, A, A, 'nan,nan,nan,nan', A], ['1', A, '0', A, FAR]);
  // frame 0 init (burn-in 1), frame 2 prediction unknown, frame 3 ground truth unknown: (1 + 0) / 2
  assert.equal(trajectoryAccuracy(g, p, overlaps), 0.5);
  // nothing left: 0
  assert.equal(trajectoryAccuracy(g.slice(0, 1), p.slice(0, 1), overlaps), 0);
});

test('long-term from files: <seq>_001.txt and its confidence file, scored as by hand above', async (t) => {
  const dir = tempDir(t, 'vot2020-lt-');
  writeVot2020Fixture(join(dir, 'data'), [{ name: 'seq', groundtruth: [A, A, 'nan,nan,nan,nan', A] }]);
  const ds = await loadVot2020('VOT2022-LT', join(dir, 'data'));
  const base = trajectoryBase(join(dir, 'results'), 'lt', 'longterm', 'seq', repetitionName('seq', 1));
  await writeTrajectory(
    base,
    ['1', A, '0', FAR].map((x) => parseRegion(x)),
    { confidence: [NaN, 0.9, 0.8, 0.2] },
  );
  const r = evaluateLongterm(ds.sequences, join(dir, 'results'), 'lt', 'longterm');
  assert.deepEqual([r.precision, r.recall, r.f], [1, 2 / 3, 0.8]);
});
