import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { claimOutputDir, holdsAny, releaseNewOutputDir } from '../core/out-dir.ts';
import {
  ensureSynthetic,
  PRESETS,
  SPLITS,
  SYNTHETIC_DEFAULTS,
  type PresetName,
  type SplitName,
  type SyntheticOptions,
  type GenerateProgress,
  type SyntheticManifest,
} from '../synthetic/index.ts';

function whole(option: string, min: number) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min)
      throw new UserError(`${option}: expected a whole number >= ${min}, got '${raw}'`);
    return v;
  };
}

function splitList(raw: string): SplitName[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const n of names)
    if (!(SPLITS as readonly string[]).includes(n)) throw new UserError(`--splits: unknown split '${n}' (expected ${SPLITS.join(', ')})`);
  if (names.length === 0) throw new UserError(`--splits: expected one or more of ${SPLITS.join(', ')}`);
  return names as SplitName[];
}

function buildProgram(): Command {
  const d = SYNTHETIC_DEFAULTS;
  return new Command()
    .name('npm run generate --')
    .description('Generate the synthetic benchmark (cached: an up-to-date set is left alone).')
    .addOption(new Option('--preset <name>', 'settings to start from').choices(Object.keys(PRESETS)).default('default'))
    .option('--out <dir>', `output folder (default ${PRESETS.default.dir}, or ${PRESETS.regress.dir} for --preset regress)`)
    .option('--splits <list>', 'splits to generate, comma separated: test (OTB + VOT layouts), train (GOT-10k layout)', splitList)
    .option('--train', 'also generate the training split (same as adding train to --splits)', false)
    .option('--seed <n>', `base seed; test and train derive their own from it (default ${d.seed})`, whole('--seed', 0))
    .option('--sequences <n>', `test sequences (default ${d.testSequences})`, whole('--sequences', 1))
    .option('--frames <n>', `frames per test sequence (default ${d.testFrames})`, whole('--frames', 1))
    .option('--train-sequences <n>', `training sequences (default ${d.trainSequences})`, whole('--train-sequences', 1))
    .option('--train-frames <n>', `frames per training sequence (default ${d.trainFrames})`, whole('--train-frames', 1))
    .option('--width <px>', `frame width (default ${d.width})`, whole('--width', 1))
    .option('--height <px>', `frame height (default ${d.height})`, whole('--height', 1))
    .option('--quality <q>', `JPEG quality 1..100 (default ${d.quality})`, whole('--quality', 1))
    .option(
      '--workers <n>',
      'threads rendering sequences (default: the cores, at most 4; small sets render in one); output is the same',
      whole('--workers', 1),
    )
    .option('--force', 'regenerate even when the cached set matches', false);
}

/** Parses argv; --help exits, and commander's errors become one line. */
function parseArgs(program: Command): ReturnType<Command['opts']> {
  program.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    program.parse();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed') process.exit(0);
      throw new UserError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  return program.opts();
}

/** The flag each library option came from, so that the library's errors name what the user typed. */
const FLAG: Record<string, string> = {
  seed: '--seed',
  testSequences: '--sequences',
  testFrames: '--frames',
  trainSequences: '--train-sequences',
  trainFrames: '--train-frames',
  width: '--width',
  height: '--height',
  quality: '--quality',
  workers: '--workers',
};

/** The settings given on the command line (the preset supplies the rest). */
function pickedOptions(o: ReturnType<Command['opts']>): SyntheticOptions {
  return Object.fromEntries(
    Object.entries({
      seed: o.seed,
      testSequences: o.sequences,
      testFrames: o.frames,
      trainSequences: o.trainSequences,
      trainFrames: o.trainFrames,
      width: o.width,
      height: o.height,
      quality: o.quality,
    }).filter(([, v]) => v !== undefined),
  );
}

/** A progress bar per split on a terminal, and each split's outcome for the summary. */
function progress() {
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: '{split} [{bar}] {value}/{total} frames | {sequence} | eta {eta_formatted}', hideCursor: true })
    : null;
  let barSplit: string | undefined;
  const status = new Map<SplitName, string>();
  const onProgress = (p: GenerateProgress) => {
    if (!bar) return;
    if (barSplit !== p.split) {
      if (barSplit) bar.stop();
      bar.start(p.framesTotal, 0, { split: p.split, sequence: p.sequence });
      barSplit = p.split;
    }
    bar.update(p.framesDone, { sequence: p.sequence });
  };
  const onSplit = (split: SplitName, st: string, seconds: number) => {
    if (barSplit === split) {
      bar?.stop();
      barSplit = undefined;
    }
    status.set(split, st === 'cached' ? 'up to date' : `generated in ${seconds.toFixed(1)} s`);
  };
  return { status, onProgress, onSplit, stop: () => bar?.stop() };
}

function printSummary(
  manifest: SyntheticManifest,
  splits: Set<SplitName>,
  dir: string,
  status: Map<SplitName, string>,
  started: number,
): void {
  for (const split of SPLITS.filter((s) => splits.has(s))) {
    const s = manifest.splits[split]!;
    const where = Object.entries(s.layouts)
      .map(([layout, rel]) => `${layout} ${resolve(dir, rel!)}`)
      .join(', ');
    process.stdout.write(
      `${split}: ${status.get(split)}; ${s.sequences.length} sequences x ${s.settings.frames} frames (${s.settings.width}x${s.settings.height}), ` +
        `seed ${s.settings.seed} -> ${s.splitSeed}, ${(s.bytes / 1e6).toFixed(1)} MB of JPEG: ${where}\n`,
    );
  }
  process.stdout.write(`manifest ${resolve(dir, 'synthetic.json')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all\n`);
}

async function main(): Promise<void> {
  const o = parseArgs(buildProgram());
  const preset = PRESETS[o.preset as PresetName];
  const splits = new Set<SplitName>(o.splits ?? ['test']);
  if (o.train) splits.add('train');
  const dir = resolve(o.out ?? preset.dir);
  // A folder of other files is refused (--force regenerates a set, it does not take over a folder).
  const claimed = await claimOutputDir({ dir, option: '--out', command: 'generate', legacy: holdsAny('synthetic.json') });
  const started = performance.now();
  const { status, onProgress, onSplit, stop } = progress();
  const manifest = await ensureSynthetic(dir, {
    ...preset.options,
    ...pickedOptions(o),
    splits: SPLITS.filter((s) => splits.has(s)),
    force: o.force,
    workers: o.workers,
    onProgress,
    onSplit,
  }).catch((err: unknown) => {
    stop();
    releaseNewOutputDir(claimed);
    // The library names its options; the user typed flags.
    if (err instanceof UserError) throw new UserError(err.message.replace(/^synthetic option (\w+)/, (_, k: string) => FLAG[k] ?? k));
    throw err;
  });
  printSummary(manifest, splits, dir, status, started);
}

runMain(main);
