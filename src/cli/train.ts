import { basename, dirname, join, resolve } from 'node:path';
import { runMain } from '../core/cli-main.ts';
import { removeStaleTemps } from '../core/stale-temps.ts';
import { holdsAny, inspectOutputDir, markOutputDir } from '../core/out-dir.ts';
import { DEFAULT_PAIR_SETTINGS, type PairSettings } from '../benchmarks/got10k/pairs.ts';
import { DEFAULT_LOSS_SETTINGS, type LossName, type LossSettings } from '../trackers/siamfc/losses.ts';
import { type ComputeChoice, selectCompute } from '../compute/engine.ts';
import { saveModelArrays } from '../trackers/siamfc/model-file.ts';
import type { NetworkConfig } from '../trackers/siamfc/network.ts';
import { type PairBatch, PairBatches } from '../training/batches.ts';
import { hasCheckpoint } from '../training/checkpoint.ts';
import { type CropSettings, DEFAULT_CROP_SETTINGS, withoutAugmentation } from '../training/crops.ts';
import { prepareData, type TrainingData } from '../training/data.ts';
import { initFrom, type InitSource, initRecord, readInitSource } from '../training/init-from.ts';
import { type Schedule, train, type TrainResult } from '../training/loop.ts';
import { deriveSeed, Rng } from '../core/random.ts';
import type { TrainableSiamese } from '../training/trainable.ts';
import { createSiamfcTrainable } from '../training/engines/siamfc-trainable.ts';
import { computeRequest } from './options.ts';
import { type Options, parseOptions } from './train-options.ts';

const DEFAULT_OUT: Record<LossName, string> = {
  logistic: 'models/siamfc-trained-candidate',
  global: 'models/siamfc-gs-trained-candidate',
  ranking: 'models/siamfc-tri-trained-candidate',
};

/** For the built-in synthetic train split: the generator version and settings that made it. */
async function syntheticProvenance(splitDir: string): Promise<Record<string, unknown> | null> {
  const { readManifest } = await import('../synthetic/manifest.ts');
  const m = await readManifest(dirname(resolve(splitDir)));
  const train = m.splits.train;
  return train && train.layouts.got10k === basename(resolve(splitDir))
    ? { generator: m.generator, version: m.version, settings: train.settings, splitSeed: train.splitSeed }
    : null;
}

function cropSettings(o: Options): CropSettings {
  return {
    ...DEFAULT_CROP_SETTINGS,
    exemplarSize: o.exemplarSize,
    searchSize: o.searchSize,
    // The reference crops at 255 for a 239 search: 8 px of stretch room and 8 of shift.
    instanceSize: o.searchSize + 16,
    maxStretch: o.stretch,
    maxShift: Math.round(o.shift),
    grayProb: o.gray,
  };
}

function lossSettingsOf(o: Options): LossSettings {
  return {
    labels: { radiusPx: o.posRadius, stride: 8 },
    logistic: DEFAULT_LOSS_SETTINGS.logistic,
    // logisticWeight and the soft maximum only when set, so that the records of models trained before them stay as they were.
    global: {
      eta: o.eta,
      alpha: o.alpha,
      delta: o.delta,
      lambda: o.lambda,
      scores: o.gsScores,
      pooling: o.gsPooling,
      ...(o.gsLogistic > 0 ? { logisticWeight: o.gsLogistic } : {}),
      ...(o.gsHard === 'softmax' ? { hard: 'softmax' as const, tau: o.gsTau } : {}),
    },
  };
}

/** What model.json records of the loss: only the settings the loss uses. */
function recordedLossSettings(loss: LossName, lossSettings: LossSettings, o: Options): Record<string, unknown> {
  if (loss === 'logistic') return { labels: lossSettings.labels, logistic: lossSettings.logistic };
  if (loss === 'global')
    return { labels: lossSettings.labels, global: lossSettings.global, ...(o.gsLogistic > 0 ? { logistic: lossSettings.logistic } : {}) };
  return { labels: lossSettings.labels };
}

/** Pairs that calibrate the batch norm of a folded --init-from model: a stream of their own, unaugmented. */
const CALIBRATION_BATCHES = 4;

async function calibrationBatches(data: TrainingData, o: Options, crops: CropSettings): Promise<PairBatch[]> {
  const source = new PairBatches(data.sampler, new Rng(deriveSeed(o.seed, 'init-from')), o.batch, withoutAugmentation(crops));
  const out: PairBatch[] = [];
  for (let i = 0; i < CALIBRATION_BATCHES; i++) out.push(await source.next());
  return out;
}

function networkConfig(o: Options): NetworkConfig {
  return {
    width: o.width,
    exemplarSize: o.exemplarSize,
    searchSize: o.searchSize,
    headScale: 0.001,
    bnEps: 1e-6,
    bnMomentum: 0.05,
  };
}

function scheduleOf(o: Options): Schedule {
  return {
    epochs: o.epochs,
    stepsPerEpoch: Math.max(1, Math.round(o.pairsPerEpoch / o.batch)),
    batchSize: o.batch,
    lrStart: o.lr,
    lrEnd: o.lrEnd,
    sgd: { momentum: o.momentum, weightDecay: o.weightDecay },
    seed: o.seed,
  };
}

