import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { selectBackend } from '../src/compute/backend.ts';
import { runMain } from '../src/core/cli-main.ts';
import { deriveSeed } from '../src/training/random.ts';
import { modelsRoot } from '../src/trackers/siamfc/factory.ts';
import { type NetworkConfig, initParams, saveModel, updateBatchNormStats } from '../src/trackers/siamfc/network.ts';

/**
 * Writes seeded, UNTRAINED quarter-width models to models/siamfc and models/siamfc-gs so that the
 * trackers, the runner and the tests have weights before training lands. The weights are the
 * trainer's own initialisation for seed 1; the batch-norm moving statistics are taken from seeded
 * uniform-noise crops (no data), so that activations have a sane range. model.json says trained: false.
 */
async function main(): Promise<void> {
  await selectBackend(process.argv[2] ?? 'wasm');
  const cfg: NetworkConfig = { width: 0.25, exemplarSize: 127, searchSize: 239, headScale: 0.001, bnEps: 1e-6, bnMomentum: 0.05 };
  const seed = deriveSeed(1, 'weights');
  for (const [dir, loss] of [['siamfc', 'logistic'], ['siamfc-gs', 'global']] as const) {
    const params = initParams(cfg, seed);
    for (let i = 0; i < 4; i++) {
      for (const side of [cfg.exemplarSize, cfg.searchSize]) {
        const noise = tf.randomUniform([4, side, side, 3], 0, 255, 'float32', 1000 + i) as tf.Tensor4D;
        updateBatchNormStats(params, cfg, noise);
        noise.dispose();
      }
    }
    await saveModel(join(modelsRoot(), dir), params, cfg, {
      trained: false,
      placeholder: `seeded untrained weights (scripts/make-placeholder-models.ts); to be replaced by npm run train -- --loss ${loss}`,
      intendedLoss: loss,
      weightSeed: seed,
      batchNormStatistics: 'from 8 batches of 4 seeded uniform-noise crops (127 and 239), no data',
    });
    for (const v of params.values()) v.dispose();
    process.stdout.write(`${join(modelsRoot(), dir)}: untrained placeholder written\n`);
  }
}

runMain(main);
