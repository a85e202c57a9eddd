import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/compute/backend.ts';
import { DEFAULT_LOSS_SETTINGS, lossFunction, type LossSettings } from '../src/trackers/siamfc/losses.ts';
import { embed, initParams, type NetworkConfig, updateBatchNormStats, xcorr } from '../src/trackers/siamfc/network.ts';
import { saveModelArrays } from '../src/trackers/siamfc/model-file.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { PairSampler, holdOut } from '../src/benchmarks/got10k/pairs.ts';
import { PairBatches } from '../src/training/batches.ts';
import { DEFAULT_CROP_SETTINGS, withoutAugmentation, type CropSettings } from '../src/training/crops.ts';
import { Rng } from '../src/core/random.ts';
import { geometricLr } from '../src/training/schedule.ts';
import { train, type Schedule, type TrainRun } from '../src/training/loop.ts';
import { createTfjsSiamfc } from '../src/training/engines/tfjs-siamese.ts';
import type { TrainableSiamese } from '../src/training/trainable.ts';
import { writeDriftingSquares } from './helpers/got10k-fixture.ts';

await selectBackend('wasm');

const tmp = await mkdtemp(join(tmpdir(), 'siambench-train-loop-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const split = join(tmp, 'train');
await writeDriftingSquares(split);

// The real SiamFC network, small: 103 -> 3x3 exemplar features, 143 -> 8x8 search features, 6x6 maps.
const CFG: NetworkConfig = { width: 0.125, exemplarSize: 103, searchSize: 143, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
const CROPS: CropSettings = {
  ...DEFAULT_CROP_SETTINGS,
  exemplarSize: CFG.exemplarSize,
  searchSize: CFG.searchSize,
  instanceSize: CFG.searchSize + 16,
};
const LOSS: LossSettings = DEFAULT_LOSS_SETTINGS;
const SCHEDULE: Schedule = {
  epochs: 3,
  stepsPerEpoch: 6,
  batchSize: 4,
  lrStart: 0.02,
  lrEnd: 0.005,
  sgd: { momentum: 0.9, weightDecay: 5e-4 },
  seed: 11,
};

const { train: trainSeqs, val: valSeqs } = holdOut(await readGot10kSplit(split), 0.25, SCHEDULE.seed);
const VAL = [await new PairBatches(new PairSampler(valSeqs), new Rng(5), 4, withoutAugmentation(CROPS)).next()];
const sampler = new PairSampler(trainSeqs);

function setup(
  outDir: string,
  modelSeed: number,
  log: (l: string) => void = () => {},
  cfg = CFG,
): { run: TrainRun; model: TrainableSiamese } {
  const model = createTfjsSiamfc(cfg, modelSeed, 'logistic', LOSS);
  const run: TrainRun = {
    model,
    batches: (rng) => new PairBatches(sampler, rng, SCHEDULE.batchSize, CROPS),
    seed: SCHEDULE.seed,
    val: VAL,
    schedule: SCHEDULE,
    bnMomentum: cfg.bnMomentum,
    outDir,
    resume: true,
    keepCheckpoint: false,
    record: { loss: 'logistic' },
    save: (dir, m, meta) => saveModelArrays(dir, m.params, (n) => m.trainable.includes(n), cfg, meta),
    title: 'small SiamFC',
    log,
  };
  return { run, model };
}

function snapshot(model: TrainableSiamese): Map<string, Float32Array> {
  return new Map([...model.params].map(([n, p]) => [n, p.data.slice()]));
}

test('training loop: the loss falls; curves, CSV and a loadable model with its record are written', async () => {
  const out = join(tmp, 'full');
  const { run, model } = setup(out, 1);
  const result = await train(run);
  const [first, , last] = result.history.epochs;
  assert.equal(result.steps, 18);
  assert.ok(last.trainLoss < first.trainLoss, `train loss ${first.trainLoss} -> ${last.trainLoss}`);
  assert.ok(last.valLoss < result.history.steps[0].loss, `val loss ${last.valLoss} vs first step ${result.history.steps[0].loss}`);
  assert.deepEqual(
    result.history.epochs.map((e) => +e.lr.toFixed(6)),
    [0.02, +(0.02 * Math.sqrt(0.25)).toFixed(6), 0.005],
  );
  const steps = (await readFile(join(out, 'training', 'loss-steps.csv'), 'utf8')).trim().split('\n');
  assert.equal(steps[0], 'step,epoch,lr,loss,pairs_per_s');
  assert.equal(steps.length, 19);
  const epochs = (await readFile(join(out, 'training', 'loss-epochs.csv'), 'utf8')).trim().split('\n');
  assert.equal(epochs.length, 4);
  const png = await readFile(join(out, 'training', 'loss.png'));
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.ok(!existsSync(join(out, 'training', 'checkpoint')), 'the checkpoint goes once the model is saved');

  // The saved model is the tracker's format, with the training record, and holds the trained arrays.
  const saved = await loadModel(out);
  assert.equal(saved.trained, true);
  assert.equal(saved.meta.loss, 'logistic');
  assert.equal(saved.meta.steps, 18);
  assert.equal(saved.meta.engine, 'tfjs/wasm');
  assert.deepEqual(saved.meta.schedule, SCHEDULE);
  assert.equal(saved.meta.finalTrainLoss, last.trainLoss);
  assert.deepEqual(saved.config, CFG);
  const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
  assert.deepEqual(
    json.weights.tensors.map((e: { name: string }) => e.name),
    [...model.params.keys()],
  );
  assert.deepEqual(
    json.weights.tensors.filter((e: { trainable: boolean }) => !e.trainable).map((e: { name: string }) => e.name),
    ['bn1/mean', 'bn1/variance', 'bn2/mean', 'bn2/variance', 'bn3/mean', 'bn3/variance', 'bn4/mean', 'bn4/variance', 'bn/updates'],
  );
  for (const [name, v] of saved.params) assert.deepEqual(v.dataSync(), model.params.get(name)!.data, name);
  assert.equal(model.params.get('bn/updates')!.data[0], 36, 'two folds per step');
  saved.dispose();
  model.dispose();
});

test('training loop: an interrupted run resumed from its checkpoint ends exactly where an uninterrupted one does', async () => {
  const whole = setup(join(tmp, 'whole'), 2);
  const a = await train(whole.run);
  const want = snapshot(whole.model);
  whole.model.dispose();

  const out = join(tmp, 'interrupted');
  const first = setup(out, 2, (line) => {
    if (line.startsWith('epoch 2/3 step 1/')) throw new Error('simulated interruption');
  });
  await assert.rejects(train(first.run), /simulated interruption/);
  first.model.dispose();
  const manifest = JSON.parse(await readFile(join(out, 'training', 'checkpoint', 'state.json'), 'utf8'));
  // The names TensorFlow.js-only training wrote: its checkpoints resume here.
  assert.equal(manifest.format, 'siambench-checkpoint-1');
  const names = manifest.tensors.map((t: { name: string }) => t.name);
  for (const n of ['var/conv1/w', 'var/bn1/gamma', 'var/head/bias', 'state/bn1/mean', 'state/bn/updates', 'velocity/conv5/b'])
    assert.ok(names.includes(n), n);

  const lines: string[] = [];
  // A different initialisation: everything must come from the checkpoint.
  const second = setup(out, 99, (l) => lines.push(l));
  const b = await train(second.run);
  assert.ok(lines[0].startsWith('resuming from'), lines[0]);
  assert.equal(b.steps, 18);
  for (const [name, w] of want) assert.deepEqual(second.model.params.get(name)!.data, w, name);
  assert.deepEqual(
    b.history.steps.map((s) => s.loss),
    a.history.steps.map((s) => s.loss),
  );
  second.model.dispose();

  const other = setup(join(tmp, 'whole'), 2);
  other.run.keepCheckpoint = true;
  await train(other.run);
  other.run.schedule = { ...SCHEDULE, lrStart: 0.1 };
  await assert.rejects(train(other.run), /--resume: .* was made with a different schedule/);
  other.model.dispose();

  // Another width cannot take this checkpoint, and refusing it changes nothing.
  const narrow = createTfjsSiamfc({ ...CFG, width: 0.0625 }, 2, 'logistic', LOSS);
  const before = snapshot(narrow);
  const r = setup(join(tmp, 'whole'), 2);
  r.model.dispose();
  await assert.rejects(
    train({ ...r.run, model: narrow }),
    /--resume: .* has no tensor var\/conv1\/w of shape \[11,11,3,6\] \(another architecture\?\)/,
  );
  for (const [name, w] of before) assert.deepEqual(narrow.params.get(name)!.data, w, name);
  narrow.dispose();
});

test('training loop: training on the arrays is the TensorFlow.js-only training it replaces (SGD on variables, updateBatchNormStats)', async () => {
  const schedule: Schedule = { ...SCHEDULE, epochs: 2, stepsPerEpoch: 3 };
  // A large momentum leaves the cumulative average after two steps, so the order of the folds matters.
  const cfg: NetworkConfig = { ...CFG, bnMomentum: 0.3 };
  const { run, model } = setup(join(tmp, 'same'), 3, () => {}, cfg);
  await train({ ...run, schedule, resume: false });

  // The replaced loop, step for step: tf.variableGrads, momentum SGD in tf ops, then the moving
  // statistics folded by the network module itself, exemplars first.
  const params = initParams(cfg, 3);
  const names = [...params].filter(([, v]) => v.trainable).map(([n]) => n);
  const vars = names.map((n) => params.get(n)!);
  const velocity = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const loss = lossFunction('logistic', LOSS);
  const batches = new PairBatches(sampler, new Rng(schedule.seed), schedule.batchSize, CROPS);
  for (let epoch = 0; epoch < schedule.epochs; epoch++) {
    const lr = geometricLr(epoch, schedule.epochs, schedule.lrStart, schedule.lrEnd);
    for (let i = 0; i < schedule.stepsPerEpoch; i++) {
      const b = await batches.next();
      tf.tidy(() => {
        const z = tf.tensor4d(b.exemplars, [b.size, cfg.exemplarSize, cfg.exemplarSize, 3]);
        const x = tf.tensor4d(b.searches, [b.size, cfg.searchSize, cfg.searchSize, 3]);
        const { grads } = tf.variableGrads(
          () => loss(xcorr(embed(params, cfg, z, true), embed(params, cfg, x, true), cfg.headScale, params)),
          vars,
        );
        vars.forEach((w, k) => {
          const g = grads[w.name];
          const decayed = w.rank >= 2 ? tf.add(g, tf.mul(w, schedule.sgd.weightDecay)) : g;
          const nv = tf.add(tf.mul(velocity[k], schedule.sgd.momentum), decayed);
          velocity[k].assign(nv);
          w.assign(tf.sub(w, tf.mul(nv, lr)));
        });
        updateBatchNormStats(params, cfg, z);
        updateBatchNormStats(params, cfg, x);
      });
    }
  }
  // Float32 rounding differs (JS doubles rounded once vs float32 per op), nothing else.
  let worst = 0;
  let worstName = '';
  for (const [name, v] of params) {
    const want = v.dataSync();
    const got = model.params.get(name)!.data;
    let scale = 1e-3;
    for (const w of want) scale = Math.max(scale, Math.abs(w));
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got[i] - want[i]) / scale;
      if (d > worst) [worst, worstName] = [d, name];
    }
  }
  assert.ok(worst < 1e-5, `worst difference ${worst} (relative to the tensor's largest value) in ${worstName}`);
  console.log(`# tfjs adapter vs the replaced loop after 6 steps: worst difference ${worst.toExponential(2)} (${worstName})`);
  tf.dispose([...params.values(), ...velocity]);
  model.dispose();
});
