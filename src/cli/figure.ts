import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { parseCommand, positiveInt } from './options.ts';

interface FigureOptions {
  results: string;
  trackers: string;
  sequences: string;
  frames: number;
  pick: 'even' | 'disagree';
  out: string;
  root?: string;
  tile: string;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

async function main(): Promise<void> {
  const program = new Command('npm run figure --')
    .description(
      "The paper's qualitative figure from a bench run: per sequence a row of frames for the baseline, then one for ours, with the ground truth and each row's tracker's box (PNG)",
    )
    .requiredOption('--results <dir>', 'bench run folder (run.json, raw/<tracker>/<sequence>.txt)')
    .requiredOption('--trackers <baseline,ours>', 'the two trackers, baseline first')
    .requiredOption('--sequences <list>', 'comma-separated sequences, one pair of rows each')
    .option('--frames <n>', 'frames per row', positiveInt('--frames'), 5)
    .addOption(
      new Option('--pick <how>', 'frames evenly spaced, or where the two trackers disagree most (lowest IoU)')
        .choices(['even', 'disagree'])
        .default('even'),
    )
    .requiredOption('--out <file>', 'PNG to write')
    .option('--root <dir>', "dataset folder with the frames (default: the bench run's, from run.json)")
    .option('--tile <WxH>', 'tile size in pixels (each frame scaled to fit, centred)', '320x240');
  const o = parseCommand<FigureOptions>(program, process.argv);
  const trackers = list(o.trackers);
  if (trackers.length !== 2)
    throw new UserError(`--trackers: expected two trackers, baseline first (got ${trackers.length}: '${o.trackers}')`);
  const sequences = list(o.sequences);
  if (sequences.length === 0) throw new UserError('--sequences: expected at least one sequence');
  const tile = /^(\d+)x(\d+)$/.exec(o.tile);
  if (!tile || Number(tile[1]) < 16 || Number(tile[2]) < 16)
    throw new UserError(`--tile: expected WxH of at least 16x16 pixels, got '${o.tile}'`);
  if (!/\.png$/i.test(o.out)) throw new UserError(`--out: the figure is a PNG (a .png file), got '${o.out}'`);
  const { drawFigure } = await import('../study/figure.ts');
  const fig = await drawFigure({
    results: resolve(o.results),
    trackers: [trackers[0], trackers[1]],
    sequences,
    frames: o.frames,
    pick: o.pick,
    out: resolve(o.out),
    root: o.root,
    tile: { width: Number(tile[1]), height: Number(tile[2]) },
  });
  process.stdout.write(`${o.out}: ${fig.width}x${fig.height} (${fig.rows} rows x ${fig.cols} frames)\n`);
}

runMain(main);
