import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MomentumSgd } from '../src/training/sgd.ts';
import { foldBatchStatistics } from '../src/training/moving-stats.ts';
import { geometricLr } from '../src/training/schedule.ts';
import type { BatchStats, ParamArray } from '../src/training/trainable.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
const arr = (...v: number[]): ParamArray => ({ shape: [v.length], data: Float32Array.from(v) });

test('geometric schedule: start in the first epoch, end in the last, evenly in log space', () => {
  close(geometricLr(0, 50, 1e-2, 1e-5), 1e-2);
  close(geometricLr(49, 50, 1e-2, 1e-5), 1e-5);
  close(geometricLr(1, 4, 1e-2, 1e-5), 1e-3);
  close(geometricLr(0, 1, 1e-2, 1e-5), 1e-2);
  assert.throws(() => geometricLr(0, 3, 0, 1e-5), /--lr: learning rates must be positive/);
});

test('SGD: momentum and weight decay on weights only, hand-computed over two steps, in place', () => {
  const params = new Map([
    ['w', arr(1, -2)],
    ['b', arr(0.5)],
    ['bn1/mean', arr(7)],
  ]);
  const w = params.get('w')!.data;
  const sgd = new MomentumSgd(params, ['w', 'b'], { momentum: 0.9, weightDecay: 0.1 }, (n) => n === 'w');
  assert.deepEqual([...sgd.velocity.keys()], ['w', 'b']);
  const grads = () =>
    new Map([
      ['w', Float32Array.from([0.5, 0.5])],
      ['b', Float32Array.from([1])],
    ]);
  sgd.step(grads(), 0.1);
  // v_w = g + 0.1 w = [0.6, 0.3]; w = [0.94, -2.03]. v_b = 1; b = 0.4.
  assert.equal(params.get('w')!.data, w, 'updated in the array the engine reads');
  close(w[0], 0.94);
  close(w[1], -2.03);
  close(params.get('b')!.data[0], 0.4);
  sgd.step(grads(), 0.1);
  // v_w = 0.9 [0.6, 0.3] + [0.5 + 0.094, 0.5 - 0.203] = [1.134, 0.567]; v_b = 0.9 + 1 = 1.9.
  close(w[0], 0.94 - 0.1134);
  close(w[1], -2.03 - 0.0567);
  close(params.get('b')!.data[0], 0.4 - 0.19);
  close(sgd.velocity.get('b')![0], 1.9);
  assert.equal(params.get('bn1/mean')!.data[0], 7, "state is not the optimiser's");
  assert.throws(() => sgd.step(new Map([['bn1/mean', Float32Array.from([1])]]), 0.1), /gradient for unknown parameter bn1\/mean/);
  assert.throws(() => sgd.step(new Map([['w', Float32Array.from([1])]]), 0.1), /gradient of w has 1 values for 2 weights/);
});

test('moving statistics: cumulative average first, then momentum; exemplar branch before search branch; unbiased variance', () => {
  const params = new Map([
    ['bn1/mean', arr(0, 10)],
    ['bn1/variance', arr(1, 1)],
    ['bn/updates', { shape: [], data: Float32Array.from([0]) }],
  ]);
  const stats = (mean: number[], variance: number[], count: number): Map<string, BatchStats> =>
    new Map([['bn1', { mean: Float32Array.from(mean), variance: Float32Array.from(variance), count }]]);
  // Step 1: z with m = 1/(0+1) = 1 replaces the initial values; x with m = 1/2 averages with z.
  foldBatchStatistics(params, { z: stats([2, 4], [3, 6], 4), x: stats([4, 8], [1.5, 3], 5) }, 0.05);
  const mean = params.get('bn1/mean')!.data;
  const variance = params.get('bn1/variance')!.data;
  close(mean[0], 3);
  close(mean[1], 6);
  // Unbiased: 3 x 4/3 = 4 and 1.5 x 5/4 = 1.875; their average 2.9375. Channel 2: 8 and 3.75.
  close(variance[0], 2.9375);
  close(variance[1], 5.875);
  assert.equal(params.get('bn/updates')!.data[0], 2);
  // With momentum 0.3: z at updates = 2 folds with m = 1/3 (still above 0.3), x at updates = 3
  // with m = 0.3 (1/4 is below it).
  foldBatchStatistics(params, { z: stats([3, 6], [0, 0], 2), x: stats([3, 6], [0, 0], 2) }, 0.3);
  close(mean[0], 3);
  const v2 = 2.9375 * (2 / 3) * 0.7;
  close(variance[0], v2, 1e-5);
  // updates = 4: m = max(0.3, 1/5) = 0.3 for z, and again 0.3 for x (1/6 < 0.3).
  foldBatchStatistics(params, { z: stats([13, 6], [2, 0], 1), x: stats([3, 6], [0, 0], 1) }, 0.3);
  close(mean[0], (3 * 0.7 + 13 * 0.3) * 0.7 + 3 * 0.3, 1e-5);
  close(mean[1], 6, 1e-5);
  assert.equal(params.get('bn/updates')!.data[0], 6);
  // A count of one has no unbiased variance: the factor is 1/max(1, 0), the variance itself.
  close(variance[0], (v2 * 0.7 + 2 * 0.3) * 0.7, 1e-5);
});

test('moving statistics: a network without batch norm has nothing to fold', () => {
  const params = new Map([['conv/w', arr(1, 2)]]);
  foldBatchStatistics(params, { z: new Map(), x: new Map() }, 0.05);
  assert.deepEqual([...params.get('conv/w')!.data], [1, 2]);
});
