import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  DEFAULT_LOSS_SETTINGS,
  balancedLogisticLoss,
  globalSimilarityLoss,
  labelMap,
  lossFunction,
  rankingLoss,
  type LossSettings,
} from '../src/trackers/siamfc/losses.ts';

await tf.setBackend('cpu');

// 5x5 maps with a one-cell radius: positives are the centre and its 4 neighbours (5), 20 negatives.
const SMALL: LossSettings = { ...DEFAULT_LOSS_SETTINGS, labels: { radiusPx: 8, stride: 8 } };
const POS = new Set([7, 11, 12, 13, 17]);

function map(pos: number[] | number, neg: number[] | number): tf.Tensor3D {
  const v = new Float32Array(25);
  let ip = 0;
  let ineg = 0;
  for (let c = 0; c < 25; c++) {
    if (POS.has(c)) v[c] = Array.isArray(pos) ? pos[ip++] : pos;
    else v[c] = Array.isArray(neg) ? neg[ineg++] : neg;
  }
  return tf.tensor3d(v, [1, 5, 5]);
}

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const value = (t: tf.Scalar) => t.dataSync()[0];
const sp = (t: number) => Math.log(1 + Math.exp(t));

test('labels: 13 positives and 212 negatives on the 15x15 training map', () => {
  const m = labelMap(15, 15, DEFAULT_LOSS_SETTINGS.labels);
  assert.equal(m.filter((v) => v > 0).length, 13);
  assert.equal(m.filter((v) => v < 0).length, 212);
  assert.equal(m[7 * 15 + 7], 1);
  assert.equal(m[7 * 15 + 9], 1);
  assert.equal(m[8 * 15 + 9], -1); // sqrt(5) > 2
  const small = labelMap(5, 5, SMALL.labels);
  assert.deepEqual(
    [...small.keys()].filter((c) => small[c] > 0),
    [...POS],
  );
});

test('balanced logistic loss: hand-computed values', () => {
  close(value(balancedLogisticLoss(map(0, 0), SMALL)), Math.log(2));
  close(value(balancedLogisticLoss(map(3, -3), SMALL)), sp(-3));
  const neg = new Array(20).fill(-1);
  neg[4] = 1;
  const want = 0.5 * sp(-2) + (0.5 * (19 * sp(-1) + sp(1))) / 20;
  close(value(balancedLogisticLoss(map(2, neg), SMALL)), want);
  // Batch mean: the two maps above together.
  const both = tf.concat([map(0, 0), map(3, -3)]);
  close(value(balancedLogisticLoss(both, SMALL)), (Math.log(2) + sp(-3)) / 2);
});

test('global similarity loss on raw scores: variance, mean-gap and hardest-pair terms', () => {
  const logits: LossSettings = { ...SMALL, global: { ...SMALL.global, scores: 'logits' } };
  const neg = new Array(20).fill(0);
  neg[3] = 0.5;
  // var+ 0, var- = 0.25/20 - 0.025^2, means far apart, hardest pair separated: only var- remains.
  close(value(globalSimilarityLoss(map(1, neg), logits)), 0.0125 - 0.000625);
  // var+ 0.04, mean gap 0.05 short of delta, hardest negative 0.35 vs hardest positive 0.3.
  const hard = map([0.3, 0.3, 0.3, 0.3, 0.8], 0.35);
  close(value(globalSimilarityLoss(hard, logits)), 0.04 + 0.05 + 0.15);
  const weighted: LossSettings = { ...logits, global: { ...logits.global, eta: 2, lambda: 3 } };
  close(value(globalSimilarityLoss(hard, weighted)), 0.04 + 3 * 0.05 + 2 * 0.15);
  // Added to the logistic loss: the two values, the logistic one weighted.
  const plus: LossSettings = { ...logits, global: { ...logits.global, logisticWeight: 0.5 } };
  close(value(globalSimilarityLoss(hard, plus)), 0.04 + 0.05 + 0.15 + 0.5 * value(balancedLogisticLoss(hard, SMALL)));
});

