import { Command, Option } from 'commander';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ComputeRequest, checkComputeRequest, selectCompute } from '../src/compute/engine.ts';
import { addComputeOptions, positiveInt } from '../src/cli/options.ts';
import { runMain } from '../src/core/cli-main.ts';
import { UserError } from '../src/core/errors.ts';
import { DEFAULT_LOSS_SETTINGS, LOSS_NAMES, type LossName } from '../src/trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../src/trackers/siamfc/network.ts';
import type { PairBatch } from '../src/training/batches.ts';
import { foldBatchStatistics } from '../src/training/moving-stats.ts';
import { MomentumSgd } from '../src/training/sgd.ts';
import { createSiamfcTrainable } from '../src/training/engines/siamfc-trainable.ts';

/**
 * Training speed, both engines side by side in one run (ratios within a run are what compare on a
 * shared machine): pairs per second of the training loop's step (loss and gradients, SGD, batch
 * statistics folded into the moving ones) at each width, with a few warm-up steps first (sessions
 * and kernels build, the JIT settles). Data loading is left out: it overlaps training in the loop.
 * Prints figures only.
 */
interface StepTimes {
  grads: number; // ms per step
  sgd: number;
  stats: number;
}

/** A fixed random batch: speed does not depend on the pixels. */
function randomBatch(size: number, exemplar: number, search: number, seed: number): PairBatch {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 255;
  return {
    size,
    exemplars: Float32Array.from({ length: size * exemplar * exemplar * 3 }, next),
    searches: Float32Array.from({ length: size * search * search * 3 }, next),
  };
}

async function timeSteps(
  req: ComputeRequest,
  cfg: NetworkConfig,
  loss: LossName,
  batch: PairBatch,
  warmup: number,
  steps: number,
): Promise<{ label: string; t: StepTimes }> {
  const compute = await selectCompute(req, 1);
  const model = await createSiamfcTrainable(compute, cfg, 1, loss, DEFAULT_LOSS_SETTINGS);
  try {
    const sgd = new MomentumSgd(model.params, model.trainable, { momentum: 0.9, weightDecay: 5e-4 }, (n) => model.decays(n));
    const t: StepTimes = { grads: 0, sgd: 0, stats: 0 };
    for (let i = -warmup; i < steps; i++) {
      const t0 = performance.now();
      const { grads } = await model.lossAndGrads(batch);
      const t1 = performance.now();
      // A small rate: the weights stay sane over any number of steps on random pixels.
      sgd.step(grads, 1e-4);
      const t2 = performance.now();
      foldBatchStatistics(model.params, await model.batchStatistics(batch), cfg.bnMomentum);
      const t3 = performance.now();
      if (i >= 0) {
        t.grads += (t1 - t0) / steps;
        t.sgd += (t2 - t1) / steps;
        t.stats += (t3 - t2) / steps;
      }
    }
    return { label: model.engine, t };
  } finally {
    model.dispose();
  }
}

/** Where PyTorch is: SIAMBENCH_PYTHON, else python3 on PATH, else Debian's (apt install python3-torch). */
const PYTHONS = [process.env.SIAMBENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
const TORCH_SCRIPT = fileURLToPath(new URL('./perf-train-torch.py', import.meta.url));

/**
 * The issue's yardstick, measured in this run rather than quoted: PyTorch CPU doing the same step
 * (train-mode forward, logistic loss, backward, SGD) with as many threads. Undefined when no Python
 * here has torch; the figures of the engines stand alone then.
 */
async function torchStep(
  width: number,
  o: { batch: number; exemplarSize: number; searchSize: number; warmup: number; steps: number },
  threads: number,
): Promise<{ python: string; ms: number } | undefined> {
  const run = promisify(execFile);
  for (const python of PYTHONS) {
    try {
      const args = [TORCH_SCRIPT, width, o.batch, o.exemplarSize, o.searchSize, threads, o.warmup, o.steps].map(String);
      const { stdout } = await run(python, args, { timeout: 600_000 });
      return { python, ms: (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms: number }).ms };
    } catch {
      // no such interpreter, or no torch in it: try the next
    }
  }
  return undefined;
}

const ms = (v: number) => v.toFixed(0).padStart(9);

interface PerfOptions {
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
  widths: string;
  batch: number;
  exemplarSize: number;
  searchSize: number;
  warmup: number;
  steps: number;
  loss: LossName;
  torch: boolean;
}

function parseOptions(): PerfOptions {
  const program = addComputeOptions(
    new Command()
      .name('npm run perf:train --')
      .description('SiamFC training speed (pairs/s) on both engines (or the one --engine names), side by side')
      .option('--widths <list>', 'comma-separated width multipliers', '0.25,1')
      .option('--batch <n>', 'pairs per batch', positiveInt('--batch'), 8)
      .option('--exemplar-size <px>', 'exemplar crop side', positiveInt('--exemplar-size'), 127)
      .option('--search-size <px>', 'search crop side', positiveInt('--search-size'), 239)
      .option('--warmup <n>', 'untimed steps first', (v) => Math.max(0, Number.parseInt(v, 10) || 0), 2)
      .option('--steps <n>', 'timed steps per engine and width', positiveInt('--steps'), 5)
      .addOption(new Option('--loss <name>', 'training loss').choices([...LOSS_NAMES]).default('logistic'))
      .option('--no-torch', 'skip the PyTorch CPU reference (run when a python3 here imports torch)'),
  ).parse();
  return program.opts<PerfOptions>();
}

