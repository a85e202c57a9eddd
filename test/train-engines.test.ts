import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src/compute/backend.ts';
import { DEFAULT_LOSS_SETTINGS, type LossName } from '../src/trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../src/trackers/siamfc/network.ts';
import { readGot10kSplit } from '../src/benchmarks/got10k/layout.ts';
import { PairSampler, holdOut } from '../src/benchmarks/got10k/pairs.ts';
import { PairBatches } from '../src/training/batches.ts';
import { DEFAULT_CROP_SETTINGS, withoutAugmentation, type CropSettings } from '../src/training/crops.ts';
import { Rng } from '../src/core/random.ts';
import { train, type Schedule, type TrainResult } from '../src/training/loop.ts';
import { createOrtSiamfc } from '../src/training/engines/ort/ort-siamese.ts';
import { createTfjsSiamfc } from '../src/training/engines/tfjs-siamese.ts';
import type { TrainableSiamese } from '../src/training/trainable.ts';
import { writeDriftingSquares } from './helpers/got10k-fixture.ts';

/**
 * The same training on both engines: one seed, the same batches, 20 steps of the real loop (SGD,
 * moving statistics, validation) at a small width and batch, every loss.
 *
 * Two measurements. In lockstep, ORT computes the loss of exactly the state WASM trains (its
 * parameters copied in before every step): there the engines differ only by float32 reassociation,
 * observed <= 7e-7 relative over all 60 steps, asserted <= 2e-6. Run independently, each engine
 * follows its own gradients and the difference grows: for the logistic loss it stays at that level
 * (<= 4e-7), for the global and ranking losses it leaves it around step 6-8 and reaches ~3e-4 by
 * step 20. Investigated at such a step (ranking loss, step 4): ORT's gradients agree with the tfjs
 * CPU backend to 2e-6 in every parameter, WASM's differ from both by 2.6e-2 in bn3/beta (one channel)
 * and ~1e-2 in the layers below. The cause is one ReLU input 8.4e-7 from zero (bn3, channel 7, an
 * exemplar position): WASM's summation order rounds it to the other side of the kink, so that one
 * position's gradient passes in one engine and not in the other. Reassociation at a kink, then, and
 * training carries it forward (the global loss's max and min add kinks of their own). Asserted:
 * <= 1e-5 for the first five steps, <= 1e-3 after, validation <= 5e-3 (observed 1.4e-3).
 */
await selectBackend('wasm');

const tmp = await mkdtemp(join(tmpdir(), 'siambench-train-engines-'));
test.after(() => rm(tmp, { recursive: true, force: true }));
const split = join(tmp, 'train');
await writeDriftingSquares(split);

