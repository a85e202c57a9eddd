import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  burnInMask,
  failureFrames,
  failureRate,
  meanOverRuns,
  nanMean,
  reliability,
  withBurnIn,
} from '../src/benchmarks/vot/metrics/accuracy.ts';
import { eaoFragments, eaoScore, expectedOverlapCurve, type EaoRunInput } from '../src/benchmarks/vot/metrics/eao.ts';
import { eaoRange, estimatedEaoRange } from '../src/benchmarks/vot/metrics/eao-range.ts';
import type { VotResultLine } from '../src/benchmarks/vot/results/types.ts';

const N = NaN;
const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const row = (r: Float64Array) => Array.from(r, (v) => (Number.isNaN(v) ? 'NaN' : Number(v.toFixed(12))));

test('burn-in leaves out the initialisation frame and the 9 after it, after every (re)initialisation', () => {
  const box = [0, 0, 1, 1];
  const lines: VotResultLine[] = [1, ...Array(14).fill(box), 2, 0, 0, 0, 0, 1, ...Array(12).fill(box)];
  const mask = burnInMask(lines, 10);
  assert.deepEqual(
    [...mask.keys()].filter((i) => mask[i]),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
  );
  // Accuracy over what is left: frames 10..14 at 0.5, 30..32 at 0.9 (codes are NaN anyway).
  const overlaps = lines.map((l, i) => (typeof l === 'number' ? NaN : i < 20 ? 0.5 : 0.9));
  close(nanMean(withBurnIn(overlaps, lines, 10)), (5 * 0.5 + 3 * 0.9) / 8);
  // A burn-in window running past the end simply stops there.
  assert.deepEqual([...burnInMask([box, box, 1, box], 10)], [0, 0, 1, 1]);
});

test('failures are the 2 lines; rate per 100 frames and reliability exp(-30 F/N)', () => {
  assert.deepEqual(failureFrames([1, [0, 0, 1, 1], 2, 0, 0, 0, 0, 1, 2, 0]), [2, 8]);
  close(failureRate(3, 600), 0.5);
  close(reliability(3, 600), Math.exp(-0.15));
});

test('repetitions are pooled frame by frame over the runs that have a value', () => {
  assert.deepEqual(
    row(
      meanOverRuns([
        [N, 0.4, 0.2],
        [N, 0.6, N],
      ]),
    ),
    ['NaN', 0.5, 0.2],
  );
});

// Two sequences of 6 frames. Run A fails at frame 3 (0-based) and restarts 2 frames later at 5;
// run B never fails.
const runA: EaoRunInput = { overlaps: [N, 1, 0.5, N, N, N], failures: [3], length: 6, weight: 1 };
const runB: EaoRunInput = { overlaps: [N, 0.6, 0.6, 0.6, 0.6, 0.6], failures: [], length: 6, weight: 1 };

test('fragments: the failed part runs to the restart frame and is padded with zeros; the rest with missing', () => {
  const fr = eaoFragments([runA, runB], 6, { skip: 2, cut: 'legacy' });
  assert.deepEqual(fr.rows.map(row), [
    [0, 1, 0.5, 0, 0, 0], // frames 0..5, NaN codes -> 0, zero padded
    [0, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN'], // from the restart frame 5 to the end
    ['NaN', 0.6, 0.6, 0.6, 0.6, 0.6], // a run without failure is kept as it is
  ]);
  assert.deepEqual(fr.weights, [1, 1, 1]);
});

test('EAO on a hand-made pair of runs', () => {
  const curve = expectedOverlapCurve(eaoFragments([runA, runB], 6, { skip: 2, cut: 'legacy' }), 6);
  // Phi(L) = mean over fragments reaching L of their mean on frames 2..L:
  // L=2: (1 + .6)/2 = .8; L=3: (.75 + .6)/2 = .675; L=4: (.5 + .6)/2 = .55; L=5: (.375 + .6)/2; L=6: (.3 + .6)/2.
  const want = [1, 0.8, 0.675, 0.55, 0.4875, 0.45];
  want.forEach((w, i) => close(curve[i], w));
  close(eaoScore(curve, 2, 4), (0.8 + 0.675 + 0.55) / 3);
  close(eaoScore(curve, 1, 100), want.reduce((a, b) => a + b) / 6);
});

test('legacy and pysot differ when a failure falls exactly `skip` frames before the end', () => {
  const runC: EaoRunInput = { overlaps: [N, 0.9, 0.9, 0.9, N, N], failures: [4], length: 6, weight: 1 };
  const legacy = eaoFragments([runC], 8, { skip: 2, cut: 'legacy' });
  const pysot = eaoFragments([runC], 8, { skip: 2, cut: 'pysot' });
  // Legacy: restart frame 6 is outside the sequence, so the run is one tail ending in "missing".
  assert.deepEqual(legacy.rows.map(row), [[0, 0.9, 0.9, 0.9, 0, 0, 'NaN', 'NaN']]);
  // pysot: 4 + 2 <= 6 cuts it; the failed part is padded with zeros, the empty tail weighs 0. pysot's
  // weight of the cut part is (frames of tags[0:7], clipped to 6) / (6 - 0 + 1) = 6/7.
  assert.deepEqual(pysot.rows.map(row), [[0, 0.9, 0.9, 0.9, 0, 0, 0, 0], Array(8).fill('NaN')]);
  assert.deepEqual(pysot.weights, [6 / 7, 0]);
  assert.ok(Number.isNaN(expectedOverlapCurve(legacy, 8)[6]));
  close(expectedOverlapCurve(pysot, 8)[6], 2.7 / 6);
});

test('fragment weights: 1/runs per sequence, times the share of tagged frames', () => {
  const twice = [
    { ...runB, weight: 0.5 },
    { ...runB, weight: 0.5 },
  ];
  const fr = eaoFragments([...twice, runA], 6, { skip: 2, cut: 'legacy' });
  assert.deepEqual(fr.weights, [0.5, 0.5, 1, 1]);
  // With a tag on frames 0..2 only: A's first fragment (frames 0..5) holds 3 of 6 tagged frames, its
  // tail (frame 5) none; B (no failure) 3 of its 6 frames.
  const tag = [1, 1, 1, 0, 0, 0];
  const tagged = eaoFragments(
    [
      { ...runA, tag },
      { ...runB, tag },
    ],
    6,
    { skip: 2, cut: 'legacy' },
  );
  assert.deepEqual(tagged.weights, [0.5, 0, 0.5]);
  // Phi(2) weighs A's first fragment (1.0) and B (0.6) equally; the tail has weight 0.
  close(expectedOverlapCurve(tagged, 6)[1], 0.8);
});

test('EAO intervals: published per year, estimated for other datasets', () => {
  assert.deepEqual(eaoRange('VOT2019', []), { low: 46, high: 291, source: 'published VOT2019 interval' });
  assert.equal(eaoRange('vot2017', []).low, 100);
  assert.equal(eaoRange('VOT2018', []).high, 356);
  assert.deepEqual([eaoRange('VOT2016', []).low, eaoRange('VOT2015', []).high], [108, 371]);
  const r = estimatedEaoRange([100, 100, 100, 100]);
  assert.ok(r.low <= 100 && r.high >= 100 && r.low > 50, JSON.stringify(r));
  const spread = estimatedEaoRange([50, 100, 150, 200, 250, 300, 350]);
  assert.ok(spread.low > 1 && spread.high < 350 && spread.low < spread.high, JSON.stringify(spread));
});
