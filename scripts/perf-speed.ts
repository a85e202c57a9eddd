import { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../src/compute/backend.ts';
import { type ComputeChoice, type ComputeRequest, checkComputeRequest, selectCompute } from '../src/compute/engine.ts';
import { runMain } from '../src/core/cli-main.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { FrameReader } from '../src/runner/frames.ts';
import { addComputeOptions } from '../src/cli/options.ts';
import type { SiamfcEngine } from '../src/trackers/siamfc/engine.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { loadModel } from '../src/trackers/siamfc/model-load.ts';
import { readModelWeights } from '../src/trackers/siamfc/model-weights.ts';
import { initParams, saveModel } from '../src/trackers/siamfc/network.ts';
import { OrtEngine } from '../src/trackers/siamfc/ort-engine.ts';
import { SIAMFC_3S } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { TfjsEngine } from '../src/trackers/siamfc/tfjs-engine.ts';
import { existsSync } from 'node:fs';
import type { ImageBox } from '../src/core/types.ts';
import { REAL_SEQUENCE_PARTS, FRAME_H, FRAME_W, readRealSequence, truth, writeSequence } from './speed-sequence.ts';
import { engineOverhead } from './ort-overhead.ts';
import { realDataOption } from './realdata.ts';

/**
 * SiamFC-3s speed, both engines side by side in one run (ratios within a run are what compare on a
 * shared machine): per-stage time per frame (decode awaited alone and the wait for frames read ahead
 * as the bench's workers read them, crop, network, post-processing) and fps for the
 * full-width and the quarter-width network; the ORT engine's network stage against a bare ORT
 * session running the same graph on the same inputs; then throughput with 1 and 2 worker threads.
 * Prints figures only.
 */
interface RunFigures {
  frames: number;
  /** ms per frame: a decode awaited on its own, and the wait for frames decoded ahead (as bench runs). */
  decode: number;
  decodeWait: number;
  crop: number;
  network: number;
  post: number;
  wallSeconds: number;
}

async function makeEngine(compute: ComputeChoice, dir: string): Promise<SiamfcEngine> {
  if (compute.engine === 'ort')
    return OrtEngine.create(await readModelWeights(dir), { device: compute.provider as 'cpu' | 'cuda', threads: compute.threads });
  await selectBackend(compute.backend);
  return new TfjsEngine(await loadModel(dir));
}

/**
 * Loads the model and warms up (init on frame 1, two updates), then waits for `go` before tracking
 * the sequence and returns per-frame stage times; workers use `go` to start timing together.
 */
async function trackSequence(
  compute: ComputeChoice,
  modelDir: string,
  paths: string[],
  box: ImageBox,
  go: () => Promise<void> = async () => {},
): Promise<RunFigures> {
  const engine = await makeEngine(compute, modelDir);
  const tracker = new SiamfcTracker(engine, SIAMFC_3S);
  const first = await decodeRgb(paths[0]);
  await tracker.init({ index: 0, path: paths[0], ...first }, box);
  for (let i = 0; i < 2; i++) await tracker.update({ index: 0, path: paths[0], ...first }); // kernels compile, the JIT settles
  Object.assign(tracker.times, { crop: 0, network: 0, post: 0, frames: 0 });
  await go();
  // The runner's reader: the next frames decode on libuv's pool while the tracker works.
  const reader = new FrameReader(paths, true);
  await reader.get(0);
  reader.waitMs = 0;
  const t0 = performance.now();
  for (let i = 1; i < paths.length; i++) await tracker.update(await reader.get(i));
  const wallSeconds = (performance.now() - t0) / 1000;
  const n = tracker.times.frames;
  engine.dispose();
  let decode = 0;
  for (let i = 1; i < paths.length; i++) {
    const d0 = performance.now();
    await decodeRgb(paths[i]);
    decode += performance.now() - d0;
  }
  return {
    frames: n,
    decode: decode / n,
    decodeWait: reader.waitMs / n,
    crop: tracker.times.crop / n,
    network: tracker.times.network / n,
    post: tracker.times.post / n,
    wallSeconds,
  };
}

/**
 * Runs `threads` workers, each tracking the whole sequence with its own engine; once all have
 * loaded and warmed up they start together, and the figure is all frames over the time until the
 * last one finishes.
 */
async function workerThroughput(threads: number, modelDir: string, paths: string[], request: ComputeRequest): Promise<number> {
  const boot = `const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(import.meta.url)});`;
  const workers = Array.from(
    { length: threads },
    () => new Worker(boot, { eval: true, workerData: { modelDir, paths, request, workers: threads } }),
  );
  const next = (w: Worker) =>
    new Promise<unknown>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next)); // 'ready'
    const t0 = performance.now();
    const done = workers.map(next);
    for (const w of workers) w.postMessage('go');
    const results = (await Promise.all(done)) as RunFigures[];
    return results.reduce((a, r) => a + r.frames, 0) / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const ms = (v: number) => v.toFixed(1).padStart(8);