const CFG: NetworkConfig = { width: 0.125, exemplarSize: 103, searchSize: 143, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
const CROPS: CropSettings = {
  ...DEFAULT_CROP_SETTINGS,
  exemplarSize: CFG.exemplarSize,
  searchSize: CFG.searchSize,
  instanceSize: CFG.searchSize + 16,
};
const SCHEDULE: Schedule = {
  epochs: 2,
  stepsPerEpoch: 10,
  batchSize: 2,
  lrStart: 0.01,
  lrEnd: 0.001,
  sgd: { momentum: 0.9, weightDecay: 5e-4 },
  seed: 5,
};
const { train: trainSeqs, val: valSeqs } = holdOut(await readGot10kSplit(split), 0.25, SCHEDULE.seed);
const VAL = [await new PairBatches(new PairSampler(valSeqs), new Rng(5), 2, withoutAugmentation(CROPS)).next()];
const sampler = new PairSampler(trainSeqs);

async function run(
  model: TrainableSiamese,
  out: string,
  opts: { resume?: boolean; log?: (line: string) => void } = {},
): Promise<TrainResult> {
  try {
    return await train({
      model,
      batches: (rng) => new PairBatches(sampler, rng, SCHEDULE.batchSize, CROPS),
      seed: SCHEDULE.seed,
      val: VAL,
      schedule: SCHEDULE,
      bnMomentum: CFG.bnMomentum,
      outDir: join(tmp, out),
      resume: opts.resume ?? false,
      keepCheckpoint: false,
      record: {},
      save: async () => {},
      title: out,
      log: opts.log ?? (() => {}),
    });
  } finally {
    model.dispose();
  }
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
const fmt = (xs: number[]) => xs.map((d) => d.toExponential(1)).join(' ');
const losses = (r: TrainResult) => r.history.steps.map((s) => s.loss);

/** WASM trains; before each step ORT is given the same parameters and computes the same loss. */
function lockstep(wasm: TrainableSiamese, ort: TrainableSiamese, diffs: number[]): TrainableSiamese {
  return {
    ...wasm,
    engine: wasm.engine,
    params: wasm.params,
    trainable: wasm.trainable,
    decays: (n) => wasm.decays(n),
    async lossAndGrads(batch) {
      for (const [name, p] of wasm.params) ort.params.get(name)!.data.set(p.data);
      const [a, b] = [await wasm.lossAndGrads(batch), await ort.lossAndGrads(batch)];
      diffs.push(rel(a.loss, b.loss));
      return a;
    },
    loss: (batch) => wasm.loss(batch),
    batchStatistics: (batch) => wasm.batchStatistics(batch),
    dispose: () => {
      wasm.dispose();
      ort.dispose();
    },
  };
}

for (const loss of ['logistic', 'global', 'ranking'] as LossName[]) {
  test(`20 training steps from one seed give the same losses on ORT and TensorFlow.js WASM (${loss} loss)`, async () => {
    const wasm = createTfjsSiamfc(CFG, 3, loss, DEFAULT_LOSS_SETTINGS);
    const ort = await createOrtSiamfc(CFG, 3, loss, DEFAULT_LOSS_SETTINGS, { threads: 1 });
    for (const [name, p] of wasm.params) assert.deepEqual(ort.params.get(name)?.data, p.data, `initial ${name}`);
    const b = await run(ort, `ort-${loss}`);
    // The WASM run itself, with an ORT shadow computing the loss of each state it trains.
    const same: number[] = [];
    const a = await run(lockstep(wasm, await createOrtSiamfc(CFG, 3, loss, DEFAULT_LOSS_SETTINGS, { threads: 1 }), same), `wasm-${loss}`);
    assert.equal(a.history.steps.length, 20);
    assert.equal(b.history.steps.length, 20);
    assert.equal(same.length, 20);
    const apart = losses(a).map((x, i) => rel(x, losses(b)[i]));
    const val = a.history.epochs.map((e, i) => rel(e.valLoss, b.history.epochs[i].valLoss));
    console.log(`# ${loss}: relative loss difference per step, same state: ${fmt(same)}`);
    console.log(`# ${loss}: relative loss difference per step, independent runs: ${fmt(apart)}; validation ${fmt(val)}`);
    same.forEach((d, k) => assert.ok(d <= 2e-6, `step ${k + 1}: ORT and WASM losses of the same state differ by ${d}`));
    apart.forEach((d, k) => assert.ok(d <= (k < 5 ? 1e-5 : 1e-3), `step ${k + 1}: ORT and WASM training losses differ by ${d}`));
    val.forEach((d, k) => assert.ok(d <= 5e-3, `epoch ${k + 1}: validation losses differ by ${d}`));
  });
}

test('a checkpoint written by a WASM training resumes on ORT and continues the same run', async () => {
  const whole = await run(createTfjsSiamfc(CFG, 4, 'logistic', DEFAULT_LOSS_SETTINGS), 'whole-wasm');
  await assert.rejects(
    run(createTfjsSiamfc(CFG, 4, 'logistic', DEFAULT_LOSS_SETTINGS), 'handover', {
      resume: true,
      log: (line) => {
        if (line.startsWith('epoch 2/2 step 1/')) throw new Error('simulated interruption');
      },
    }),
    /simulated interruption/,
  );
  const lines: string[] = [];
  // Another seed: everything must come from the checkpoint.
  const resumed = await run(await createOrtSiamfc(CFG, 99, 'logistic', DEFAULT_LOSS_SETTINGS, { threads: 1 }), 'handover', {
    resume: true,
    log: (l) => lines.push(l),
  });
  assert.match(lines[0], /^resuming from .* at epoch 2\/2$/);
  assert.deepEqual(losses(resumed).slice(0, 10), losses(whole).slice(0, 10), "the first epoch is the checkpoint's history");
  // The logistic loss's runs agree to reassociation level on both engines (above): so must this one.
  const d = losses(resumed)
    .slice(10)
    .map((x, i) => rel(x, losses(whole)[10 + i]));
  console.log(`# WASM epoch 1 then ORT epoch 2 vs WASM throughout, second epoch: ${fmt(d)}`);
  d.forEach((x, k) => assert.ok(x <= 1e-5, `step ${11 + k}: ${x}`));
});