type EngineRow = { label: string; pps: number; grads: number };

/** Each engine's timed steps at one width, a line each; an engine missing here is a line, not an error, unless --engine named it. */
async function engineRows(
  width: number,
  o: PerfOptions,
  requests: ComputeRequest[],
  named: boolean,
  batch: PairBatch,
): Promise<EngineRow[]> {
  const cfg: NetworkConfig = {
    width,
    exemplarSize: o.exemplarSize,
    searchSize: o.searchSize,
    headScale: 0.001,
    bnEps: 1e-6,
    bnMomentum: 0.05,
  };
  const rows: EngineRow[] = [];
  for (const r of requests) {
    let result: { label: string; t: StepTimes };
    try {
      result = await timeSteps(r, cfg, o.loss, batch, o.warmup, o.steps);
    } catch (err) {
      // One engine missing here (no ORT trainer, no backend) must not hide the other's figures.
      if (!(err instanceof UserError) || named) throw err;
      process.stdout.write(`${String(width).padEnd(8)}${(r.engine ?? '').padEnd(24)} not available: ${err.message}\n`);
      continue;
    }
    const { label, t } = result;
    const step = t.grads + t.sgd + t.stats;
    const pps = o.batch / (step / 1000);
    rows.push({ label, pps, grads: o.batch / (t.grads / 1000) });
    process.stdout.write(
      `${String(width).padEnd(8)}${label.padEnd(24)}${ms(t.grads)} ${ms(t.sgd)} ${ms(t.stats)} ${ms(step)} ${pps.toFixed(2).padStart(9)} ${(o.batch / (t.grads / 1000)).toFixed(2).padStart(9)}\n`,
    );
  }
  if (rows.length === 2)
    process.stdout.write(`${''.padEnd(8)}${rows[1].label} = ${(rows[1].pps / rows[0].pps).toFixed(1)}x ${rows[0].label}\n`);
  return rows;
}

/** PyTorch's line at one width and each engine's ratio to it. */
function torchLines(
  width: number,
  o: PerfOptions,
  torch: { python: string; ms: number } | undefined,
  threads: number,
  rows: EngineRow[],
): void {
  if (!torch) {
    process.stdout.write(
      `${String(width).padEnd(8)}${'pytorch'.padEnd(24)} not available: no python3 here imports torch (Debian: apt install python3-torch; or set SIAMBENCH_PYTHON)\n`,
    );
    return;
  }
  const pps = o.batch / (torch.ms / 1000);
  process.stdout.write(
    `${String(width).padEnd(8)}${`pytorch-cpu x${threads} threads`.padEnd(24)}${''.padStart(9)} ${''.padStart(9)} ${''.padStart(9)} ${ms(torch.ms)} ${pps.toFixed(2).padStart(9)}   (forward updates the statistics; ${torch.python})\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${''.padEnd(8)}${r.label} = ${(r.pps / pps).toFixed(2)}x pytorch (step), ${(r.grads / pps).toFixed(2)}x (gradient pass alone)\n`,
    );
}

async function main(): Promise<void> {
  const o = parseOptions();
  const widths = o.widths.split(',').map((w) => Number(w.trim()));
  if (widths.some((w) => !(w > 0))) throw new UserError(`--widths: expected positive numbers separated by commas, got '${o.widths}'`);
  const req = checkComputeRequest({ engine: o.engine, device: o.device, threads: o.threads, backend: o.backend });
  const requests: ComputeRequest[] = req.engine ? [req] : [{ engine: 'tfjs' }, { engine: 'ort', threads: o.threads }];

  // The gradient pass alone is what compares with PyTorch, whose forward pass updates the moving
  // statistics itself; here they are a second pass after the step (network.ts's convention).
  process.stdout.write(
    `training step (loss + gradients, SGD, batch-norm statistics), ${o.loss} loss, batch ${o.batch}, crops ${o.exemplarSize}/${o.searchSize}, ` +
      `${o.warmup} warm-up + ${o.steps} timed steps, ${availableParallelism()} cores; data loading excluded\n\n`,
  );
  process.stdout.write(
    'width   engine                   grads ms    sgd ms  stats ms   step ms   pairs/s  pairs/s of the gradient pass alone\n',
  );
  const batch = randomBatch(o.batch, o.exemplarSize, o.searchSize, 7);
  // PyTorch first, while this process holds no engine: a WASM or ORT thread pool left alive here
  // took a core from it (6 pairs/s instead of 28 in one run).
  const threads = o.threads ?? availableParallelism();
  const torchMs = new Map<number, { python: string; ms: number } | undefined>();
  if (o.torch && o.loss === 'logistic') for (const width of widths) torchMs.set(width, await torchStep(width, o, threads));
  for (const width of widths) {
    const rows = await engineRows(width, o, requests, req.engine !== undefined, batch);
    if (torchMs.has(width)) torchLines(width, o, torchMs.get(width), threads, rows);
  }
}

runMain(main);
