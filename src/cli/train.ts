import { basename, dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { holdsAny, inspectOutputDir, markOutputDir } from '../core/out-dir.ts';
import { DEFAULT_PAIR_SETTINGS } from '../benchmarks/got10k/pairs.ts';
import { DEFAULT_LOSS_SETTINGS, DEFAULT_SOFT_TAU, LOSS_NAMES, type LossName, type LossSettings } from '../trackers/siamfc/losses.ts';
import { selectCompute } from '../compute/engine.ts';
import { saveModelArrays } from '../trackers/siamfc/model-file.ts';
import type { NetworkConfig } from '../trackers/siamfc/network.ts';
import { type PairBatch, PairBatches } from '../training/batches.ts';
import { hasCheckpoint } from '../training/checkpoint.ts';
import { type CropSettings, DEFAULT_CROP_SETTINGS, withoutAugmentation } from '../training/crops.ts';
import { prepareData, type TrainingData } from '../training/data.ts';
import { initFrom, initRecord, readInitSource } from '../training/init-from.ts';
import { type Schedule, train } from '../training/loop.ts';
import { deriveSeed, Rng } from '../core/random.ts';
import { createSiamfcTrainable } from '../training/engines/siamfc-trainable.ts';
import { addComputeOptions, computeRequest } from './options.ts';

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

function num(option: string, check: (v: number) => boolean, what: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UserError(`${option}: expected ${what}, got '${raw}'`);
    return v;
  };
}
const positive = (o: string) => num(o, (v) => v > 0, 'a positive number');
const count = (o: string) => num(o, (v) => Number.isInteger(v) && v >= 1, 'a whole number >= 1');
const nonNegative = (o: string) => num(o, (v) => v >= 0, 'a number >= 0');

