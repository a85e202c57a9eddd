import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DEFAULT_LOSS_SETTINGS } from '../src/trackers/siamfc/losses.ts';
import { foldedShapes, saveFoldedModel, saveModelArrays } from '../src/trackers/siamfc/model-file.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { embed, LAYERS, loadModel, type NetworkConfig, xcorr } from '../src/trackers/siamfc/network.ts';
import { createOrtSiamfc } from '../src/training/engines/ort/ort-siamese.ts';
import { initFrom, poolStats, readInitSource } from '../src/training/init-from.ts';
import { relError, uniform } from './helpers/grad-check.ts';
import { assertOneLineError, runCli } from './helpers/cli.ts';
import { tempDir } from './helpers/files.ts';

/**
 * --init-from: a model trained here is copied as it is; a folded import (batch norm folded into
 * conv + bias) is unfolded so that step 0's network is the source's: checked on responses, computed
 * by TensorFlow.js from the two saved folders (an engine other than the ORT trainer that unfolded).
 */
await tf.setBackend('cpu');
tf.env().set('PROD', true);

const cfg: NetworkConfig = { width: 0.0625, exemplarSize: 87, searchSize: 119, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
const pair = (seed: number) => ({
  size: 2,
  exemplars: uniform(2 * 87 * 87 * 3, seed, 0, 255),
  searches: uniform(2 * 119 * 119 * 3, seed + 1, 0, 255),
});

const crops = (b: ReturnType<typeof pair>) => [
  tf.tensor4d(b.exemplars, [b.size, 87, 87, 3]),
  tf.tensor4d(b.searches, [b.size, 119, 119, 3]),
];

/** Responses [N, h, w, 1] of a model folder (with batch norm) in inference mode, by the tracker's tfjs network. */
async function responses(dir: string, b: ReturnType<typeof pair>): Promise<Float32Array> {
  const m = await loadModel(dir);
  const [z, x] = crops(b);
  const r = xcorr(embed(m.params, m.config, z, false), embed(m.params, m.config, x, false), m.config.headScale, m.params);
  const out = r.dataSync() as Float32Array;
  tf.dispose([z, x, r]);
  m.dispose();
  return out;
}

/** The folded network written out here, conv + bias per layer: the reference the unfolded one must equal. */
async function foldedResponses(dir: string, b: ReturnType<typeof pair>): Promise<Float32Array> {
  const { tensors } = await readModelWeights(dir);
  const w = (n: string) => tf.tensor(tensors.get(n)!.data, tensors.get(n)!.shape);
  const features = (img: tf.Tensor4D) =>
    LAYERS.reduce((h, l) => {
      const parts = (tf.split(h, l.groups, 3) as tf.Tensor4D[]).map((hg, g) =>
        tf.conv2d(hg, tf.split(w(`${l.name}/w`), l.groups, 3)[g] as tf.Tensor4D, l.stride, 'valid'),
      );
      let y = tf.add(tf.concat(parts, 3), w(`${l.name}/b`)) as tf.Tensor4D;
      if (l.bn) y = tf.relu(y);
      return l.pool ? tf.maxPool(y, 3, 2, 'valid') : y;
    }, img);
  const [z, x] = crops(b);
  const out = tf.tidy(() => tf.add(xcorr(features(z), features(x), cfg.headScale), w('head/bias')).dataSync() as Float32Array);
  tf.dispose([z, x]);
  return out;
}

/** A folded model of this width with seeded weights: kernels from a seeded network, random biases. */
async function foldedSource(dir: string): Promise<void> {
  const seeded = await createOrtSiamfc(cfg, 3, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
  const arrays = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, shape] of foldedShapes(cfg.width)) {
    const data = name.endsWith('/w')
      ? seeded.params.get(name)!.data
      : uniform(
          shape.reduce((a, b) => a * b, 1),
          name.length,
          -2,
          2,
        );
    arrays.set(name, { shape, data });
  }
  await saveFoldedModel(dir, arrays, cfg, { origin: 'test: folded, seeded' });
  seeded.dispose();
}