interface SpeedOptions {
  engine?: string;
  device?: string;
  threads?: number;
  backend?: string;
  frames: number;
  workers: boolean;
  real: string;
  model?: string;
}

function parseOptions(): SpeedOptions {
  const program = addComputeOptions(
    new Command()
      .name('npm run perf:speed --')
      .description('SiamFC-3s per-stage time and fps on both engines (or the one --engine names)')
      .option('--frames <n>', 'frames per sequence', (v) => Math.max(3, Number.parseInt(v, 10) || 0), 21)
      .option('--no-workers', 'skip the 1 vs 2 worker-thread measurement')
      .addOption(
        realDataOption('--real <dir>', 'an OTB sequence folder (img/*.jpg, groundtruth_rect.txt) to track as well', ...REAL_SEQUENCE_PARTS),
      )
      .option('--model <dir>', 'a model folder to time as well (default: models/siamfc-pretrained when imported)'),
  ).parse();
  return program.opts<SpeedOptions>();
}

type Model = { label: string; dir: string };
type Sequence = { label: string; paths: string[]; box: ImageBox; models: Model[] };

/** Full width: seeded weights saved like a trained model (speed does not depend on the values). */
async function fullWidthModel(dir: string, computes: ComputeChoice[]): Promise<void> {
  if (!computes.some((c) => c.engine === 'tfjs')) await selectBackend('cpu'); // initParams draws with tfjs
  const cfg = { width: 1, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
  const params = initParams(cfg, 1);
  await saveModel(dir, params, cfg, { trained: false });
  for (const v of params.values()) v.dispose();
}

/** Per-stage times of every model on every engine for each sequence; returns the network stage on synthetic frames by model and engine. */
async function stageTables(sequences: Sequence[], computes: ComputeChoice[], synthetic: string[]): Promise<Map<string, number>> {
  process.stdout.write('decode: awaited alone | wait: for frames read ahead, as bench runs | ms/frame = wait + crop + network + post\n');
  const network = new Map<string, number>();
  for (const q of sequences) {
    process.stdout.write(
      `\n${q.label}\nmodel              engine           decode     wait     crop  network     post  ms/frame    fps   rest (wait+crop+post)\n`,
    );
    for (const m of q.models) {
      for (const c of computes) {
        const f = await trackSequence(c, m.dir, q.paths, q.box);
        const total = f.decodeWait + f.crop + f.network + f.post;
        if (q.paths === synthetic) network.set(`${m.label}|${c.engine}`, f.network);
        process.stdout.write(
          `${m.label.padEnd(19)}${c.label.padEnd(14)}${ms(f.decode)} ${ms(f.decodeWait)} ${ms(f.crop)} ${ms(f.network)} ${ms(f.post)}  ${ms(total)} ${(1000 / total).toFixed(2).padStart(6)}  ${ms(total - f.network)}\n`,
        );
      }
    }
  }
  return network;
}

async function overheadLines(ort: ComputeChoice, models: Model[], network: Map<string, number>, frames: number): Promise<void> {
  process.stdout.write(
    `\nORT engine's respond() against a bare onnxruntime-node session of the same graph, in alternating blocks (${ort.threads} threads):\n`,
  );
  for (const m of models) {
    const d = await engineOverhead(m.dir, ort.threads, Math.max(10, frames));
    const tfjs = network.get(`${m.label}|tfjs`);
    const tracked = network.get(`${m.label}|ort`)!;
    process.stdout.write(
      `${m.label.padEnd(16)} bare ${d.bare.toFixed(1)} ms, engine ${d.engine.toFixed(1)} ms (${((d.engine / d.bare - 1) * 100).toFixed(1)}% over bare)${tfjs ? `; tfjs network stage = ${(tfjs / tracked).toFixed(1)}x ORT's` : ''}\n`,
    );
  }
}

async function workerLines(models: Model[], requests: ComputeRequest[], paths: string[]): Promise<void> {
  process.stdout.write('\nworker threads (each its own engine and sequence; ORT threads = cores / workers), frames per second overall:\n');
  for (const m of models) {
    for (const r of requests) {
      const one = await workerThroughput(1, m.dir, paths, r);
      const two = await workerThroughput(2, m.dir, paths, r);
      process.stdout.write(
        `${m.label.padEnd(16)}${(r.engine ?? '').padEnd(6)} 1 worker ${one.toFixed(2)} fps, 2 workers ${two.toFixed(2)} fps (x${(two / one).toFixed(2)})\n`,
      );
    }
  }
}

async function main(): Promise<void> {
  const o = parseOptions();
  const req = checkComputeRequest({ engine: o.engine, device: o.device, threads: o.threads, backend: o.backend });
  const requests: ComputeRequest[] = req.engine ? [req] : [{ engine: 'ort', threads: o.threads }, { engine: 'tfjs' }];
  const computes = await Promise.all(requests.map((r) => selectCompute(r, 1)));
  const tmp = await mkdtemp(join(tmpdir(), 'siambench-speed-'));
  try {
    const paths = await writeSequence(join(tmp, 'img'), o.frames);
    const fullDir = join(tmp, 'siamfc-w1');
    await fullWidthModel(fullDir, computes);
    const models = [
      { label: 'width 1 (full)', dir: fullDir },
      { label: 'width 0.25', dir: join(modelsRoot(), 'siamfc') },
    ];
    // The imported original weights on real frames: what a user of siamfc-pretrained gets.
    const extra = o.model ?? join(modelsRoot(), 'siamfc-pretrained');
    const imported = existsSync(join(extra, 'model.json')) ? { label: basename(extra), dir: extra } : undefined;
    const real = await readRealSequence(o.real, o.frames);
    const sequences: Sequence[] = [
      { label: `synthetic ${FRAME_W}x${FRAME_H} JPEG`, paths, box: truth(0), models: imported ? [...models, imported] : models },
    ];
    if (real)
      sequences.push({
        label: `real frames of ${o.real}`,
        paths: real.paths,
        box: real.box,
        models: imported ? [imported, models[1]] : models,
      });

    process.stdout.write(`${o.frames - 1} timed frames per run, SiamFC-3s (3 search crops of 255), ${availableParallelism()} cores\n`);
    if (!imported)
      process.stdout.write(`(no model at ${extra}: npm run import-model imports the original SiamFC weights, see docs/trackers.md)\n`);
    if (!real) process.stdout.write(`(no real sequence at ${o.real}: synthetic frames only)\n`);
    const network = await stageTables(sequences, computes, paths);
    const ort = computes.find((c) => c.engine === 'ort' && c.provider === 'cpu');
    if (ort) await overheadLines(ort, models, network, o.frames);
    if (o.workers) await workerLines(models, requests, paths);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (isMainThread) {
  runMain(main);
} else {
  const { modelDir, paths, request, workers } = workerData as {
    modelDir: string;
    paths: string[];
    request: ComputeRequest;
    workers: number;
  };
  const port = parentPort!;
  const compute = await selectCompute(request, workers);
  const figures = await trackSequence(
    compute,
    modelDir,
    paths,
    truth(0),
    () =>
      new Promise((resolve) => {
        port.once('message', () => resolve());
        port.postMessage('ready');
      }),
  );
  port.postMessage(figures);
}
