import * as tf from '@tensorflow/tfjs-core';
import { activeBackend } from '../../compute/backend.ts';
import { type LossName, type LossSettings, lossFunction } from '../../trackers/siamfc/losses.ts';
import { batchNormStatistics, embed, initParams, type NetworkConfig, type Params, xcorr } from '../../trackers/siamfc/network.ts';
import type { PairBatch } from '../batches.ts';
import type { BatchStats, LossAndGrads, ParamArray, TrainableSiamese } from '../trainable.ts';

/**
 * SiamFC (src/trackers/siamfc/network.ts) on TensorFlow.js, behind the engine-neutral training
 * interface. The arrays in `params` are the truth; every call uploads them into the network's
 * variables first (one copy of each parameter, small beside a forward pass) because the loop
 * changes them in place between calls. Runs on whichever backend is active (selectBackend first).
 */
export function createTfjsSiamfc(cfg: NetworkConfig, seed: number, lossName: LossName, lossSettings: LossSettings): TrainableSiamese {
  const loss = lossFunction(lossName, lossSettings);
  const vars: Params = initParams(cfg, seed);
  const params = new Map<string, ParamArray>();
  // A copy: a backend may hand out its own buffer, which must not change under the variables.
  for (const [name, v] of vars) params.set(name, { shape: [...v.shape], data: (v.dataSync() as Float32Array).slice() });
  const trainable = [...vars].filter(([, v]) => v.trainable).map(([n]) => n);
  const trainableVars = trainable.map((n) => vars.get(n)!);

  const upload = () => {
    tf.tidy(() => {
      for (const [name, v] of vars) v.assign(tf.tensor(params.get(name)!.data, v.shape));
    });
  };
  const inputs = (b: PairBatch) => {
    const ez = Math.round(Math.sqrt(b.exemplars.length / b.size / 3));
    const sx = Math.round(Math.sqrt(b.searches.length / b.size / 3));
    return { z: tf.tensor4d(b.exemplars, [b.size, ez, ez, 3]), x: tf.tensor4d(b.searches, [b.size, sx, sx, 3]) };
  };
  const scores = (z: tf.Tensor4D, x: tf.Tensor4D, training: boolean) =>
    xcorr(embed(vars, cfg, z, training), embed(vars, cfg, x, training), cfg.headScale, vars);
  const read = async (t: tf.Tensor) => ((await t.data()) as Float32Array).slice();

  return {
    engine: `tfjs/${activeBackend() ?? tf.getBackend()}`,
    params,
    trainable,
    // Convolution kernels decay; biases and batch-norm scales/offsets (rank 0 or 1) do not.
    decays: (name) => trainable.includes(name) && params.get(name)!.shape.length >= 2,

    async lossAndGrads(batch): Promise<LossAndGrads> {
      upload();
      const { value, grads } = tf.tidy(() => {
        const { z, x } = inputs(batch);
        return tf.variableGrads(() => loss(scores(z, x, true)), trainableVars);
      });
      try {
        const out = new Map<string, Float32Array>();
        for (const [k, n] of trainable.entries()) out.set(n, await read(grads[trainableVars[k].name]));
        return { loss: (await value.data())[0], grads: out };
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
      }
    },

    async loss(batch): Promise<number> {
      upload();
      const value = tf.tidy(() => {
        const { z, x } = inputs(batch);
        return loss(scores(z, x, false));
      });
      try {
        return (await value.data())[0];
      } finally {
        value.dispose();
      }
    },

    async batchStatistics(batch) {
      upload();
      const { z, x } = inputs(batch);
      const branch = async (images: tf.Tensor4D) => {
        const stats = batchNormStatistics(vars, cfg, images);
        const out = new Map<string, BatchStats>();
        try {
          for (const [bn, s] of stats) out.set(bn, { mean: await read(s.mean), variance: await read(s.variance), count: s.count });
        } finally {
          for (const s of stats.values()) tf.dispose([s.mean, s.variance]);
        }
        return out;
      };
      try {
        return { z: await branch(z), x: await branch(x) };
      } finally {
        tf.dispose([z, x]);
      }
    },

    describe: () => ({ ...cfg }),
    dispose: () => {
      for (const v of vars.values()) v.dispose();
    },
  };
}
