import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DEFAULT_LOSS_SETTINGS, type LossName, type LossSettings, lossFunction } from '../src/trackers/siamfc/losses.ts';
import { embed, type NetworkConfig, type Params, updateBatchNormStats, xcorr } from '../src/trackers/siamfc/network.ts';
import { createOrtSiamfc, OrtSiamese } from '../src/training/engines/ort/ort-siamese.ts';
import { relError, uniform } from './helpers/grad-check.ts';

/**
 * The ORT training graphs against TensorFlow.js on its CPU backend running network.ts and losses.ts:
 * the loss and every parameter gradient of every loss, the validation loss with moving statistics,
 * and the batch statistics. Issue 8's measure: max |ort - tfjs| / max |tfjs| per tensor <= 1e-3.
 *
 * Small on purpose: tfjs-cpu's filter gradient loops element by element in JavaScript (~0.5 us per
 * multiply-add), about 10 s per loss at width 0.0625 with the smallest crops that leave a 5x5
 * response (exemplar 87 -> 1x1 features, search 119), batch 2 so that pairs are kept apart.
 */
await tf.setBackend('cpu');

const cfg: NetworkConfig = { width: 0.0625, exemplarSize: 87, searchSize: 119, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
const N = 2;
const batch = {
  size: N,
  exemplars: uniform(N * 87 * 87 * 3, 21, 0, 255),
  searches: uniform(N * 119 * 119 * 3, 22, 0, 255),
};

const base = await createOrtSiamfc(cfg, 7, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
// Away from the initial ones and zeros, so that a swapped gamma/beta or a dropped bias shows.
for (const [name, p] of base.params) {
  if (/gamma$/.test(name)) p.data.set(uniform(p.data.length, 31, 0.5, 1.5));
  if (/beta$|\/b$|head\/bias/.test(name)) p.data.set(uniform(p.data.length, 32, -0.5, 0.5));
}
// Moving statistics near this batch's own, as after some training (0 and 1 would swamp raw pixels).
const stats = await base.batchStatistics(batch);
for (const [bn, s] of stats.x) {
  base.params.get(`${bn}/mean`)!.data.set(s.mean.map((m, i) => m * (0.9 + 0.2 * uniform(1, 40 + i)[0])));
  base.params.get(`${bn}/variance`)!.data.set(s.variance.map((v) => v * 1.3));
}

function tfParams(): Params {
  return new Map(
    [...base.params].map(([k, v]) => [k, tf.variable(tf.tensor(v.data, v.shape), base.trainable.includes(k), `${k}_${Math.random()}`)]),
  );
}
const z = tf.tensor4d(batch.exemplars, [N, 87, 87, 3]);
const x = tf.tensor4d(batch.searches, [N, 119, 119, 3]);

const settings = (global: Partial<LossSettings['global']>): LossSettings => ({
  ...DEFAULT_LOSS_SETTINGS,
  global: { ...DEFAULT_LOSS_SETTINGS.global, ...global },
});
/**
 * The last field marks losses that do not change when every score shifts by the same amount
 * (differences and variances of raw logits): their exact head/bias gradient is 0 and both engines
 * return rounding noise for it, which a relative measure cannot compare; both must be tiny instead.
 */
const cases: [string, LossName, LossSettings, boolean][] = [
  ['logistic', 'logistic', DEFAULT_LOSS_SETTINGS, false],
  ['global, sigmoid scores, per map', 'global', DEFAULT_LOSS_SETTINGS, false],
  ['global, logits', 'global', settings({ scores: 'logits', delta: 2, alpha: 1 }), true],
  ['global, pooled over the batch', 'global', settings({ pooling: 'batch', eta: 0.5, lambda: 2 }), false],
  ['global plus the logistic loss', 'global', settings({ logisticWeight: 0.5 }), false],
  ['global, soft maximum over the hardest few', 'global', settings({ hard: 'softmax', tau: 0.02 }), false],
  [
    'global, soft maximum pooled over the batch, logits',
    'global',
    settings({ hard: 'softmax', tau: 0.4, scores: 'logits', pooling: 'batch' }),
    true,
  ],
  ['ranking', 'ranking', DEFAULT_LOSS_SETTINGS, true],
];

for (const [label, loss, ls, shiftInvariant] of cases) {
  test(`ORT and tfjs CPU agree on the ${label} loss and every parameter gradient (<= 1e-3 relative)`, async () => {
    const ort = new OrtSiamese(cfg, base.params, loss, ls, { threads: 1 });
    const got = await ort.lossAndGrads(batch);
    const params = tfParams();
    const f = () => lossFunction(loss, ls)(xcorr(embed(params, cfg, z, true), embed(params, cfg, x, true), cfg.headScale, params));
    const { value, grads } = tf.variableGrads(
      f,
      ort.trainable.map((n) => params.get(n)!),
    );
    const want = value.dataSync()[0];
    assert.ok(Math.abs(got.loss - want) <= 1e-5 * Math.max(1, Math.abs(want)), `loss ${got.loss} vs ${want}`);
    const reference = (n: string) => grads[params.get(n)!.name].dataSync();
    if (shiftInvariant) {
      const [a, b] = [got.grads.get('head/bias')![0], reference('head/bias')[0]];
      process.stdout.write(`# ${label}: head/bias gradient ${a.toExponential(2)} (tfjs ${b.toExponential(2)}), exactly 0 in theory\n`);
      assert.ok(Math.abs(a) <= 1e-6 && Math.abs(b) <= 1e-6, `${label}: head/bias gradient ${a} vs ${b}`);
    }
    const compared = ort.trainable.filter((n) => !(shiftInvariant && n === 'head/bias'));
    const errors = compared.map((n) => [n, relError(got.grads.get(n)!, reference(n))] as const);
    process.stdout.write(
      `# ${label}: loss ${got.loss.toFixed(6)} (tfjs ${want.toFixed(6)}); worst gradient ${errors.reduce((a, b) => (b[1] > a[1] ? b : a)).join(' ')}\n`,
    );
    for (const [n, e] of errors) assert.ok(e <= 1e-3, `${label}: ${n} differs by ${e}`);
    ort.dispose();
    for (const v of params.values()) v.dispose();
  });
}

test('validation loss in inference mode (moving statistics) agrees with tfjs', async () => {
  const params = tfParams();
  for (const [label, loss, ls] of cases.slice(0, 2)) {
    const ort = new OrtSiamese(cfg, base.params, loss, ls, { threads: 1 });
    const got = await ort.loss(batch);
    const want = tf.tidy(
      () => lossFunction(loss, ls)(xcorr(embed(params, cfg, z, false), embed(params, cfg, x, false), cfg.headScale, params)).dataSync()[0],
    );
    process.stdout.write(`# inference ${label}: ${got} vs ${want}\n`);
    assert.ok(Math.abs(got - want) <= 1e-4 * Math.abs(want), `${label}: ${got} vs ${want}`);
    // A smaller batch (an epoch's last, a validation set's) gets its own session.
    const one = { size: 1, exemplars: batch.exemplars.subarray(0, 87 * 87 * 3), searches: batch.searches.subarray(0, 119 * 119 * 3) };
    const gotOne = await ort.loss(one);
    const wantOne = tf.tidy(
      () =>
        lossFunction(
          loss,
          ls,
        )(
          xcorr(embed(params, cfg, tf.slice(z, 0, 1), false), embed(params, cfg, tf.slice(x, 0, 1), false), cfg.headScale, params),
        ).dataSync()[0],
    );
    assert.ok(Math.abs(gotOne - wantOne) <= 1e-4 * Math.abs(wantOne), `${label}, batch of 1: ${gotOne} vs ${wantOne}`);
    assert.notEqual(gotOne, got);
    ort.dispose();
  }
});

test('batch statistics per layer and branch agree with what tfjs folds into the moving averages', async () => {
  // With the update counter at 0 the moving statistics become exactly the batch's mean and its
  // unbiased variance: network.ts's own statistics, read back.
  for (const [branch, images] of [
    ['z', z],
    ['x', x],
  ] as const) {
    const params = tfParams();
    updateBatchNormStats(params, cfg, images);
    for (const [bn, s] of stats[branch]) {
      const side = branch === 'z' ? [39, 15, 5, 3][Number(bn.slice(2)) - 1] : [55, 23, 9, 7][Number(bn.slice(2)) - 1];
      assert.equal(s.count, N * side * side);
      const mean = relError(s.mean, params.get(`${bn}/mean`)!.dataSync());
      const variance = relError(
        s.variance.map((v) => (v * s.count) / (s.count - 1)),
        params.get(`${bn}/variance`)!.dataSync(),
      );
      assert.ok(mean <= 1e-5 && variance <= 1e-4, `${branch} ${bn}: mean ${mean}, variance ${variance}`);
    }
    for (const v of params.values()) v.dispose();
  }
});
