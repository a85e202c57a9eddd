import * as tf from '@tensorflow/tfjs-core';
import { SingleBar } from 'cli-progress';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { LossFn } from '../trackers/siamfc/losses.ts';
import type { PairBatch, PairBatches } from './batches.ts';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { type EpochRecord, type History, writeCurves } from './curves.ts';
import type { TrainableSiamese } from './model.ts';
import { Rng } from './random.ts';
import { geometricLr } from './schedule.ts';
import { MomentumSgd, type SgdSettings } from './sgd.ts';

/** The schedule; a resumed run must use the same one (it is checked against the checkpoint). */
export interface Schedule {
  epochs: number;
  stepsPerEpoch: number;
  batchSize: number;
  lrStart: number;
  lrEnd: number;
  sgd: SgdSettings;
  seed: number;
}

export interface TrainRun {
  model: TrainableSiamese;
  loss: LossFn;
  /** Batches of augmented training pairs drawn with `rng` (fresh or restored from a checkpoint). */
  batches: (rng: Rng) => PairBatches;
  /** The training pairs' random stream for a fresh run. */
  seed: number;
  /** Fixed held-out pairs, the same every epoch; empty when nothing was held out. */
  val: PairBatch[];
  schedule: Schedule;
  /** Model files go here; curves and the checkpoint under <outDir>/training. */
  outDir: string;
  resume: boolean;
  keepCheckpoint: boolean;
  /** Recorded in the saved model's metadata beside the schedule and the losses. */
  record: Record<string, unknown>;
  title: string;
  log: (line: string) => void;
}

export interface TrainResult {
  history: History;
  steps: number;
  seconds: number;
  finalTrainLoss: number;
  finalValLoss: number;
}

