import { SingleBar } from 'cli-progress';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { PairBatch, PairBatches } from './batches.ts';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { type EpochRecord, type History, writeCurves } from './curves.ts';
import { foldBatchStatistics } from './moving-stats.ts';
import { Rng } from '../core/random.ts';
import { geometricLr } from './schedule.ts';
import { MomentumSgd, type SgdSettings } from './sgd.ts';
import type { ParamArray, TrainableSiamese } from './trainable.ts';

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
  /** The network on its engine; its loss is part of it (the engine differentiates it). */
  model: TrainableSiamese;
  /** Batches of augmented training pairs drawn with `rng` (fresh or restored from a checkpoint). */
  batches: (rng: Rng) => PairBatches;
  /** The training pairs' random stream for a fresh run. */
  seed: number;
  /** Fixed held-out pairs, the same every epoch; empty when nothing was held out. */
  val: PairBatch[];
  schedule: Schedule;
  /** Smallest momentum of the moving batch-norm statistics (see moving-stats.ts). */
  bnMomentum: number;
  /** Model files go here; curves and the checkpoint under <outDir>/training. */
  outDir: string;
  resume: boolean;
  keepCheckpoint: boolean;
  /** Recorded in the saved model's metadata beside the schedule and the losses. */
  record: Record<string, unknown>;
  /** Writes the trained model (its parameters are model.params) with `meta` as its training record. */
  save: (dir: string, model: TrainableSiamese, meta: Record<string, unknown>) => Promise<void>;
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

async function validationLoss(model: TrainableSiamese, val: PairBatch[]): Promise<number> {
  if (val.length === 0) return NaN;
  let sum = 0;
  let n = 0;
  for (const b of val) {
    sum += (await model.loss(b)) * b.size;
    n += b.size;
  }
  return sum / n;
}

/**
 * Everything a checkpoint carries, by the names TensorFlow.js-only training gave them: 'var/' the
 * trainable parameters, 'state/' the rest (moving statistics, counters), 'velocity/' the momentum.
 */
function checkpointArrays(model: TrainableSiamese, sgd: MomentumSgd): Map<string, ParamArray> {
  const trainable = new Set(model.trainable);
  const out = new Map<string, ParamArray>();
  for (const [n, p] of model.params) out.set(`${trainable.has(n) ? 'var' : 'state'}/${n}`, p);
  for (const [n, v] of sgd.velocity) out.set(`velocity/${n}`, { shape: model.params.get(n)!.shape, data: v });
  return out;
}

/** Where a run starts: from scratch, or where its checkpoint left off. */
interface StartState {
  history: History;
  firstEpoch: number;
  rng: Rng;
  seconds: number;
}

function freshStart(run: TrainRun): StartState {
  return { history: { steps: [], epochs: [] }, firstEpoch: 0, rng: new Rng(run.seed), seconds: 0 };
}

/** Copies the checkpoint's arrays into the model and the optimiser, once all of them are known to fit. */
function restoreArrays(targets: Map<string, ParamArray>, saved: Map<string, ParamArray>, checkpointDir: string): void {
  for (const [name, target] of targets) {
    const a = saved.get(name);
    if (!a || a.shape.join() !== target.shape.join())
      throw new UserError(`--resume: ${checkpointDir} has no tensor ${name} of shape [${target.shape}] (another architecture?)`);
  }
  // Only once every array is known to fit: a refused checkpoint leaves the model as it was.
  for (const [name, target] of targets) target.data.set(saved.get(name)!.data);
}

async function resumeStart(run: TrainRun, sgd: MomentumSgd, checkpointDir: string): Promise<StartState> {
  const ck = await loadCheckpoint<CheckpointState>(checkpointDir);
  if (!sameSchedule(ck.state.schedule, run.schedule)) {
    throw new UserError(
      `--resume: ${checkpointDir} was made with a different schedule ${JSON.stringify(ck.state.schedule)}; use the same options or a new --out`,
    );
  }
  restoreArrays(checkpointArrays(run.model, sgd), ck.arrays, checkpointDir);
  const start: StartState = {
    history: ck.state.history,
    firstEpoch: ck.state.nextEpoch,
    rng: new Rng(0).restore(ck.state.rng),
    seconds: ck.state.seconds,
  };
  run.log(`resuming from ${checkpointDir} at epoch ${start.firstEpoch + 1}/${run.schedule.epochs}`);
  return start;
}

/** A bar on a terminal; elsewhere (a log file, a study's worker) a few log lines per epoch instead. */
function progressBar(): SingleBar | null {
  return process.stderr.isTTY
    ? new SingleBar({
        format: 'epoch {epoch} [{bar}] {value}/{total} | loss {loss} | {pps} pairs/s | eta {eta_formatted}',
        hideCursor: true,
      })
    : null;
}

/** A run in progress: what its epochs share, and the history and time they add to. */
interface Session {
  run: TrainRun;
  sgd: MomentumSgd;
  batches: PairBatches;
  bar: SingleBar | null;
  logEvery: number;
  trainingDir: string;
  checkpointDir: string;
  history: History;
  seconds: number;
}

