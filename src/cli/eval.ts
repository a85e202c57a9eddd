import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { danglingTail, listDirSync, missingPath } from '../core/dir-entries.ts';
import { UserError } from '../core/errors.ts';
import { conventionChoices, datasetChoices, findDataset, resolveConvention, resolveDataset } from '../benchmarks/registry/index.ts';
import type { VotEvalOptions } from './eval-vot.ts';
import { COMMON_HELP, SEQUENCES_HELP, parseCommand, reportInto } from './parse.ts';
import { syntheticLayoutDir } from '../synthetic/manifest.ts';
import { parseSequences } from '../benchmarks/common/subset.ts';

// One option set for both families; a type-only import, so OTB runs never load the VOT module.
type EvalOptions = VotEvalOptions & { experiment?: string; baseline?: string };

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
    .requiredOption(
      '--root <path>',
      'dataset root: raw OTB folder, pysot/DaSiamRPN JSON, toolkit anno folder, or the official or toolkit layout of LaSOT, UAV123, DTB70, TC128',
    )
    .requiredOption(
      '--results <dir>',
      "folder with one subfolder of result files per tracker, or the OTB toolkit's folder of <Seq>_<Tracker>.mat files",
    )
    .requiredOption('--out <dir>', 'where to write the report and warnings.txt')
    .option('--trackers <names>', 'comma-separated tracker folders to evaluate (default: all)', trackerList)
    .option('--convention <name>', conventionChoices())
    .option('--sequences <names>', SEQUENCES_HELP, (v) => parseSequences(v))
    .option('--common-sequences', COMMON_HELP)
    .option(
      '--baseline <tracker>',
      'OTB: compare every other tracker with this one (AUC difference, paired bootstrap CI, Holm-adjusted sign-flip p)',
    )
    .option(
      '--experiment <name>',
      'OTB: ope (default), tre (20 runs per sequence, splitSeqTRE) or sre (12 perturbed first boxes, shiftInitBB)',
    );
  return parseCommand<EvalOptions>(program, argv);
}

function otbExperiment(raw: string | undefined): 'ope' | 'tre' | 'sre' {
  const e = (raw ?? 'ope').toLowerCase();
  if (e === 'ope' || e === 'tre' || e === 'sre') return e;
  throw new UserError(`--experiment: '${raw}' is not an OTB experiment (ope, tre, sre)`);
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
  const convention = resolveConvention('otb', opts.convention, '--convention', dataset);
  const experiment = otbExperiment(opts.experiment);
  const root = syntheticLayoutDir(requirePath('--root', opts.root, 'any'), 'otb');
  const resultsDir = requirePath('--results', opts.results, 'dir');
  // Tracker folders may be symbolic links; if every one is dangling, say so rather than 'no folders'.
  const entries = listDirSync(resultsDir);
  // The OTB toolkit's results_OPE/ holds every tracker's <Seq>_<Tracker>.mat in one folder.
  if (!entries.some((e) => e.kind === 'dir' || (e.kind === 'file' && /\.mat$/i.test(e.name)))) {
    throw new UserError(
      `--results: no tracker folders in ${opts.results} (expected <results>/<tracker>/<sequence>.txt or the toolkit's <sequence>_<tracker>.mat)${danglingTail(entries)}`,
    );
  }

  // Loaded after the options are checked: a typo is answered at once, without loading the plotting stack.
  const { BENCHMARKS, selectSequences } = await import('../benchmarks/index.ts');
  const { otb } = BENCHMARKS;
  const all = await otb.load(dataset, root);
  const picked = opts.sequences ? selectSequences({ kind: 'otb', ds: all }, opts.sequences) : undefined;
  const ds = picked?.kind === 'otb' ? picked.ds : all;
  const { text } = await reportInto(opts.out, { dataset: ds.name, root: ds.root, results: resultsDir }, () =>
    otb.score(ds, resultsDir, resolve(opts.out), {
      convention,
      commonSequences: opts.commonSequences === true,
      experiment,
      ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
      ...(opts.trackers ? { trackers: opts.trackers } : {}),
    }),
  );
  process.stdout.write(text);
}

runMain(main);
