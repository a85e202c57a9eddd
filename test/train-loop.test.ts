import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradients } from '../src/compute/wasm-grads.ts';
import { DEFAULT_LOSS_SETTINGS, lossFunction, type LossSettings } from '../src/trackers/siamfc/losses.ts';
import { frameName, readGot10kSplit } from '../src/datasets/got10k/layout.ts';
import { PairSampler, holdOut } from '../src/datasets/got10k/pairs.ts';
import { PairBatches } from '../src/training/batches.ts';
import { DEFAULT_CROP_SETTINGS, withoutAugmentation, type CropSettings } from '../src/training/crops.ts';
import { Rng } from '../src/training/random.ts';
import { train, type Schedule, type TrainRun } from '../src/training/loop.ts';
import type { TrainableSiamese } from '../src/training/model.ts';
import type { Box } from '../src/core/types.ts';

await tf.setBackend('wasm');
registerWasmGradients();

/**
 * A small but real Siamese network: input normalisation with moving statistics (the batch-norm
 * pattern), one strided convolution, per-sample cross-correlation as a depthwise convolution.
 */
class TinySiamese implements TrainableSiamese {
  readonly variables = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();

  constructor(seed: number) {
    this.variables.set('conv/w', tf.variable(tf.randomNormal([7, 7, 3, 8], 0, 0.1, 'float32', seed), true, `tiny${seed}/w`));
    this.variables.set('head/bias', tf.variable(tf.scalar(0), true, `tiny${seed}/b`));
    this.state.set('mean', tf.variable(tf.fill([3], 128), false, `tiny${seed}/mean`));
  }
  decays(name: string) {
    return name.endsWith('/w');
  }
  private embed(img: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const mean = training ? tf.mean(img, [0, 1, 2]) : this.state.get('mean')!;
    return tf.relu(tf.conv2d(tf.div(tf.sub(img, mean), 64) as tf.Tensor4D, this.variables.get('conv/w')! as tf.Tensor4D, 4, 'valid'));
  }
  forward(z: tf.Tensor4D, x: tf.Tensor4D, training: boolean): tf.Tensor {
    const fz = this.embed(z, training);
    const fx = this.embed(x, training);
    const [n, h, w, c] = fx.shape;
    const xs = tf.reshape(tf.transpose(fx, [1, 2, 0, 3]), [1, h, w, n * c]) as tf.Tensor4D;
    const zs = tf.reshape(tf.transpose(fz, [1, 2, 0, 3]), [fz.shape[1], fz.shape[2], n * c, 1]) as tf.Tensor4D;
    const r = tf.depthwiseConv2d(xs, zs, 1, 'valid');
    const [, ho, wo] = r.shape;
    const summed = tf.sum(tf.reshape(r, [ho, wo, n, c]), 3);
    return tf.add(tf.mul(tf.transpose(summed, [2, 0, 1]), 0.05), this.variables.get('head/bias')!);
  }
  updateStatistics(z: tf.Tensor4D): void {
    const m = this.state.get('mean')!;
    m.assign(tf.add(tf.mul(m, 0.9), tf.mul(tf.mean(z, [0, 1, 2]), 0.1)));
  }
  async save(dir: string, meta: Record<string, unknown>) {
    await mkdir(dir, { recursive: true });
    const weights = Object.fromEntries([...this.variables].map(([n, v]) => [n, Array.from(v.dataSync())]));
    await writeFile(join(dir, 'tiny.json'), JSON.stringify({ meta, weights }));
  }
  describe() {
    return { kind: 'tiny', exemplar: 31, search: 63 };
  }
  dispose() {
    for (const v of [...this.variables.values(), ...this.state.values()]) v.dispose();
  }
}

