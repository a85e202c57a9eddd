import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs-atomic.ts';
import type { ComputeRequest } from '../compute/engine.ts';
import { loadDataset } from '../benchmarks/index.ts';
import { ensureSynthetic, SYNTHETIC_DEFAULTS } from '../synthetic/index.ts';
import { selectTrackers } from '../trackers/registry.ts';
import { PAPER_RECIPE, recipeArgs } from '../training/recipe.ts';
import { runBench } from '../runner/bench.ts';
import { writeConfigCurves } from './curves.ts';
import { type PerRunRow, perRunCsv, readPerRun, writeStatistics } from './outputs.ts';
import { parseSpec, runName, settingsArgs, specConflict, type StudySpec, type TestSetSpec } from './spec.ts';

export interface StudyRequest {
  spec: StudySpec;
  out: string;
  /** Generated data (training split, synthetic test sets); default <out>/data. */
  data?: string;
  /** Parallel jobs: training processes, then tracking workers. */
  concurrency: number;
  compute: ComputeRequest;
  /** The `npm run train` entry point, run in child processes (the CLI layer passes it down). */
  trainCli: string;
  log: (line: string) => void;
}

interface TrainJob {
  config: StudySpec['configurations'][number];
  seed: number;
  name: string;
  dir: string;
}

const elapsed = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

/** Runs jobs with at most `limit` in flight, in order; a failed job does not stop the others. Returns the failures. */
async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<{ item: T; error: unknown }[]> {
  const failed: { item: T; error: unknown }[] = [];
  const slot = pLimit(limit);
  const settle = async (item: T) => {
    try {
      await run(item);
    } catch (error) {
      failed.push({ item, error });
    }
  };
  await Promise.all(items.map((item) => slot(() => settle(item))));
  return failed;
}

/**
 * One training run in a child process (`npm run train -- ... --resume`), its whole log appended to
 * <out>/logs/<run>.log and its epoch summaries echoed as progress lines.
 */