/** One optimiser step on the next batch; returns its loss. */
async function trainStep(s: Session, epoch: number, i: number, lr: number): Promise<number> {
  const { model, schedule } = s.run;
  const t0 = performance.now();
  const batch = await s.batches.next();
  const { loss, grads } = await model.lossAndGrads(batch);
  const step = epoch * schedule.stepsPerEpoch + i + 1;
  if (!Number.isFinite(loss)) {
    s.bar?.stop();
    throw new UserError(`training diverged: loss ${loss} at step ${step} (epoch ${epoch + 1}); lower --lr or check the data`);
  }
  s.sgd.step(grads, lr);
  // Statistics of the updated network, as a framework folds them after its optimiser step.
  foldBatchStatistics(model.params, await model.batchStatistics(batch), s.run.bnMomentum);
  const pps = batch.size / ((performance.now() - t0) / 1000);
  s.history.steps.push({ step, epoch, lr, loss, pairsPerSecond: pps });
  s.bar?.update(i + 1, { loss: loss.toFixed(4), pps: pps.toFixed(2) });
  if (!s.bar && ((i + 1) % s.logEvery === 0 || i === 0)) {
    s.run.log(
      `epoch ${epoch + 1}/${schedule.epochs} step ${i + 1}/${schedule.stepsPerEpoch} loss ${loss.toFixed(4)} lr ${lr.toExponential(2)} ${pps.toFixed(2)} pairs/s`,
    );
  }
  return loss;
}

/** The epoch's steps; returns the sum of their losses. */
async function trainSteps(s: Session, epoch: number, lr: number): Promise<number> {
  const { schedule } = s.run;
  let epochLoss = 0;
  s.bar?.start(schedule.stepsPerEpoch, 0, { epoch: `${epoch + 1}/${schedule.epochs}`, loss: '-', pps: '-' });
  for (let i = 0; i < schedule.stepsPerEpoch; i++) epochLoss += await trainStep(s, epoch, i, lr);
  s.bar?.stop();
  return epochLoss;
}

/** Validates, records and logs the finished epoch, then writes the curves and the checkpoint. */
async function finishEpoch(s: Session, epoch: number, lr: number, epochLoss: number, epochStart: number): Promise<void> {
  const { schedule } = s.run;
  const valLoss = await validationLoss(s.run.model, s.run.val);
  const elapsed = (performance.now() - epochStart) / 1000;
  s.seconds += elapsed;
  const record: EpochRecord = { epoch, lr, trainLoss: epochLoss / schedule.stepsPerEpoch, valLoss, seconds: elapsed };
  s.history.epochs.push(record);
  s.run.log(
    `epoch ${epoch + 1}/${schedule.epochs}: train loss ${record.trainLoss.toFixed(4)}, val loss ${Number.isNaN(valLoss) ? '-' : valLoss.toFixed(4)}, ${elapsed.toFixed(1)} s`,
  );
  await writeCurves(s.trainingDir, s.history, s.run.title);
  await saveCheckpoint<CheckpointState>(s.checkpointDir, {
    arrays: checkpointArrays(s.run.model, s.sgd),
    state: { schedule, nextEpoch: epoch + 1, rng: s.batches.rngState(), history: s.history, seconds: s.seconds },
  });
}

async function trainEpoch(s: Session, epoch: number): Promise<void> {
  const { schedule } = s.run;
  const lr = geometricLr(epoch, schedule.epochs, schedule.lrStart, schedule.lrEnd);
  const epochStart = performance.now();
  const epochLoss = await trainSteps(s, epoch, lr);
  await finishEpoch(s, epoch, lr, epochLoss, epochStart);
}

function summary(history: History, seconds: number): TrainResult {
  const last = history.epochs[history.epochs.length - 1];
  return {
    history,
    steps: history.steps.length,
    seconds,
    finalTrainLoss: last?.trainLoss ?? NaN,
    finalValLoss: last?.valLoss ?? NaN,
  };
}

/** Writes the trained model, its training record beside the caller's. */
async function saveModel(run: TrainRun, result: TrainResult): Promise<void> {
  const { model } = run;
  await run.save(run.outDir, model, {
    ...run.record,
    schedule: run.schedule,
    architecture: model.describe(),
    engine: model.engine,
    steps: result.steps,
    trainingSeconds: Math.round(result.seconds),
    finalTrainLoss: result.finalTrainLoss,
    finalValLoss: Number.isNaN(result.finalValLoss) ? null : result.finalValLoss,
  });
}

export async function train(run: TrainRun): Promise<TrainResult> {
  const { model, schedule } = run;
  const trainingDir = join(run.outDir, 'training');
  const checkpointDir = join(trainingDir, 'checkpoint');
  const sgd = new MomentumSgd(model.params, model.trainable, schedule.sgd, (n) => model.decays(n));
  const start = run.resume && hasCheckpoint(checkpointDir) ? await resumeStart(run, sgd, checkpointDir) : freshStart(run);
  const s: Session = {
    run,
    sgd,
    batches: run.batches(start.rng),
    bar: progressBar(),
    logEvery: Math.max(1, Math.floor(schedule.stepsPerEpoch / 5)),
    trainingDir,
    checkpointDir,
    history: start.history,
    seconds: start.seconds,
  };
  for (let epoch = start.firstEpoch; epoch < schedule.epochs; epoch++) await trainEpoch(s, epoch);
  const result = summary(s.history, s.seconds);
  await saveModel(run, result);
  if (!run.keepCheckpoint) await rm(checkpointDir, { recursive: true, force: true });
  return result;
}