test('a folded source is unfolded: step 0 responds as the source does (inference mode)', async (t) => {
  const dir = tempDir(t, 'siambench-init-from-');
  await foldedSource(join(dir, 'folded'));
  const model = await createOrtSiamfc(cfg, 9, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
  const src = await readInitSource(join(dir, 'folded'), cfg);
  assert.equal(src.folded, true);
  assert.match(src.sha256, /^[0-9a-f]{64}$/);
  const calibration = [pair(11), pair(13)];
  await initFrom(model, src, cfg, async () => calibration, cfg.bnMomentum);
  await saveModelArrays(join(dir, 'unfolded'), model.params, (n) => model.trainable.includes(n), cfg, { steps: 0 });
  // Unseen pairs: inference mode is the folded network exactly, whatever the data.
  const probe = pair(17);
  const [want, got] = [await foldedResponses(join(dir, 'folded'), probe), await responses(join(dir, 'unfolded'), probe)];
  const err = relError(got, want);
  process.stdout.write(`# unfolded vs folded responses, inference mode: ${err.toExponential(2)} relative\n`);
  assert.ok(err <= 1e-4, `responses differ by ${err}`);
  // Training mode normalises each batch by its own statistics: on a calibration batch these are
  // close to the calibrated ones, so the first step trains nearly the source network; gamma 1,
  // beta b (the unfolding that only inference mode would honour) trains another one.
  const trainMode = async (folder: string) => {
    const m = await loadModel(folder);
    const [z, x] = crops(calibration[0]);
    const r = xcorr(embed(m.params, m.config, z, true), embed(m.params, m.config, x, true), m.config.headScale, m.params);
    const out = r.dataSync() as Float32Array;
    tf.dispose([z, x, r]);
    m.dispose();
    return out;
  };
  const reference = await foldedResponses(join(dir, 'folded'), calibration[0]);
  const calibrated = relError(await trainMode(join(dir, 'unfolded')), reference);
  for (const [name, p] of model.params) {
    const bn = /^(bn\d)\/(gamma|beta)$/.exec(name);
    if (bn && bn[2] === 'gamma') p.data.fill(1);
    if (bn && bn[2] === 'beta') p.data.set(src.weights.tensors.get(`conv${bn[1].slice(2)}/b`)!.data);
  }
  await saveModelArrays(join(dir, 'identity'), model.params, (n) => model.trainable.includes(n), cfg, { steps: 0 });
  const identity = relError(await trainMode(join(dir, 'identity')), reference);
  process.stdout.write(
    `# training mode on a calibration batch: ${calibrated.toExponential(2)} (gamma 1, beta b: ${identity.toExponential(2)})\n`,
  );
  assert.ok(calibrated < 0.15 && identity > 5 * calibrated, `training mode: calibrated ${calibrated}, identity ${identity}`);
  // The moving statistics continue at the momentum's rate rather than restarting a cumulative average.
  assert.equal(model.params.get('bn/updates')!.data[0], 20);
  model.dispose();
});

test('a source trained here is copied exactly, every parameter and statistic', async (t) => {
  const dir = tempDir(t, 'siambench-init-from-');
  const source = await createOrtSiamfc(cfg, 5, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
  for (const [name, p] of source.params) p.data.set(uniform(p.data.length, name.length + 40, 0.5, 1.5));
  await saveModelArrays(join(dir, 'source'), source.params, (n) => source.trainable.includes(n), cfg, { steps: 10 });
  const model = await createOrtSiamfc(cfg, 9, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 });
  await initFrom(model, await readInitSource(join(dir, 'source'), cfg), cfg, async () => [], cfg.bnMomentum);
  const { tensors } = await readModelWeights(join(dir, 'source'));
  for (const [name, p] of model.params) assert.deepEqual([...p.data], [...tensors.get(name)!.data], name);
  source.dispose();
  model.dispose();
});

test('pooled statistics: the mean and population variance of the groups taken together (hand-computed)', () => {
  // Group a: values {0, 2} (mean 1, var 1); group b: {4, 6, 8, 10} (mean 7, var 5). All six: mean 5, var 35/3.
  const { mean, variance } = poolStats([
    { mean: new Float32Array([1]), variance: new Float32Array([1]), count: 2 },
    { mean: new Float32Array([7]), variance: new Float32Array([5]), count: 4 },
  ]);
  assert.ok(Math.abs(mean[0] - 5) < 1e-12);
  assert.ok(Math.abs(variance[0] - 70 / 6) < 1e-12);
});

test('train CLI: --init-from errors are one line naming the option (missing folder, width mismatch)', (t) => {
  const out = tempDir(t, 'siambench-init-from-cli-');
  const missing = join(mkdtempSync(join(tmpdir(), 'siambench-none-')), 'nothing-here');
  assertOneLineError(
    runCli('train', ['--loss', 'logistic', '--out', join(out, 'a'), '--init-from', missing]),
    /^error: --init-from: .*nothing-here holds no model \(model\.json\): no such folder; import one with npm run import-model$/,
  );
  // models/siamfc is quarter width; --width 1 asks for the full network.
  assertOneLineError(
    runCli('train', ['--loss', 'logistic', '--out', join(out, 'b'), '--init-from', 'models/siamfc', '--width', '1']),
    /^error: --init-from: models\/siamfc is a width-0\.25 network, --width is 1; fine-tuning keeps the architecture$/,
  );
});
