import * as tf from '@tensorflow/tfjs-core';
import { saveModel } from '../trackers/siamfc/model-file.ts';
import { embed, initParams, type NetworkConfig, updateBatchNormStats, xcorr } from '../trackers/siamfc/network.ts';
import type { TrainableSiamese } from './model.ts';

/** The SiamFC network's settings as training sets them (the same record the tracker reads). */
export type SiamfcTrainConfig = NetworkConfig;

/** Adapts the SiamFC network module (src/trackers/siamfc/network.ts) to the training loop. */
export async function createSiamfc(cfg: SiamfcTrainConfig, seed: number): Promise<TrainableSiamese> {
  const params = initParams(cfg, seed);
  const variables = new Map<string, tf.Variable>();
  const state = new Map<string, tf.Variable>();
  for (const [name, v] of params) (v.trainable ? variables : state).set(name, v);
  return {
    variables,
    state,
    // Convolution kernels decay; biases and batch-norm scales/offsets (rank 0 or 1) do not.
    decays: (name) => (variables.get(name)?.rank ?? 0) >= 2,
    forward: (z, x, training) => xcorr(embed(params, cfg, z, training), embed(params, cfg, x, training), cfg.headScale, params),
    updateStatistics: (z, x) => {
      tf.tidy(() => {
        updateBatchNormStats(params, cfg, z);
        updateBatchNormStats(params, cfg, x);
      });
    },
    save: (dir, meta) => saveModel(dir, params, cfg, meta),
    describe: () => ({ ...cfg }),
    dispose: () => {
      for (const v of params.values()) v.dispose();
    },
  };
}
