import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradients } from '../src/compute/wasm-grads.ts';
import { UserError } from '../src/core/errors.ts';
import {
  embed,
  featureSize,
  initParams,
  layerChannels,
  loadModel,
  saveModel,
  updateBatchNormStats,
  xcorr,
  type NetworkConfig,
} from '../src/trackers/siamfc/network.ts';
import { lossFunction } from '../src/trackers/siamfc/losses.ts';

await tf.setBackend('wasm');
registerWasmGradients();

const CFG: NetworkConfig = { width: 0.25, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
const tmp = await mkdtemp(join(tmpdir(), 'siambench-siamfc-net-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

function images(n: number, side: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, side, side, 3], 0, 255, 'float32', seed) as tf.Tensor4D;
}

test('feature sizes follow the published architecture: 127 -> 6, 255 -> 22, 239 -> 20', () => {
  assert.equal(featureSize(127), 6);
  assert.equal(featureSize(255), 22);
  assert.equal(featureSize(239), 20);
  assert.deepEqual(layerChannels(1), [96, 256, 384, 384, 256]);
  assert.deepEqual(layerChannels(0.25), [24, 64, 96, 96, 64]);
});

test('embed gives 6x6, 22x22 and 20x20 maps with 256 x width channels; the head gives 17x17', () => {
  const params = initParams(CFG, 3);
  for (const [side, out] of [
    [127, 6],
    [255, 22],
    [239, 20],
  ]) {
    const f = tf.tidy(() => embed(params, CFG, images(2, side, side), false));
    assert.deepEqual(f.shape, [2, out, out, 64]);
    f.dispose();
  }
  const r = tf.tidy(() => xcorr(embed(params, CFG, images(1, 127, 1), false), embed(params, CFG, images(3, 255, 2), false), 0.001, params));
  assert.deepEqual(r.shape, [3, 17, 17, 1]);
  r.dispose();
  for (const v of params.values()) v.dispose();
});

test('xcorr is headScale x the sliding dot product plus the bias, pairwise for batches and shared for one exemplar', () => {
  // Exemplar 1x1 with 2 channels: the response is 0.5 * (a*x0 + b*x1) + bias at every cell.
  const params = new Map([['head/bias', tf.variable(tf.scalar(0.25), true, 'xc-test/bias')]]);
  const z = tf.tensor4d([1, 2, 3, -1], [2, 1, 1, 2]);
  const x = tf.tensor4d([1, 1, 2, 0, 0, 3, 1, 1, /* sample 2 */ 1, 1, 2, 0, 0, 3, 1, 1], [2, 2, 2, 2]);
  const r = xcorr(z, x, 0.5, params);
  assert.deepEqual(r.shape, [2, 2, 2, 1]);
  const expect = [
    ...[
      [1, 1],
      [2, 0],
      [0, 3],
      [1, 1],
    ].map(([a, b]) => 0.5 * (1 * a + 2 * b) + 0.25),
    ...[
      [1, 1],
      [2, 0],
      [0, 3],
      [1, 1],
    ].map(([a, b]) => 0.5 * (3 * a - 1 * b) + 0.25),
  ];
  assert.deepEqual(Array.from(r.dataSync()), expect);
  const shared = xcorr(tf.slice(z, [1, 0, 0, 0], [1, 1, 1, 2]), x, 0.5);
  assert.deepEqual(
    Array.from(shared.dataSync()),
    expect
      .slice(4)
      .map((v) => v - 0.25)
      .concat(expect.slice(4).map((v) => v - 0.25)),
  );
  tf.dispose([z, x, r, shared, ...params.values()]);
});

test('training-mode embed changes no variable; updateBatchNormStats moves only the moving statistics', () => {
  const params = initParams(CFG, 5);
  const before = new Map([...params].map(([n, v]) => [n, Array.from(v.dataSync())]));
  const batch = images(2, 127, 9);
  tf.tidy(() => embed(params, CFG, batch, true));
  for (const [n, v] of params) assert.deepEqual(Array.from(v.dataSync()), before.get(n), n);
  updateBatchNormStats(params, CFG, batch);
  for (const [n, v] of params) {
    const moved = Array.from(v.dataSync()).some((x, i) => x !== before.get(n)![i]);
    assert.equal(moved, !v.trainable, `${n} (trainable ${v.trainable})`);
  }
  // The first update copies the batch mean of conv1's output (cumulative average, n = 0).
  const conv1 = tf.tidy(() => tf.mean(tf.conv2d(batch, params.get('conv1/w') as tf.Tensor4D, 2, 'valid'), [0, 1, 2]));
  const got = params.get('bn1/mean')!.dataSync();
  conv1
    .dataSync()
    .forEach((m, i) => assert.ok(Math.abs(got[i] - m) <= 1e-3 * Math.max(1, Math.abs(m)), `bn1/mean[${i}] ${got[i]} vs ${m}`));
  tf.dispose([batch, conv1, ...params.values()]);
});

test('save and load round-trip: same responses, record and trained flag; bad files are one-line errors', async () => {
  const params = initParams(CFG, 7);
  updateBatchNormStats(params, CFG, images(2, 127, 4)); // non-trivial moving statistics
  const dir = join(tmp, 'model');
  await saveModel(dir, params, CFG, { trained: false, seed: 7, note: 'test' });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.format, 'siambench-siamfc-1');
  assert.equal(json.trained, false);
  assert.deepEqual(json.meta, { seed: 7, note: 'test' });
  assert.equal(json.architecture.width, 0.25);
  assert.equal(json.architecture.instanceSize, 255);
  const model = await loadModel(dir);
  assert.equal(model.trained, false);
  const z = images(1, 127, 11);
  const x = images(3, 255, 12);
  const a = tf.tidy(() => xcorr(embed(params, CFG, z, false), embed(params, CFG, x, false), CFG.headScale, params));
  const b = tf.tidy(() =>
    xcorr(embed(model.params, model.config, z, false), embed(model.params, model.config, x, false), model.config.headScale, model.params),
  );
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  // A record with optimiser steps counts as trained.
  await saveModel(join(tmp, 'stepped'), params, CFG, { steps: 10 });
  assert.equal((await loadModel(join(tmp, 'stepped'))).trained, true);

  await assert.rejects(
    loadModel(join(tmp, 'nowhere')),
    (e: Error) => e instanceof UserError && /nowhere.*model\.json: missing/.test(e.message),
  );
  json.architecture.width = 0.5;
  await writeFile(join(tmp, 'model', 'model.json'), JSON.stringify(json));
  await assert.rejects(
    loadModel(dir),
    (e: Error) => e instanceof UserError && /no tensor conv1\/w of shape \[11,11,3,48\]/.test(e.message),
  );
  await writeFile(join(tmp, 'model', 'model.json'), '{"format": "other"}');
  await assert.rejects(loadModel(dir), (e: Error) => e instanceof UserError && /unknown model format 'other'/.test(e.message));
  model.dispose();
  tf.dispose([z, x, a, b, ...params.values()]);
});

test('a few SGD steps on WASM: finite gradients for every trainable variable, and the loss falls', async () => {
  const params = initParams(CFG, 2);
  const vars = [...params.values()].filter((v) => v.trainable);
  const z = images(2, 127, 21);
  const x = images(2, 239, 22);
  const loss = lossFunction('logistic');
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const l = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => loss(xcorr(embed(params, CFG, z, true), embed(params, CFG, x, true), CFG.headScale, params)),
        vars,
      );
      for (const v of vars) {
        const g = grads[v.name];
        assert.ok(g, `no gradient for ${v.name}`);
        assert.ok(g.dataSync().every(Number.isFinite), `non-finite gradient for ${v.name}`);
        v.assign(tf.sub(v, tf.mul(g, 0.05)));
      }
      return value;
    });
    losses.push(l.dataSync()[0]);
    l.dispose();
    updateBatchNormStats(params, CFG, z);
  }
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses[2] < losses[0], `loss ${losses.join(' -> ')}`);
  tf.dispose([z, x, ...params.values()]);
});
