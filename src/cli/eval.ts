import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { danglingTail, listDirSync, missingPath } from '../core/dir-entries.ts';
import { UserError } from '../core/errors.ts';
import { conventionChoices, datasetChoices, findDataset, resolveConvention, resolveDataset } from '../benchmarks/registry/index.ts';
import type { VotEvalOptions } from './eval-vot.ts';
import { parseCommand, reportInto } from './options.ts';

// One option set for both families; a type-only import, so OTB runs never load the VOT module.
type EvalOptions = VotEvalOptions;

/** --trackers: a name given twice would score one tracker twice, as two rows. */
function trackerList(raw: string): string[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UserError(`--trackers: '${twice}' is named twice`);
  return names;
}

function parseArgs(argv: string[]): EvalOptions {
  const program = new Command('npm run eval --')
    .description('Score tracker results on OTB (or VOT) with the rules of a named toolkit convention')
    .requiredOption(
      '--dataset <name>',
      `${datasetChoices({ family: 'otb' })} | VOT2013..VOT2019 | synthetic-vot or another VOT-layout set | ${datasetChoices({ family: 'vot2020' })}`,
    )
    .requiredOption('--root <path>', 'dataset root: raw OTB folder, pysot/DaSiamRPN JSON, or toolkit anno folder')
    .requiredOption('--results <dir>', 'folder with one subfolder of result files per tracker')
    .requiredOption('--out <dir>', 'where to write the report and warnings.txt')
    .option('--trackers <names>', 'comma-separated tracker folders to evaluate (default: all)', trackerList)
    .option('--convention <name>', conventionChoices());
  return parseCommand<EvalOptions>(program, argv);
}

function requirePath(option: string, path: string, kind: 'any' | 'dir'): string {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UserError(`${option}: ${missingPath(path, abs)}`);
  if (kind === 'dir' && !statSync(abs).isDirectory()) throw new UserError(`${option}: not a directory: ${path}`);
  return abs;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv);
  // VOT2013..VOT2019, and VOT-layout sets of one's own such as synthetic-vot.
  const known = findDataset(opts.dataset);
  if (known?.family === 'vot2020') {
    const { runVot2020Eval } = await import('./eval-vot2020.ts');
    await runVot2020Eval(opts, known.name);
    return;
  }
  if (known?.family === 'vot' || (!known && /vot/i.test(opts.dataset))) {
    // VOT lives in its own module; loading it only here keeps OTB runs free of its dependencies.
    const { runVotEval } = await import('./eval-vot.ts');
    await runVotEval(opts);
    return;
  }
  // `synthetic` takes every sequence folder of a raw-layout root (the benchmark generator's output).
  const dataset = resolveDataset(opts.dataset, { family: 'otb' }).name;
  const convention = resolveConvention('otb', opts.convention);
  const root = requirePath('--root', opts.root, 'any');
  const resultsDir = requirePath('--results', opts.results, 'dir');
  // Tracker folders may be symbolic links; if every one is dangling, say so rather than 'no folders'.
  const entries = listDirSync(resultsDir);
  if (!entries.some((e) => e.kind === 'dir')) {
    throw new UserError(
      `--results: no tracker folders in ${opts.results} (expected <results>/<tracker>/<sequence>.txt)${danglingTail(entries)}`,
    );
  }

  // Loaded after the options are checked: a typo is answered at once, without loading the plotting stack.
  const { otb } = (await import('../benchmarks/index.ts')).BENCHMARKS;
  const ds = await otb.load(dataset, root);
  const { text } = await reportInto(opts.out, () =>
    otb.score(ds, resultsDir, resolve(opts.out), {
      convention,
      ...(opts.trackers ? { trackers: opts.trackers } : {}),
    }),
  );
  process.stdout.write(text);
}

runMain(main);