/** The engine, the network on it and the data: everything training needs before its first step. */
interface Setup {
  compute: ComputeChoice;
  cfg: NetworkConfig;
  crops: CropSettings;
  lossSettings: LossSettings;
  pairs: PairSettings;
  init: InitSource | undefined;
  model: TrainableSiamese;
  data: TrainingData;
}

async function setUp(o: Options, loss: LossName, outDir: string): Promise<Setup> {
  // The engine before any data: a bad request or a missing CUDA provider fails at once, in one line.
  const request = computeRequest(o);
  const compute = await selectCompute(request, 1);
  const crops = cropSettings(o);
  const lossSettings = lossSettingsOf(o);
  const cfg = networkConfig(o);
  const init = o.initFrom === undefined ? undefined : await readInitSource(o.initFrom, cfg);
  // The network first: an engine that cannot build it fails before any data is read.
  const model = await createSiamfcTrainable(compute, cfg, deriveSeed(o.seed, 'weights'), loss, lossSettings);
  const pairs = { ...DEFAULT_PAIR_SETTINGS, maxGap: o.maxGap };
  const data = await prepareData(o.data, {
    valFraction: o.valFraction,
    valPairs: o.valPairs,
    seed: o.seed,
    batchSize: o.batch,
    pairs,
    crops,
  });
  // A resumed run continues from its checkpoint, which already holds the fine-tuned weights.
  if (init && !(o.resume && hasCheckpoint(join(outDir, 'training', 'checkpoint')))) {
    await initFrom(model, init, cfg, () => calibrationBatches(data, o, crops), cfg.bnMomentum);
  }
  return { compute, cfg, crops, lossSettings, pairs, init, model, data };
}

/** What model.json records beside the schedule and the losses: the loss, the data, the engine. */
async function trainingRecord(o: Options, loss: LossName, setup: Setup): Promise<Record<string, unknown>> {
  const { compute, data, init } = setup;
  return {
    loss,
    lossSettings: recordedLossSettings(loss, setup.lossSettings, o),
    ...(init ? { initFrom: initRecord(init, CALIBRATION_BATCHES * o.batch) } : {}),
    data: {
      dir: data.splitDir,
      trainSequences: data.trainSequences,
      valSequences: data.valSequences,
      pairs: setup.pairs,
      crops: setup.crops,
      synthetic: await syntheticProvenance(data.splitDir),
    },
    backend: compute.label,
    compute: { engine: compute.engine, provider: compute.provider, threads: compute.threads },
  };
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

function logStart(loss: LossName, { compute, model, data }: Setup, schedule: Schedule): void {
  if (compute.fallback) log(`ONNX Runtime is not in use (${compute.fallback}); training on ${compute.label}`);
  log(
    `training '${loss}' on ${model.engine}: ${data.trainSequences} sequences from ${data.splitDir}, ${data.valSequences.length} held out; ${schedule.epochs} epochs x ${schedule.stepsPerEpoch} steps of ${schedule.batchSize}`,
  );
}

function reportResult(outDir: string, result: TrainResult): void {
  process.stdout.write(
    `${outDir}: ${result.steps} steps in ${result.seconds.toFixed(0)} s, final train loss ${result.finalTrainLoss.toFixed(4)}` +
      `${Number.isNaN(result.finalValLoss) ? '' : `, val loss ${result.finalValLoss.toFixed(4)}`}; curves in ${outDir}/training\n`,
  );
}

async function main(): Promise<void> {
  const o = parseOptions();
  const loss = o.loss as LossName;
  const outDir: string = o.out ?? DEFAULT_OUT[loss];
  // A model folder of someone else's (an imported model, say) is never written over; a study's or an
  // earlier training's (its training/ folder) is, and --resume continues it. Refused here, marked
  // only once training starts, so that an option or engine error leaves no folder behind.
  const outClaim = { dir: outDir, option: '--out', command: 'train', legacy: holdsAny('training') };
  const claimed = inspectOutputDir(outClaim);
  const setup = await setUp(o, loss, outDir);
  const { model, data, cfg, crops } = setup;
  const schedule = scheduleOf(o);
  logStart(loss, setup, schedule);
  await markOutputDir(outClaim, claimed);
  removeStaleTemps(outDir);
  const result = await train({
    model,
    batches: (rng) => new PairBatches(data.sampler, rng, o.batch, crops),
    seed: deriveSeed(o.seed, 'pairs'),
    val: data.val,
    schedule,
    bnMomentum: cfg.bnMomentum,
    outDir,
    resume: o.resume,
    keepCheckpoint: o.keepCheckpoint,
    record: await trainingRecord(o, loss, setup),
    save: (dir, m, meta) => saveModelArrays(dir, m.params, (n) => m.trainable.includes(n), cfg, meta),
    title: `SiamFC x${o.width}, ${loss} loss`,
    log,
  });
  model.dispose();
  reportResult(outDir, result);
}

runMain(main);
