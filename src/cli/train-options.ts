/** The command line of `npm run train`: its options, in the order --help lists them, and their checks. */
import { Command, Option } from 'commander';
import { UserError } from '../core/errors.ts';
import { DEFAULT_PAIR_SETTINGS } from '../benchmarks/got10k/pairs.ts';
import { DEFAULT_LOSS_SETTINGS, DEFAULT_SOFT_TAU, LOSS_NAMES } from '../trackers/siamfc/losses.ts';
import { DEFAULT_CROP_SETTINGS } from '../training/crops.ts';
import { addComputeOptions } from './options.ts';

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

function addNetworkOptions(program: Command): Command {
  return program
    .option('--width <k>', 'channel width multiplier', positive('--width'), 0.25)
    .option('--exemplar-size <px>', 'exemplar crop side', count('--exemplar-size'), 127)
    .option('--search-size <px>', 'search crop side (the 255 - 16 of the reference recipe)', count('--search-size'), 239);
}

function addScheduleOptions(program: Command): Command {
  return program
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
    );
}

function addPairOptions(program: Command): Command {
  return program
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
    );
}

function addLossOptions(program: Command): Command {
  const global = DEFAULT_LOSS_SETTINGS.global;
  return program
    .option(
      '--pos-radius <px>',
      'label radius of positive cells, in search-image pixels',
      positive('--pos-radius'),
      DEFAULT_LOSS_SETTINGS.labels.radiusPx,
    )
    .option('--eta <w>', 'global loss: weight of the hard-sample term', nonNegative('--eta'), global.eta)
    .option('--alpha <m>', 'global loss: margin of the hardest pair', nonNegative('--alpha'), global.alpha)
    .option('--delta <m>', 'global loss: required gap between the means', nonNegative('--delta'), global.delta)
    .option('--lambda <w>', 'global loss: weight of the mean-gap term', nonNegative('--lambda'), global.lambda)
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
    );
}

/** Where training starts from and what it leaves behind. */
function addStartOptions(program: Command): Command {
  return program
    .option(
      '--init-from <dir>',
      "start from this model folder's weights (fine-tuning; same --width; a folded import is unfolded, see docs/training.md)",
    )
    .option('--resume', 'continue from <out>/training/checkpoint if present', false)
    .option('--keep-checkpoint', 'keep the last checkpoint after the model is saved', false);
}

function buildProgram(): Command {
  const program = new Command()
    .name('npm run train --')
    .description('Train SiamFC on GOT-10k-layout data with the balanced logistic, global similarity or ranking loss.')
    .addOption(new Option('--loss <name>', 'training loss').choices([...LOSS_NAMES]).makeOptionMandatory())
    .option('--data <dir>', 'GOT-10k root or train split (list.txt, <seq>/groundtruth.txt, <seq>/00000001.jpg)', 'data/synthetic/train')
    .option('--out <dir>', 'model directory (default models/<siamfc|siamfc-gs|siamfc-tri>-trained-candidate)');
  for (const add of [addNetworkOptions, addScheduleOptions, addPairOptions, addLossOptions, addStartOptions]) add(program);
  program.showHelpAfterError();
  addComputeOptions(program);
  program.exitOverride((err) => {
    if (err.exitCode === 0) process.exit(0);
    throw new UserError(err.message.replace(/^error: /, ''));
  });
  program.configureOutput({ writeErr: () => {} });
  return program;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander's parsed options
export type Options = Record<string, any>;

/** The parsed options, checked against each other as well as one by one. */
export function parseOptions(): Options {
  const program = buildProgram();
  program.parse();
  const o = program.opts();
  if (o.gsHard !== 'softmax' && program.getOptionValueSource('gsTau') === 'cli')
    throw new UserError('--gs-tau: the temperature of --gs-hard softmax, which is not set');
  if (o.searchSize <= o.exemplarSize)
    throw new UserError(`--search-size (${o.searchSize}) must exceed --exemplar-size (${o.exemplarSize})`);
  return o;
}
