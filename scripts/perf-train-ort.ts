import { Command } from 'commander';
import { runMain } from '../src/core/cli-main.ts';
import { DEFAULT_LOSS_SETTINGS, LOSS_NAMES, type LossName } from '../src/trackers/siamfc/losses.ts';
import type { NetworkConfig } from '../src/trackers/siamfc/network.ts';
import { createSession, loadOrt } from '../src/compute/onnx/session.ts';
import { exemplarGraph, foldedLayers } from '../src/trackers/siamfc/ort-graphs.ts';
import { createOrtSiamfc, type OrtSiamese } from '../src/training/engines/ort/ort-siamese.ts';

/**
 * Training throughput of the ORT engine: pairs per second of lossAndGrads (forward in training
 * mode, loss, every parameter gradient), alone and with the per-step batch statistics, at each
 * width and thread count, batch 8, exemplar 127,
 * search 239, on pseudo-random crops (speed does not depend on the pixels). Prints the best and the
 * median of several timed steps after a warm-up: the machine is shared, and the best is the
 * engine's speed, the median what a run sees. Each setting also times the plain inference backbone
 * (3 crops of 255, batch norm folded) with the same threads: docs/performance.md gives its figures on an
 * idle machine (29 ms with 1 thread, 17 ms with 2 at width 0.25; 200 and 103 ms at width 1), so the
 * ratio says how busy the machine was during the run. Prints figures only.
 */
const program = new Command()
  .name('npm run perf:train-ort --')
  .description(
    'Training throughput of the ORT engine alone (pairs/s per width and thread count), with the inference backbone as a gauge of how busy the machine is',
  )
  .option('--widths <list>', 'network widths', '0.25,1')
  .option('--threads <list>', 'intra-op thread counts', '2,1')
  .option('--batch <n>', 'pairs per step', '8')
  .option('--steps <n>', 'timed steps per setting', '5')
  .option('--loss <name>', `loss (${LOSS_NAMES.join(', ')})`, 'logistic')
  .parse();

function crops(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 24;
  }
  return out;
}

/** Best time of the width's inference backbone on 3 crops of 255, on the model's initial weights. */
async function backboneMs(model: OrtSiamese, threads: number): Promise<number> {
  const ort = await loadOrt();
  const layers = foldedLayers({ tensors: model.params, bnEps: model.cfg.bnEps, headScale: model.cfg.headScale });
  const session = await createSession(exemplarGraph(layers, 255), { device: 'cpu', threads }, 'backbone');
  const feeds = { crops: new ort.Tensor('float32', crops(3 * 255 * 255 * 3, 3), [3, 255, 255, 3]) };
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    await session.run(feeds);
    if (i > 0) best = Math.min(best, performance.now() - t);
  }
  await session.release();
  return best;
}

async function main(): Promise<void> {
  const o = program.opts();
  const batch = Number(o.batch);
  const steps = Number(o.steps);
  const data = { size: batch, exemplars: crops(batch * 127 * 127 * 3, 1), searches: crops(batch * 239 * 239 * 3, 2) };
  for (const width of String(o.widths).split(',').map(Number)) {
    for (const threads of String(o.threads).split(',').map(Number)) {
      const cfg: NetworkConfig = { width, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
      const model = await createOrtSiamfc(cfg, 1, o.loss as LossName, DEFAULT_LOSS_SETTINGS, { threads });
      let t = performance.now();
      await model.lossAndGrads(data);
      const first = performance.now() - t;
      const times: number[] = [];
      for (let i = 0; i < steps; i++) {
        t = performance.now();
        await model.lossAndGrads(data);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const rate = (ms: number) => ((batch * 1000) / ms).toFixed(1);
      // The loop also folds each step's batch statistics into the moving averages: one more
      // forward pass (both branches, up to the last batch norm) per step.
      await model.batchStatistics(data);
      let stats = Infinity;
      for (let i = 0; i < steps; i++) {
        t = performance.now();
        await model.batchStatistics(data);
        stats = Math.min(stats, performance.now() - t);
      }
      const backbone = await backboneMs(model, threads);
      console.log(
        `width ${width}, ${model.engine}, batch ${batch}: best ${rate(times[0])} pairs/s (${times[0].toFixed(0)} ms/step), median ${rate(times[times.length >> 1])} pairs/s; first step with session creation ${first.toFixed(0)} ms; batch statistics ${stats.toFixed(0)} ms (with them ${rate(times[0] + stats)} pairs/s); inference backbone 3x255 ${backbone.toFixed(0)} ms`,
      );
      model.dispose();
    }
  }
}

runMain(main);