function buildProgram(): Command {
  const program = new Command()
    .name('npm run train --')
    .description('Train SiamFC on GOT-10k-layout data with the balanced logistic, global similarity or ranking loss.')
    .addOption(new Option('--loss <name>', 'training loss').choices([...LOSS_NAMES]).makeOptionMandatory())
    .option('--data <dir>', 'GOT-10k root or train split (list.txt, <seq>/groundtruth.txt, <seq>/00000001.jpg)', 'data/synthetic/train')
    .option('--out <dir>', 'model directory (default models/<siamfc|siamfc-gs|siamfc-tri>-trained-candidate)')
    .option('--width <k>', 'channel width multiplier', positive('--width'), 0.25)
    .option('--exemplar-size <px>', 'exemplar crop side', count('--exemplar-size'), 127)
    .option('--search-size <px>', 'search crop side (the 255 - 16 of the reference recipe)', count('--search-size'), 239)
    .option('--epochs <n>', 'epochs', count('--epochs'), 50)
    .option('--pairs-per-epoch <n>', 'training pairs per epoch', count('--pairs-per-epoch'), 53200)
    .option('--batch <n>', 'pairs per batch', count('--batch'), 8)
    .option('--lr <start>', 'learning rate of the first epoch', positive('--lr'), 1e-2)
    .option('--lr-end <end>', 'learning rate of the last epoch (geometric in between)', positive('--lr-end'), 1e-5)
    .option('--momentum <m>', 'SGD momentum', nonNegative('--momentum'), 0.9)
    .option('--weight-decay <d>', 'L2 weight decay on convolution kernels', nonNegative('--weight-decay'), 5e-4)
    .option(
      '--seed <n>',
      'seed for weights, pairs, augmentation and the validation split',
      num('--seed', Number.isInteger, 'an integer'),
      1,
    )
    .option('--val-fraction <f>', 'fraction of sequences held out for validation', nonNegative('--val-fraction'), 0.1)
    .option('--val-pairs <n>', 'validation pairs scored after each epoch', nonNegative('--val-pairs'), 64)
    .option('--max-gap <frames>', 'largest frame distance within a pair', count('--max-gap'), DEFAULT_PAIR_SETTINGS.maxGap)
    .option('--stretch <f>', 'largest random stretch', nonNegative('--stretch'), DEFAULT_CROP_SETTINGS.maxStretch)
    .option('--shift <px>', 'largest random shift', nonNegative('--shift'), DEFAULT_CROP_SETTINGS.maxShift)
    .option(
      '--gray <p>',
      'probability of a grey pair',
      num('--gray', (v) => v >= 0 && v <= 1, 'a probability 0..1'),
      DEFAULT_CROP_SETTINGS.grayProb,
    )
    .option(
      '--pos-radius <px>',
      'label radius of positive cells, in search-image pixels',
      positive('--pos-radius'),
      DEFAULT_LOSS_SETTINGS.labels.radiusPx,
    )
    .option('--eta <w>', 'global loss: weight of the hard-sample term', nonNegative('--eta'), DEFAULT_LOSS_SETTINGS.global.eta)
    .option('--alpha <m>', 'global loss: margin of the hardest pair', nonNegative('--alpha'), DEFAULT_LOSS_SETTINGS.global.alpha)
    .option('--delta <m>', 'global loss: required gap between the means', nonNegative('--delta'), DEFAULT_LOSS_SETTINGS.global.delta)
    .option('--lambda <w>', 'global loss: weight of the mean-gap term', nonNegative('--lambda'), DEFAULT_LOSS_SETTINGS.global.lambda)
    .addOption(new Option('--gs-scores <kind>', 'global loss: scores the statistics use').choices(['sigmoid', 'logits']).default('sigmoid'))
    .addOption(
      new Option('--gs-pooling <how>', 'global loss: statistics per map or over the batch').choices(['map', 'batch']).default('map'),
    )
    .option(
      '--gs-logistic <w>',
      'global loss: weight of the balanced logistic loss added to it (0: the global loss alone)',
      nonNegative('--gs-logistic'),
      0,
    )
    .addOption(
      new Option('--gs-hard <kind>', 'global loss: hard-sample term over the hardest pair (max) or a soft maximum over the hardest few')
        .choices(['max', 'softmax'])
        .default('max'),
    )
    .option(
      '--gs-tau <t>',
      'global loss: temperature of the soft maximum (--gs-hard softmax), in score units',
      positive('--gs-tau'),
      DEFAULT_SOFT_TAU,
    )
    .option(
      '--init-from <dir>',
      "start from this model folder's weights (fine-tuning; same --width; a folded import is unfolded, see docs/training.md)",
    )
    .option('--resume', 'continue from <out>/training/checkpoint if present', false)
    .option('--keep-checkpoint', 'keep the last checkpoint after the model is saved', false)
    .showHelpAfterError();
  addComputeOptions(program);
  program.exitOverride((err) => {
    if (err.exitCode === 0) process.exit(0);
    throw new UserError(err.message.replace(/^error: /, ''));
  });
  program.configureOutput({ writeErr: () => {} });
  return program;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's parsed options
type Options = Record<string, any>;

function parseOptions(): Options {
  const program = buildProgram();
  program.parse();
  const o = program.opts();
  if (o.gsHard !== 'softmax' && program.getOptionValueSource('gsTau') === 'cli')
    throw new UserError('--gs-tau: the temperature of --gs-hard softmax, which is not set');
  if (o.searchSize <= o.exemplarSize)
    throw new UserError(`--search-size (${o.searchSize}) must exceed --exemplar-size (${o.exemplarSize})`);
  return o;
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

async function main(): Promise<void> {
  const o = parseOptions();
  const loss = o.loss as LossName;
  const outDir: string = o.out ?? DEFAULT_OUT[loss];
  // A model folder of someone else's (an imported model, say) is never written over; a study's or an
  // earlier training's (its training/ folder) is, and --resume continues it. Refused here, marked
  // only once training starts, so that an option or engine error leaves no folder behind.
  const outClaim = { dir: outDir, option: '--out', command: 'train', legacy: holdsAny('training') };
  const claimed = inspectOutputDir(outClaim);
  // The engine before any data: a bad request or a missing CUDA provider fails at once, in one line.
  const request = computeRequest(o);
  const compute = await selectCompute(request, 1);
  const crops = cropSettings(o);
  const lossSettings = lossSettingsOf(o);
  const cfg: NetworkConfig = {
    width: o.width,
    exemplarSize: o.exemplarSize,
    searchSize: o.searchSize,
    headScale: 0.001,
    bnEps: 1e-6,
    bnMomentum: 0.05,
  };
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
  const schedule: Schedule = {
    epochs: o.epochs,
    stepsPerEpoch: Math.max(1, Math.round(o.pairsPerEpoch / o.batch)),
    batchSize: o.batch,
    lrStart: o.lr,
    lrEnd: o.lrEnd,
    sgd: { momentum: o.momentum, weightDecay: o.weightDecay },
    seed: o.seed,
  };
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  if (compute.fallback) log(`ONNX Runtime is not in use (${compute.fallback}); training on ${compute.label}`);
  log(
    `training '${loss}' on ${model.engine}: ${data.trainSequences} sequences from ${data.splitDir}, ${data.valSequences.length} held out; ${schedule.epochs} epochs x ${schedule.stepsPerEpoch} steps of ${schedule.batchSize}`,
  );
  await markOutputDir(outClaim, claimed);
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
    record: {
      loss,
      lossSettings: recordedLossSettings(loss, lossSettings, o),
      ...(init ? { initFrom: initRecord(init, CALIBRATION_BATCHES * o.batch) } : {}),
      data: {
        dir: data.splitDir,
        trainSequences: data.trainSequences,
        valSequences: data.valSequences,
        pairs,
        crops,
        synthetic: await syntheticProvenance(data.splitDir),
      },
      backend: compute.label,
      compute: { engine: compute.engine, provider: compute.provider, threads: compute.threads },
    },
    save: (dir, m, meta) => saveModelArrays(dir, m.params, (n) => m.trainable.includes(n), cfg, meta),
    title: `SiamFC x${o.width}, ${loss} loss`,
    log,
  });
  model.dispose();
  process.stdout.write(
    `${outDir}: ${result.steps} steps in ${result.seconds.toFixed(0)} s, final train loss ${result.finalTrainLoss.toFixed(4)}` +
      `${Number.isNaN(result.finalValLoss) ? '' : `, val loss ${result.finalValLoss.toFixed(4)}`}; curves in ${outDir}/training\n`,
  );
}

runMain(main);
