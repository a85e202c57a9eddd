import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { runMain } from '../core/cli-main.ts';
import { UserError } from '../core/errors.ts';
import { claimOutputDir, holdsAny, inspectOutputDir, type OutputClaim } from '../core/out-dir.ts';
import { type Shard, SHARD_HELP, parseShard } from '../core/shard.ts';
import { preflightCompute } from '../compute/engine.ts';
import type { Stage } from '../study/run.ts';
import { addComputeOptions, computeRequest, concurrencyOption, parseCommand } from './options.ts';
import { siblingModule } from '../core/module-url.ts';

interface StudyOptions {
  spec?: string;
  out?: string;
  data?: string;
  recompute?: string;
  status: boolean;
  stage: Stage;
  shard?: Shard;
  concurrency: number;
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
}

const TRAIN_CLI = fileURLToPath(siblingModule('./train.ts', import.meta.url));

/** --recompute: every statistic of a study folder from its per_run.csv (and validation.csv) alone. */
async function recompute(dir: string): Promise<void> {
  const { writeStatistics } = await import('../study/outputs.ts');
  const { readPerRun } = await import('../study/per-run.ts');
  const validationFile = join(dir, 'validation.csv');
  const validation = existsSync(validationFile) ? await readPerRun(validationFile, '--recompute') : [];
  const { files } = await writeStatistics(dir, await readPerRun(join(dir, 'per_run.csv'), '--recompute'), validation);
  process.stdout.write(`recomputed from ${join(dir, 'per_run.csv')}:\n${files.map((f) => `  ${f}\n`).join('')}`);
}

/**
 * --status: where the study in `out` stands, read from the folder only. Without --spec, the spec the
 * folder records (its spec.json) is the one; with it, the two must agree.
 */
async function status(specFile: string | undefined, out: string | undefined): Promise<void> {
  if (out === undefined) throw new UserError('--status: the study folder is --out <dir>');
  if (!existsSync(join(out, 'spec.json'))) throw new UserError(`--out: ${out} holds no study (no spec.json)`);
  const [{ statusText }, { checkSpecFile }, { loadSpec }] = await Promise.all([
    import('../study/status.ts'),
    import('../study/prepare.ts'),
    import('../study/spec.ts'),
  ]);
  const spec = await loadSpec(specFile ?? join(out, 'spec.json'));
  if (specFile !== undefined) checkSpecFile(spec, out);
  process.stdout.write(statusText(spec, out));
}

async function main(): Promise<void> {
  const program = new Command('npm run study --')
    .description(
      'A study of training losses (studies/*.json): configurations x seeds trained with one recipe, every model tracked on the test sets, each configuration compared with the baseline with bootstrap intervals, a sign-flip test over sequences and a permutation test over seeds',
    )
    .option('--spec <file>', 'study spec (studies/*.json)')
    .option('--out <dir>', 'study folder; a killed study resumes in it')
    .option(
      '--data <dir>',
      'generated training and test data (default <out>/data; prepare writes it, the later stages read what prepare recorded)',
    )
    .option(
      '--recompute <dir>',
      'only rewrite the statistics (study.csv, per_attribute.csv, study.md, forest plots; selection.csv from validation.csv) of a study folder from its per_run.csv',
    )
    .option(
      '--status',
      'only print where the study in --out stands: runs done, part-way (at which epoch), failed or not started; tracking; statistics (--spec optional: the folder records its spec)',
      false,
    )
    .addOption(
      new Option(
        '--stage <stage>',
        'run one stage (for a cluster: docs/training.md): prepare (spec, data: once, first), train, eval, stats (per_run.csv and every statistic, once every tracking job is done); all runs them in turn',
      )
        .choices(['all', 'prepare', 'train', 'eval', 'stats'])
        .default('all'),
    )
    .option('--shard <K/N|auto|auto/N>', `with --stage train or eval: ${SHARD_HELP}`, (raw) => parseShard(raw))
    .addOption(concurrencyOption('parallel training processes, then tracking workers'));
  const opts = parseCommand<StudyOptions>(addComputeOptions(program), process.argv);
  if (opts.shard && opts.stage !== 'train' && opts.stage !== 'eval')
    throw new UserError('--shard: only with --stage train or --stage eval');
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

  if (opts.recompute !== undefined) {
    if (opts.spec !== undefined || opts.out !== undefined)
      throw new UserError('--recompute takes the study folder alone (no --spec, no --out)');
    return recompute(resolve(opts.recompute));
  }
  if (opts.status) return status(opts.spec, opts.out);
  if (opts.spec === undefined) throw new UserError('--spec: required (or --recompute <dir>)');
  if (opts.out === undefined) throw new UserError('--out: required');
  const { loadSpec } = await import('../study/spec.ts');
  const spec = await loadSpec(opts.spec);
  // A killed study resumes in its folder; a folder of other files is refused. Only prepare (or a
  // whole run) marks the folder: the stages that N tasks run at once only read it.
  const claim: OutputClaim = { dir: opts.out, option: '--out', command: 'study', legacy: holdsAny('spec.json', 'per_run.csv') };
  if (opts.stage === 'all' || opts.stage === 'prepare') await claimOutputDir(claim);
  else inspectOutputDir(claim);
  const compute = computeRequest(opts);
  await preflightCompute(compute);
  const { runStudy } = await import('../study/run.ts');
  const t0 = performance.now();
  const request = { spec, out: opts.out, data: opts.data, concurrency: opts.concurrency, compute, trainCli: TRAIN_CLI, log };
  const { files } = await runStudy(request, opts.stage, opts.shard);
  log(
    `[study] ${opts.stage === 'all' ? '' : `${opts.stage}${opts.shard ? ` ${opts.shard.k}/${opts.shard.n}` : ''} `}done in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  process.stdout.write(`${files.map((f) => `${f}\n`).join('')}`);
}

runMain(main);