function trainChild(cli: string, args: string[], job: TrainJob, logFile: string, log: (line: string) => void): Promise<void> {
  return new Promise((res, reject) => {
    const file = createWriteStream(logFile, { flags: 'a' });
    file.write(`# ${new Date().toISOString()} npm run train -- ${args.join(' ')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = '';
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        file.write(`${line}\n`);
        last = line;
        if (/epoch \d+\/\d+:|resuming/.test(line)) log(`[${job.name}] ${line}`);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => {
      file.end(() => (code === 0 ? res() : reject(new UserError(`training ${job.name} failed (exit ${code}): ${last} (log: ${logFile})`))));
    });
  });
}

/** ORT threads per training process, so that `parallel` processes share the cores (tfjs picks its own). */
function computeArgs(req: ComputeRequest, parallel: number): string[] {
  const args: string[] = [];
  if (req.engine !== undefined) args.push('--engine', req.engine);
  if (req.device !== undefined) args.push('--device', req.device);
  if (req.backend !== undefined) args.push('--backend', req.backend);
  if (req.engine !== 'tfjs' && req.backend === undefined)
    args.push('--threads', String(req.threads ?? Math.max(1, Math.floor(availableParallelism() / parallel))));
  return args;
}

async function trainingData(spec: StudySpec, dataDir: string, log: (line: string) => void): Promise<string> {
  if (spec.trainSplit) {
    const dir = join(dataDir, 'train');
    const m = await ensureSynthetic(dir, {
      splits: ['train'],
      trainSequences: spec.trainSplit.sequences,
      trainFrames: spec.trainSplit.frames,
      seed: spec.trainSplit.seed,
      onSplit: (_s, status, s) =>
        log(
          `[study] training split (${spec.trainSplit!.sequences} sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''} in ${dir}`,
        ),
    });
    return join(dir, m.splits.train!.layouts.got10k!);
  }
  const data = resolve(spec.recipe.data);
  if (spec.recipe.data === PAPER_RECIPE.data) {
    // The committed recipe's split is generated on first use, as `npm run reproduce -- --retrain` does.
    const dir = resolve('data/synthetic');
    await ensureSynthetic(dir, {
      splits: ['train'],
      onSplit: (_s, status, s) =>
        log(
          `[study] training split (${SYNTHETIC_DEFAULTS.trainSequences} sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''}`,
        ),
    });
  } else if (!existsSync(join(data, 'list.txt'))) {
    throw new UserError(`${spec.file}: recipe.data: ${data} holds no GOT-10k split (list.txt)`);
  }
  return data;
}

/** Trains what is not trained yet; returns the runs that failed (the others go on). */
async function trainAll(req: StudyRequest, jobs: TrainJob[], data: string, initFrom: string | undefined): Promise<string[]> {
  const { spec, log } = req;
  const pending = jobs.filter((j) => !existsSync(join(j.dir, 'model.json')));
  if (pending.length < jobs.length) log(`[study] ${jobs.length - pending.length} of ${jobs.length} training run(s) already done`);
  if (pending.length === 0) return [];
  const parallel = Math.min(req.concurrency, pending.length);
  const engine = computeArgs(req.compute, parallel);
  log(
    `[study] training ${pending.length} run(s), ${parallel} at a time${engine.includes('--threads') ? ` (${engine[engine.indexOf('--threads') + 1]} thread(s) each)` : ''}; a killed study resumes from their checkpoints`,
  );
  await mkdir(join(req.out, 'logs'), { recursive: true });
  let done = jobs.length - pending.length;
  const t0 = performance.now();
  const failed = await pool(pending, parallel, async (job) => {
    const started = performance.now();
    log(`[study] training ${job.name} (${job.config.loss})`);
    const recipe = { ...spec.recipe, data, seed: job.seed };
    const init = initFrom === undefined ? [] : ['--init-from', initFrom];
    const args = [...recipeArgs(recipe, job.config.loss, job.dir), ...init, ...settingsArgs(job.config), ...engine];
    await trainChild(req.trainCli, args, job, join(req.out, 'logs', `${job.name}.log`), log);
    log(`[study] trained ${job.name} in ${elapsed(started)} (${++done}/${jobs.length} runs, ${elapsed(t0)} so far)`);
  });
  for (const { error } of failed) {
    if (!(error instanceof UserError)) throw error;
    log(`[study] ${error.message}`);
  }
  return failed.map((f) => f.item.name);
}

/**
 * The model every run fine-tunes from (recipe.initFrom): a model folder as it is, or a folder of
 * TFLite files (the original SiamFC of ../shared) imported once into <data>/pretrained. Undefined
 * when the recipe trains from seeded weights, null when the source is absent (a clone without
 * ../shared), which skips the study with a message.
 */
async function initSource(spec: StudySpec, dataDir: string, log: (line: string) => void): Promise<string | null | undefined> {
  if (spec.recipe.initFrom === undefined) return undefined;
  const src = resolve(spec.recipe.initFrom);
  if (existsSync(join(src, 'model.json'))) return src;
  const tflite =
    existsSync(src) && (src.endsWith('.tflite') || (statSync(src).isDirectory() && readdirSync(src).some((f) => f.endsWith('.tflite'))));
  if (!tflite) return null;
  const out = join(dataDir, 'pretrained', basename(src).replace(/\.tflite$/, ''));
  if (!existsSync(join(out, 'model.json'))) {
    const { importTflite } = await import('../trackers/siamfc/tflite-import.ts');
    await importTflite(src, out);
    log(`[study] recipe.initFrom: imported ${src} into ${out}`);
  }
  return out;
}

/** Training record of each run, read from its model.json. */
async function writeTrainingTable(out: string, jobs: TrainJob[]): Promise<void> {
  const rows = jobs.map((j) => {
    const meta = (JSON.parse(readFileSync(join(j.dir, 'model.json'), 'utf8')) as { meta?: Record<string, unknown> }).meta ?? {};
    const n = (k: string) => (typeof meta[k] === 'number' ? String(meta[k]) : '');
    return [j.config.name, j.config.loss, j.seed, n('steps'), n('trainingSeconds'), n('finalTrainLoss'), n('finalValLoss')].join(',');
  });
  await writeFileAtomic(
    join(out, 'training.csv'),
    `config,loss,seed,steps,seconds,final_train_loss,final_val_loss\n${rows.map((r) => `${r}\n`).join('')}`,
  );
}

/** Tracks every trained model on one test set (one bench run, resumable); its per_run.csv rows. */
async function evaluateTestSet(req: StudyRequest, set: TestSetSpec, trained: TrainJob[], dataDir: string): Promise<PerRunRow[]> {
  const { spec, log } = req;
  const out = resolve(req.out);
  const byTracker = new Map(trained.map((j) => [j.name, j]));
  const rows: PerRunRow[] = [];
  let loaded;
  if (set.kind === 'synthetic') {
    const dir = join(dataDir, set.name);
    const m = await ensureSynthetic(dir, {
      splits: ['test'],
      testSequences: set.sequences,
      testFrames: set.frames,
      seed: set.seed,
      onSplit: (_s, status, s) =>
        log(
          `[study] test set ${set.name} (${set.sequences} synthetic sequences): ${status}${status === 'generated' ? ` in ${s.toFixed(0)} s` : ''} in ${dir}`,
        ),
    });
    loaded = await loadDataset('otb', 'synthetic', join(dir, m.splits.test!.layouts.otb!));
  } else {
    const root = resolve(set.root);
    if (!existsSync(root)) {
      log(`[study] test set ${set.name}: ${root} is absent, skipped`);
      return [];
    }
    loaded = await loadDataset('otb', set.dataset, root);
  }
  const t0 = performance.now();
  log(`[study] test set ${set.name}: ${trained.length} model(s) on ${loaded.kind === 'otb' ? loaded.ds.targets.length : 0} sequences`);
  const outcome = await runBench({
    data: loaded,
    trackers: selectTrackers(trained.map((j) => j.dir)),
    out: join(out, 'eval', set.name),
    concurrency: req.concurrency,
    compute: req.compute,
    convention: 'otb',
    seed: 1,
    log: (l) => log(`[study] ${set.name}: ${l}`),
  });
  if (outcome.evaluation.kind !== 'otb') throw new Error('study test sets are one-pass');
  for (const t of outcome.evaluation.ev.trackers) {
    const job = byTracker.get(t.tracker)!;
    for (const q of t.perSequence) {
      rows.push({
        config: job.config.name,
        seed: job.seed,
        testSet: set.name,
        sequence: q.target,
        auc: q.successAuc,
        precision: q.precision20,
        loss: job.config.loss,
        baseline: job.config.name === spec.baseline,
        attributes: q.attributes,
      });
    }
  }
  log(`[study] test set ${set.name}: scored in ${elapsed(t0)}`);
  return rows;
}

/**
 * The whole study, resumable at every stage: training runs whose model exists are skipped and the
 * others continue from their checkpoints (`npm run train -- --resume`); a run that fails (diverged)
 * does not stop the others, the study goes on without it and ends with an error naming it. Each test set is one bench
 * run over every trained model (`<out>/eval/<test set>`), whose per-(model, sequence) records let a
 * resumed run skip what was tracked. Then per_run.csv, and every statistic from that file alone.
 */
export async function runStudy(req: StudyRequest): Promise<{ files: string[] }> {
  const { spec, log } = req;
  const out = resolve(req.out);
  const dataDir = resolve(req.data ?? join(out, 'data'));
  await mkdir(out, { recursive: true });
  const specFile = join(out, 'spec.json');
  if (existsSync(specFile)) {
    const prev = parseSpec(JSON.parse(readFileSync(specFile, 'utf8')), specFile);
    const conflict = specConflict(prev, spec);
    if (conflict)
      throw new UserError(`--out: ${out} holds a study whose ${conflict} differs from ${spec.file}; use the same spec or a new --out`);
  }
  await writeFileAtomic(specFile, `${JSON.stringify(spec.source, null, 2)}\n`);

  const initFrom = await initSource(spec, dataDir, log);
  if (initFrom === null) {
    log(`[study] recipe.initFrom: ${resolve(spec.recipe.initFrom!)} is absent (no model.json, no .tflite): nothing to fine-tune, skipped`);
    return { files: [] };
  }
  const data = await trainingData(spec, dataDir, log);
  // Seed-major order: a study stopped part-way (sessions, quotas) holds whole seeds of every
  // configuration, which pair up, rather than all seeds of the first configurations only.
  const jobs: TrainJob[] = spec.seeds.flatMap((seed) =>
    spec.configurations.map((config) => ({
      config,
      seed,
      name: runName(config.name, seed),
      dir: join(out, 'models', runName(config.name, seed)),
    })),
  );
  const failedRuns = await trainAll(req, jobs, data, initFrom);
  const trained = jobs.filter((j) => existsSync(join(j.dir, 'model.json')));
  if (trained.length === 0) throw new UserError(`no training run succeeded; logs in ${join(out, 'logs')}`);
  await writeTrainingTable(out, trained);
  for (const c of spec.configurations) {
    await writeConfigCurves(
      join(out, 'curves', `${c.name}.png`),
      c.name,
      jobs.filter((j) => j.config === c).map((j) => ({ seed: j.seed, dir: j.dir })),
    );
  }

  const rows: PerRunRow[] = [];
  for (const set of spec.testSets) rows.push(...(await evaluateTestSet(req, set, trained, dataDir)));
  if (rows.length === 0) throw new UserError(`${spec.file}: no test set could be run`);
  const perRun = join(out, 'per_run.csv');
  await writeFileAtomic(perRun, perRunCsv(rows));
  // Statistics from the file as written, so that --recompute gives the same bytes.
  const { files } = await writeStatistics(out, await readPerRun(perRun));
  if (failedRuns.length) {
    throw new UserError(
      `training failed for ${failedRuns.join(', ')} (logs in ${join(out, 'logs')}); the statistics in ${out} leave them out`,
    );
  }
  return { files: [perRun, join(out, 'training.csv'), ...files, ...spec.configurations.map((c) => join(out, 'curves', `${c.name}.png`))] };
}
