import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BACKEND_NAMES, selectBackend } from '../src/compute/backend.ts';
import { runMain } from '../src/core/cli-main.ts';
import type { Box } from '../src/core/types.ts';
import { decodeRgb } from '../src/images/decode.ts';
import { meanColour, samplePatch } from '../src/images/sample.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { loadModel } from '../src/trackers/siamfc/model-file.ts';
import { initParams, saveModel } from '../src/trackers/siamfc/network.ts';
import { SIAMFC_3S } from '../src/trackers/siamfc/settings.ts';
import { SiamfcTracker } from '../src/trackers/siamfc/siamfc-tracker.ts';
import { TfjsEngine } from '../src/trackers/siamfc/tfjs-engine.ts';

/**
 * SiamFC-3s speed on the backend in use: per-stage time (decode, crop, network, post-processing)
 * and frames per second for the full-width and the quarter-width network, then throughput with 1
 * and 2 worker threads (each with its own backend and its own sequence). Prints figures only.
 */
const FRAME_W = 640;
const FRAME_H = 360;

function truth(i: number): Box {
  return [200 + 4 * i, 120 + 2 * i, 64, 48];
}

async function writeSequence(dir: string, n: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const px = Buffer.alloc(FRAME_W * FRAME_H * 3);
    const [bx, by, bw, bh] = truth(i);
    for (let y = 0; y < FRAME_H; y++) {
      for (let x = 0; x < FRAME_W; x++) {
        const inBox = x >= bx && x < bx + bw && y >= by && y < by + bh;
        const v = inBox ? 0.5 + 0.25 * (Math.sin(x / 5) + Math.cos(y / 6)) : 0.5 + 0.2 * Math.sin(x / 11 + y / 17);
        px.set([255 * v, inBox ? 200 * (1 - v) : 120, 80 + 100 * v], (y * FRAME_W + x) * 3);
      }
    }
    const path = join(dir, `${String(i + 1).padStart(4, '0')}.jpg`);
    await sharp(px, { raw: { width: FRAME_W, height: FRAME_H, channels: 3 } }).jpeg({ quality: 90 }).toFile(path);
    paths.push(path);
  }
  return paths;
}

interface RunFigures {
  frames: number;
  decode: number; // ms per frame
  crop: number;
  network: number;
  post: number;
  wallSeconds: number;
}

/**
 * Loads the model and warms up (init on frame 1, one update), then waits for `go` before tracking the
 * sequence and returns per-frame stage times; workers use `go` to start timing together.
 */