const W = 120;
const H = 90;
const tmp = await mkdtemp(join(tmpdir(), 'siambench-train-loop-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

// Eight sequences of a bright square drifting over a textured background.
const split = join(tmp, 'train');
await mkdir(split, { recursive: true });
const names = Array.from({ length: 8 }, (_, i) => `seq${i}`);
await writeFile(join(split, 'list.txt'), names.join('\n') + '\n');
for (const [s, name] of names.entries()) {
  await mkdir(join(split, name));
  const boxes: Box[] = [];
  for (let f = 0; f < 6; f++) {
    const box: Box = [20 + 5 * s + 3 * f, 15 + 4 * s + 2 * f, 16 + s, 16];
    boxes.push(box);
    const px = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px.fill(((x * 7 + y * 13 + s * 31) % 64) + 40, (y * W + x) * 3, (y * W + x) * 3 + 3);
    for (let y = box[1]; y < box[1] + box[3]; y++) for (let x = box[0]; x < box[0] + box[2]; x++) px.set([250, 220, 40], (y * W + x) * 3);
    await sharp(px, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 95 }).toFile(join(split, name, frameName(f)));
  }
  await writeFile(join(split, name, 'groundtruth.txt'), boxes.map((b) => b.join(',')).join('\n') + '\n');
}

const CROPS: CropSettings = { ...DEFAULT_CROP_SETTINGS, exemplarSize: 31, searchSize: 63, instanceSize: 71 };
// Stride 4 here: a 16 px radius is 4 cells of the 9x9 map; use 8 px (2 cells) as SiamFC does at stride 8.
const LOSS: LossSettings = { ...DEFAULT_LOSS_SETTINGS, labels: { radiusPx: 8, stride: 4 } };
const SCHEDULE: Schedule = { epochs: 3, stepsPerEpoch: 6, batchSize: 4, lrStart: 0.05, lrEnd: 0.01, sgd: { momentum: 0.9, weightDecay: 5e-4 }, seed: 11 };

async function setup(outDir: string, modelSeed: number, log: (l: string) => void = () => {}): Promise<{ run: TrainRun; model: TinySiamese }> {
  const { train: tr, val } = holdOut(await readGot10kSplit(split), 0.25, SCHEDULE.seed);
  const valBatches = [await new PairBatches(new PairSampler(val), new Rng(5), 4, withoutAugmentation(CROPS)).next()];
  const sampler = new PairSampler(tr);
  const model = new TinySiamese(modelSeed);
  const run: TrainRun = {
    model,
    loss: lossFunction('logistic', LOSS),
    batches: (rng) => new PairBatches(sampler, rng, SCHEDULE.batchSize, CROPS),
    seed: SCHEDULE.seed,
    val: valBatches,
    schedule: SCHEDULE,
    outDir,
    resume: true,
    keepCheckpoint: false,
    record: { loss: 'logistic' },
    title: 'tiny',
    log,
  };
  return { run, model };
}

test('training loop: the loss falls; curves, CSV and the model with its record are written', async () => {
  const out = join(tmp, 'full');
  const { run, model } = await setup(out, 1);
  const result = await train(run);
  const [first, , last] = result.history.epochs;
  assert.equal(result.steps, 18);
  assert.ok(last.trainLoss < first.trainLoss, `train loss ${first.trainLoss} -> ${last.trainLoss}`);
  assert.ok(last.valLoss < result.history.steps[0].loss, `val loss ${last.valLoss} vs first step ${result.history.steps[0].loss}`);
  assert.deepEqual(result.history.epochs.map((e) => +e.lr.toFixed(6)), [0.05, +(0.05 * Math.sqrt(0.2)).toFixed(6), 0.01]);
  const steps = (await readFile(join(out, 'training', 'loss-steps.csv'), 'utf8')).trim().split('\n');
  assert.equal(steps[0], 'step,epoch,lr,loss,pairs_per_s');
  assert.equal(steps.length, 19);
  const epochs = (await readFile(join(out, 'training', 'loss-epochs.csv'), 'utf8')).trim().split('\n');
  assert.equal(epochs.length, 4);
  const png = await readFile(join(out, 'training', 'loss.png'));
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  const saved = JSON.parse(await readFile(join(out, 'tiny.json'), 'utf8'));
  assert.equal(saved.meta.loss, 'logistic');
  assert.equal(saved.meta.steps, 18);
  assert.deepEqual(saved.meta.schedule, SCHEDULE);
  assert.equal(saved.meta.finalTrainLoss, last.trainLoss);
  assert.ok(!existsSync(join(out, 'training', 'checkpoint')), 'the checkpoint goes once the model is saved');
  model.dispose();
});

test('training loop: an interrupted run resumed from its checkpoint ends where an uninterrupted one does', async () => {
  const whole = await setup(join(tmp, 'whole'), 2);
  const a = await train(whole.run);
  const wantW = whole.model.variables.get('conv/w')!.dataSync();
  whole.model.dispose();

  const out = join(tmp, 'interrupted');
  const first = await setup(out, 2, (line) => {
    if (line.startsWith('epoch 2/3 step 1/')) throw new Error('simulated interruption');
  });
  await assert.rejects(train(first.run), /simulated interruption/);
  first.model.dispose();
  assert.ok(existsSync(join(out, 'training', 'checkpoint', 'state.json')));

  const lines: string[] = [];
  // A different initialisation: everything must come from the checkpoint.
  const second = await setup(out, 99, (l) => lines.push(l));
  const b = await train(second.run);
  assert.ok(lines[0].startsWith('resuming from'), lines[0]);
  assert.equal(b.steps, 18);
  const got = second.model.variables.get('conv/w')!.dataSync();
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - wantW[i]));
  assert.ok(worst < 1e-5, `weights differ by ${worst}`);
  assert.deepEqual(b.history.steps.map((s) => +s.loss.toFixed(5)), a.history.steps.map((s) => +s.loss.toFixed(5)));
  second.model.dispose();

  const other = await setup(join(tmp, 'whole'), 2);
  other.run.keepCheckpoint = true;
  await train(other.run);
  other.run.schedule = { ...SCHEDULE, lrStart: 0.1 };
  await assert.rejects(train(other.run), /--resume: .* was made with a different schedule/);
  other.model.dispose();
});