test('global similarity loss with a soft maximum over the hardest few: hand-computed log-sum-exp', () => {
  const logits: LossSettings = { ...SMALL, global: { ...SMALL.global, scores: 'logits' } };
  const soft = (tau: number): LossSettings => ({ ...logits, global: { ...logits.global, hard: 'softmax', tau } });
  const hard = map([0.3, 0.3, 0.3, 0.3, 0.8], 0.35);
  for (const tau of [0.05, 0.2]) {
    // 20 negatives at 0.35: tau log(20 e^(0.35/tau)) = 0.35 + tau ln 20; positives 4 x 0.3 and 0.8:
    // -tau log(4 e^(-0.3/tau) + e^(-0.8/tau)) = 0.3 - tau ln(4 + e^(-0.5/tau)).
    const softNeg = 0.35 + tau * Math.log(20);
    const softPos = 0.3 - tau * Math.log(4 + Math.exp(-0.5 / tau));
    close(value(globalSimilarityLoss(hard, soft(tau))), 0.04 + 0.05 + Math.max(0, softNeg - softPos + 0.1));
  }
  // Well separated maps: the soft extremes sit within tau ln n of the hard ones, so a small tau
  // leaves the hinge at 0 as the hardest pair does.
  close(value(globalSimilarityLoss(map(1, 0), soft(0.01))), 0);
  // 'max' (or absent) is the hardest pair, unchanged.
  close(value(globalSimilarityLoss(hard, { ...logits, global: { ...logits.global, hard: 'max' } })), 0.04 + 0.05 + 0.15);
});

test('global similarity loss: sigmoid scores by default, per-map or pooled statistics', () => {
  // All scores 0.5: no variance, the whole delta and alpha are missing.
  close(value(globalSimilarityLoss(map(0, 0), SMALL)), 0.1 + 0.1);
  const raw: LossSettings = { ...SMALL, global: { ...SMALL.global, scores: 'logits' } };
  const batch = tf.concat([map(1, 0), map(0, 1)]);
  close(value(globalSimilarityLoss(batch, raw)), (0 + 2.2) / 2);
  const pooled: LossSettings = { ...raw, global: { ...raw.global, pooling: 'batch' } };
  close(value(globalSimilarityLoss(batch, pooled)), 0.25 + 0.25 + 0.1 + 1.1);
});

test('ranking loss: mean over all positive/negative pairs', () => {
  close(value(rankingLoss(map(1, 0), SMALL)), sp(-1));
  const neg = new Array(20).fill(0);
  neg[0] = 2;
  // Each of the 5 positives (value 1) against 19 negatives at 0 and one at 2.
  close(value(rankingLoss(map(1, neg), SMALL)), (19 * sp(-1) + sp(1)) / 20);
});

for (const name of ['logistic', 'global', 'ranking'] as const) {
  test(`${name} loss: finite gradients that raise positives, lower negatives and reduce the loss`, () => {
    const loss = lossFunction(name, SMALL);
    const neg = Array.from({ length: 20 }, (_, i) => ((i * 7) % 5) / 10 - 0.1);
    const start = map([0.2, -0.1, 0, 0.3, 0.1], neg);
    const v = tf.variable(start);
    const { value: l0, grads } = tf.variableGrads(() => loss(v), [v]);
    const g = grads[v.name].dataSync();
    assert.ok(g.every(Number.isFinite));
    let posSum = 0;
    let negSum = 0;
    for (let c = 0; c < 25; c++) {
      if (POS.has(c)) posSum += g[c];
      else negSum += g[c];
    }
    assert.ok(posSum < 0, `positives' gradient ${posSum}`);
    assert.ok(negSum > 0, `negatives' gradient ${negSum}`);
    const stepped = tf.sub(start, tf.mul(grads[v.name], 0.1));
    assert.ok(value(loss(stepped)) < value(l0), 'a small gradient step lowers the loss');
    v.dispose();
  });
}

test('unknown loss names and empty label groups are user errors', () => {
  assert.throws(() => lossFunction('triplet' as never), /--loss: unknown loss 'triplet'/);
  const huge: LossSettings = { ...SMALL, labels: { radiusPx: 100, stride: 8 } };
  assert.throws(() => balancedLogisticLoss(map(0, 0), huge), /0 negative cells/);
});