async function trackSequence(modelDir: string, paths: string[], go: () => Promise<void> = async () => {}): Promise<RunFigures> {
  const model = await loadModel(modelDir);
  const engine = new TfjsEngine(model);
  const tracker = new SiamfcTracker(engine, SIAMFC_3S);
  const first = await decodeRgb(paths[0]);
  await tracker.init({ index: 0, path: paths[0], ...first }, truth(0));
  await tracker.update({ index: 0, path: paths[0], ...first }); // kernels compile, the JIT settles
  Object.assign(tracker.times, { crop: 0, network: 0, post: 0, frames: 0 });
  await go();
  let decode = 0;
  const t0 = performance.now();
  for (let i = 1; i < paths.length; i++) {
    const d0 = performance.now();
    const img = await decodeRgb(paths[i]);
    decode += performance.now() - d0;
    await tracker.update({ index: i, path: paths[i], ...img });
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const n = tracker.times.frames;
  engine.dispose();
  model.dispose();
  return { frames: n, decode: decode / n, crop: tracker.times.crop / n, network: tracker.times.network / n, post: tracker.times.post / n, wallSeconds };
}

/** samplePatch (JS) against tf.image.cropAndResize for the three 255 x 255 search crops. */
async function compareCrops(path: string): Promise<{ js: number; tfjs: number }> {
  const img = await decodeRgb(path);
  const fill = meanColour(img);
  const out = new Float32Array(3 * 255 * 255 * 3);
  const side = 300;
  const js = () => {
    for (let k = 0; k < 3; k++) samplePatch(img, fill, out, k * 255 * 255 * 3, 255, 100 + k, 40, (side * 1.0375 ** (k - 1)) / 255);
  };
  const tfjs = () => {
    const r = tf.tidy(() => {
      // The fill colour by shifting: crop (image - mean) with 0 outside, then add the mean back.
      const shifted = tf.sub(tf.cast(tf.tensor4d(img.data, [1, img.height, img.width, 3], 'int32'), 'float32'), tf.tensor1d(fill));
      const boxes = [0, 1, 2].map((k) => {
        const s = side * 1.0375 ** (k - 1);
        return [40 / (img.height - 1), 100 / (img.width - 1), (40 + s) / (img.height - 1), (100 + s) / (img.width - 1)];
      });
      return tf.add(tf.image.cropAndResize(shifted as tf.Tensor4D, boxes, [0, 0, 0], [255, 255], 'bilinear', 0), tf.tensor1d(fill));
    });
    r.dataSync();
    r.dispose();
  };
  const time = (fn: () => void) => {
    for (let i = 0; i < 3; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) fn();
    return (performance.now() - t0) / 20;
  };
  return { js: time(js), tfjs: time(tfjs) };
}

/**
 * Runs `threads` workers, each tracking the whole sequence; once all have loaded and warmed up they
 * start together, and the figure is all frames over the time until the last one finishes.
 */
async function workerThroughput(threads: number, modelDir: string, paths: string[], backend: string): Promise<number> {
  const boot = `const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(import.meta.url)});`;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true, workerData: { modelDir, paths, backend } }));
  const next = (w: Worker) => new Promise<unknown>((resolve, reject) => {
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

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench:speed --')
    .addOption(new Option('--backend <name>', 'compute backend (default: the best that loads)').choices([...BACKEND_NAMES]))
    .option('--frames <n>', 'frames per sequence', (v) => Math.max(3, Number.parseInt(v, 10) || 0), 21)
    .option('--no-workers', 'skip the 1 vs 2 worker-thread measurement')
    .parse();
  const o = program.opts<{ backend?: string; frames: number; workers: boolean }>();
  const backend = await selectBackend(o.backend);
  const tmp = await mkdtemp(join(tmpdir(), 'siambench-speed-'));
  try {
    const paths = await writeSequence(join(tmp, 'img'), o.frames);
    // Full width: seeded weights saved like a trained model (speed does not depend on the values).
    const fullDir = join(tmp, 'siamfc-w1');
    const cfg = { width: 1, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
    const params = initParams(cfg, 1);
    await saveModel(fullDir, params, cfg, { trained: false });
    for (const v of params.values()) v.dispose();
    const models = [{ label: 'width 1 (full)', dir: fullDir }, { label: 'width 0.25', dir: join(modelsRoot(), 'siamfc') }];

    process.stdout.write(`backend ${backend}; ${o.frames - 1} timed frames of ${FRAME_W}x${FRAME_H} JPEG per run, SiamFC-3s (3 search crops of 255)\n\n`);
    process.stdout.write('model              decode     crop  network     post  ms/frame    fps  fps w/o decode\n');
    for (const m of models) {
      const f = await trackSequence(m.dir, paths);
      const total = f.decode + f.crop + f.network + f.post;
      const tracker = f.crop + f.network + f.post;
      process.stdout.write(`${m.label.padEnd(16)}${ms(f.decode)} ${ms(f.crop)} ${ms(f.network)} ${ms(f.post)}  ${ms(total)} ${(1000 / total).toFixed(2).padStart(6)}  ${(1000 / tracker).toFixed(2).padStart(6)}\n`);
    }
    const crops = await compareCrops(paths[0]);
    process.stdout.write(`\ncrop of 3 x 255 x 255: samplePatch (JS) ${crops.js.toFixed(1)} ms, tf.image.cropAndResize incl. upload/download ${crops.tfjs.toFixed(1)} ms\n`);

    if (o.workers) {
      process.stdout.write('\nworker threads (each its own backend and sequence), frames per second overall:\n');
      for (const m of models) {
        const one = await workerThroughput(1, m.dir, paths, backend);
        const two = await workerThroughput(2, m.dir, paths, backend);
        process.stdout.write(`${m.label.padEnd(16)} 1 thread ${one.toFixed(2)} fps, 2 threads ${two.toFixed(2)} fps (x${(two / one).toFixed(2)})\n`);
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (isMainThread) {
  runMain(main);
} else {
  const { modelDir, paths, backend } = workerData as { modelDir: string; paths: string[]; backend: string };
  const port = parentPort!;
  await selectBackend(backend);
  const figures = await trackSequence(modelDir, paths, () => new Promise((resolve) => {
    port.once('message', () => resolve());
    port.postMessage('ready');
  }));
  port.postMessage(figures);
}