interface CheckpointState {
  schedule: Schedule;
  nextEpoch: number;
  rng: number;
  history: History;
  seconds: number;
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toTensors(b: PairBatch): { z: tf.Tensor4D; x: tf.Tensor4D } {
  const ez = Math.round(Math.sqrt(b.exemplars.length / b.size / 3));
  const sx = Math.round(Math.sqrt(b.searches.length / b.size / 3));
  return { z: tf.tensor4d(b.exemplars, [b.size, ez, ez, 3]), x: tf.tensor4d(b.searches, [b.size, sx, sx, 3]) };
}

export async function validationLoss(model: TrainableSiamese, loss: LossFn, val: PairBatch[]): Promise<number> {
  if (val.length === 0) return NaN;
  let sum = 0;
  let n = 0;
  for (const b of val) {
    const l = tf.tidy(() => {
      const { z, x } = toTensors(b);
      return loss(model.forward(z, x, false));
    });
    sum += (await l.data())[0] * b.size;
    n += b.size;
    l.dispose();
  }
  return sum / n;
}

export async function train(run: TrainRun): Promise<TrainResult> {
  const { model, schedule } = run;
  const trainingDir = join(run.outDir, 'training');
  const checkpointDir = join(trainingDir, 'checkpoint');
  const sgd = new MomentumSgd(model.variables, schedule.sgd, (n) => model.decays(n));
  let history: History = { steps: [], epochs: [] };
  let firstEpoch = 0;
  let rng = new Rng(run.seed);
  let seconds = 0;

  if (run.resume && hasCheckpoint(checkpointDir)) {
    const ck = await loadCheckpoint<CheckpointState>(checkpointDir);
    if (!sameSchedule(ck.state.schedule, schedule)) {
      throw new UserError(`--resume: ${checkpointDir} was made with a different schedule ${JSON.stringify(ck.state.schedule)}; use the same options or a new --out`);
    }
    const targets = new Map<string, tf.Variable>([
      ...[...model.variables].map(([n, v]) => [`var/${n}`, v] as const),
      ...[...model.state].map(([n, v]) => [`state/${n}`, v] as const),
      ...[...sgd.velocity].map(([n, v]) => [`velocity/${n}`, v] as const),
    ]);
    for (const [name, v] of targets) {
      const t = ck.tensors.get(name);
      if (!t || t.shape.join() !== v.shape.join()) throw new UserError(`--resume: ${checkpointDir} has no tensor ${name} of shape [${v.shape}] (another architecture?)`);
      v.assign(t);
    }
    for (const t of ck.tensors.values()) t.dispose();
    history = ck.state.history;
    firstEpoch = ck.state.nextEpoch;
    rng = new Rng(0).restore(ck.state.rng);
    seconds = ck.state.seconds;
    run.log(`resuming from ${checkpointDir} at epoch ${firstEpoch + 1}/${schedule.epochs}`);
  }

  const batches = run.batches(rng);
  const names = [...model.variables.keys()];
  const vars = names.map((n) => model.variables.get(n)!);
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'epoch {epoch} [{bar}] {value}/{total} | loss {loss} | {pps} pairs/s | eta {eta_formatted}', hideCursor: true })
    : null;
  const logEvery = Math.max(1, Math.floor(schedule.stepsPerEpoch / 5));

  for (let epoch = firstEpoch; epoch < schedule.epochs; epoch++) {
    const lr = geometricLr(epoch, schedule.epochs, schedule.lrStart, schedule.lrEnd);
    const epochStart = performance.now();
    let epochLoss = 0;
    bar?.start(schedule.stepsPerEpoch, 0, { epoch: `${epoch + 1}/${schedule.epochs}`, loss: '-', pps: '-' });
    for (let i = 0; i < schedule.stepsPerEpoch; i++) {
      const t0 = performance.now();
      const batch = await batches.next();
      const value = tf.tidy(() => {
        const { z, x } = toTensors(batch);
        const { value: l, grads } = tf.variableGrads(() => run.loss(model.forward(z, x, true)), vars);
        sgd.step(new Map(names.map((n, k) => [n, grads[vars[k].name]])), lr);
        model.updateStatistics(z, x);
        return l;
      });
      const loss = (await value.data())[0];
      value.dispose();
      const step = epoch * schedule.stepsPerEpoch + i + 1;
      if (!Number.isFinite(loss)) {
        bar?.stop();
        throw new UserError(`training diverged: loss ${loss} at step ${step} (epoch ${epoch + 1}); lower --lr or check the data`);
      }
      const pps = batch.size / ((performance.now() - t0) / 1000);
      epochLoss += loss;
      history.steps.push({ step, epoch, lr, loss, pairsPerSecond: pps });
      bar?.update(i + 1, { loss: loss.toFixed(4), pps: pps.toFixed(2) });
      if (!bar && ((i + 1) % logEvery === 0 || i === 0)) {
        run.log(`epoch ${epoch + 1}/${schedule.epochs} step ${i + 1}/${schedule.stepsPerEpoch} loss ${loss.toFixed(4)} lr ${lr.toExponential(2)} ${pps.toFixed(2)} pairs/s`);
      }
    }
    bar?.stop();
    const valLoss = await validationLoss(model, run.loss, run.val);
    const elapsed = (performance.now() - epochStart) / 1000;
    seconds += elapsed;
    const record: EpochRecord = { epoch, lr, trainLoss: epochLoss / schedule.stepsPerEpoch, valLoss, seconds: elapsed };
    history.epochs.push(record);
    run.log(`epoch ${epoch + 1}/${schedule.epochs}: train loss ${record.trainLoss.toFixed(4)}, val loss ${Number.isNaN(valLoss) ? '-' : valLoss.toFixed(4)}, ${elapsed.toFixed(1)} s`);
    await writeCurves(trainingDir, history, run.title);
    const tensors = new Map<string, tf.Tensor>([
      ...[...model.variables].map(([n, v]) => [`var/${n}`, v] as const),
      ...[...model.state].map(([n, v]) => [`state/${n}`, v] as const),
      ...[...sgd.velocity].map(([n, v]) => [`velocity/${n}`, v] as const),
    ]);
    await saveCheckpoint<CheckpointState>(checkpointDir, { tensors, state: { schedule, nextEpoch: epoch + 1, rng: batches.rngState(), history, seconds } });
  }
  sgd.dispose();

  const last = history.epochs[history.epochs.length - 1];
  const result: TrainResult = {
    history,
    steps: history.steps.length,
    seconds,
    finalTrainLoss: last?.trainLoss ?? NaN,
    finalValLoss: last?.valLoss ?? NaN,
  };
  await model.save(run.outDir, {
    ...run.record,
    schedule,
    architecture: model.describe(),
    steps: result.steps,
    trainingSeconds: Math.round(seconds),
    finalTrainLoss: result.finalTrainLoss,
    finalValLoss: Number.isNaN(result.finalValLoss) ? null : result.finalValLoss,
  });
  if (!run.keepCheckpoint) await rm(checkpointDir, { recursive: true, force: true });
  return result;
}
