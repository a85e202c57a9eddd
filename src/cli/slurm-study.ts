import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { holdsAny, inspectOutputDir } from '../core/out-dir.ts';
import { STAGES, type StudyJobs, studySbatch, studyScript } from '../scaleout/slurm-study.ts';
import { logsDir, taskShape } from '../scaleout/task.ts';
import { assertSbatch, sbatch } from '../scaleout/submit.ts';
import { loadSpec } from '../study/spec.ts';
import { positiveInt } from './options.ts';
import { type SiteOptions, addSiteOptions, siteOf, writeScripts } from './slurm-site.ts';

/** `npm run slurm -- study`: the stages of `npm run study` as a chain of Slurm jobs (docs/scale-out.md). */
interface SlurmStudyOptions extends SiteOptions {
  spec: string;
  out: string;
  data?: string;
  evalShards: number;
  cpusPerTask?: number;
  concurrency?: number;
  threads?: number;
  engine?: string;
  device?: string;
  backend?: string;
  afterTraining: 'afterok' | 'afterany';
}

export function studyCommand(run: (opts: SlurmStudyOptions) => void): Command {
  const cmd = new Command('study')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .description(
      'a study (npm run study) as four Slurm jobs, each after the one before: prepare; train, an array task per (configuration, seed); eval, an array task per shard; stats. Writes <out>/slurm/{prepare,train,eval,stats}.sbatch',
    )
    .requiredOption('--spec <file>', 'study spec (studies/*.json)')
    .requiredOption('--out <dir>', 'study folder, on a filesystem every node shares')
    .requiredOption('--eval-shards <n>', 'evaluation array tasks, each tracking one part of every test set', positiveInt('--eval-shards'))
    .option('--data <dir>', 'generated data (default <out>/data), on a shared filesystem')
    .option(
      '--cpus-per-task <n>',
      'CPUs of each training and evaluation task; a training task gives them all to its run (default: --concurrency x --threads, else 1)',
      positiveInt('--cpus-per-task'),
    )
    .option(
      '--concurrency <n>',
      'tracking workers in each evaluation task (default: --cpus-per-task / --threads)',
      positiveInt('--concurrency'),
    )
    .option('--threads <n>', 'ORT threads per tracking worker (default: --cpus-per-task / --concurrency, else 1)', positiveInt('--threads'))
    .option('--engine <name>', 'passed to npm run study: ort | tfjs')
    .option('--device <name>', 'passed to npm run study: cpu | cuda')
    .option('--backend <name>', 'passed to npm run study: a TensorFlow.js backend')
    .addOption(
      new Option(
        '--after-training <kind>',
        'when eval starts: afterok (every training task succeeded) or afterany (also after a diverged run, which eval and stats leave out)',
      )
        .choices(['afterok', 'afterany'])
        .default('afterok'),
    );
  return addSiteOptions(
    cmd,
    'every script (--gres/--gpus: train and eval only)',
    'the four scripts, each with --dependency on the one before',
  ).action((opts: SlurmStudyOptions) => run(opts));
}

async function studyJobs(opts: SlurmStudyOptions): Promise<StudyJobs> {
  const spec = await loadSpec(opts.spec);
  const out = resolve(opts.out);
  // Refused now rather than by every job: a folder of someone else's files.
  inspectOutputDir({ dir: out, option: '--out', command: 'study', legacy: holdsAny('spec.json', 'per_run.csv') });
  const evalShape = taskShape({ cpus: opts.cpusPerTask, workers: opts.concurrency, threads: opts.threads });
  const passed = (['engine', 'device', 'backend'] as const).flatMap((k) => (opts[k] !== undefined ? [`--${k}`, opts[k]!] : []));
  return {
    ...siteOf(opts),
    out,
    spec: resolve(opts.spec),
    studyArgs: [...(opts.data !== undefined ? ['--data', resolve(opts.data)] : []), ...passed],
    runs: spec.configurations.length * spec.seeds.length,
    evalShards: opts.evalShards,
    trainCpus: evalShape.cpus,
    evalShape,
  };
}

export async function slurmStudy(opts: SlurmStudyOptions): Promise<void> {
  const jobs = await studyJobs(opts);
  if (opts.submit) assertSbatch();
  const files = Object.fromEntries(STAGES.map((s) => [s, studyScript(jobs.out, s)])) as Record<(typeof STAGES)[number], string>;
  await writeScripts(jobs.out, Object.fromEntries(STAGES.map((s) => [files[s], studySbatch(jobs, s)])));
  const e = jobs.evalShape;
  process.stdout.write(
    `${files.prepare}: one job\n${files.train}: ${jobs.runs} array task(s) of ${jobs.trainCpus} CPU(s), one training run each\n${files.eval}: ${jobs.evalShards} array task(s) of ${e.cpus} CPU(s), ${e.workers} worker(s) x ${e.threads} thread(s)\n${files.stats}: one job\nlogs: ${logsDir(jobs.out)}\n`,
  );
  if (!opts.submit) {
    process.stdout.write(
      `submit: p=$(sbatch --parsable ${files.prepare}) && t=$(sbatch --parsable --dependency=afterok:$p ${files.train}) && e=$(sbatch --parsable --dependency=${opts.afterTraining}:$t ${files.eval}) && sbatch --dependency=afterok:$e ${files.stats}\n`,
    );
    return;
  }
  const prepare = sbatch(files.prepare);
  const train = sbatch(files.train, prepare);
  const evaluation = sbatch(files.eval, train, opts.afterTraining);
  const stats = sbatch(files.stats, evaluation);
  process.stdout.write(
    `submitted: prepare ${prepare}, train array ${train}, eval array ${evaluation}, stats ${stats} (watch: squeue -j ${prepare},${train},${evaluation},${stats})\n`,
  );
}
