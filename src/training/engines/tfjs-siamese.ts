import * as tf from '@tensorflow/tfjs-core';
import { activeBackend } from '../../compute/backend.ts';
import { type LossFn, type LossName, type LossSettings, lossFunction } from '../../trackers/siamfc/losses.ts';
import { batchNormStatistics, embed, initParams, type NetworkConfig, type Params, xcorr } from '../../trackers/siamfc/network.ts';
import type { PairBatch } from '../batches.ts';
import type { BatchStats, LossAndGrads, ParamArray, TrainableSiamese } from '../trainable.ts';

/** The network's variables, the arrays the loop owns, and the loss, as every call needs them. */
interface TfjsNet {
  cfg: NetworkConfig;
  vars: Params;
  params: Map<string, ParamArray>;
  trainable: string[];
  trainableVars: tf.Variable[];
  loss: LossFn;
}

function buildNet(cfg: NetworkConfig, seed: number, lossName: LossName, lossSettings: LossSettings): TfjsNet {
  const loss = lossFunction(lossName, lossSettings);
  const vars: Params = initParams(cfg, seed);
  const params = new Map<string, ParamArray>();
  // A copy: a backend may hand out its own buffer, which must not change under the variables.
  for (const [name, v] of vars) params.set(name, { shape: [...v.shape], data: (v.dataSync() as Float32Array).slice() });
  const trainable = [...vars].filter(([, v]) => v.trainable).map(([n]) => n);
  return { cfg, vars, params, trainable, trainableVars: trainable.map((n) => vars.get(n)!), loss };
}

/** The loop changes the arrays in place between calls, so each call starts from them. */
function upload(net: TfjsNet): void {
  tf.tidy(() => {
    for (const [name, v] of net.vars) v.assign(tf.tensor(net.params.get(name)!.data, v.shape));
  });
}

function inputs(b: PairBatch): { z: tf.Tensor4D; x: tf.Tensor4D } {
  const ez = Math.round(Math.sqrt(b.exemplars.length / b.size / 3));
  const sx = Math.round(Math.sqrt(b.searches.length / b.size / 3));
  return { z: tf.tensor4d(b.exemplars, [b.size, ez, ez, 3]), x: tf.tensor4d(b.searches, [b.size, sx, sx, 3]) };
}

function scores(net: TfjsNet, z: tf.Tensor4D, x: tf.Tensor4D, training: boolean) {
  return xcorr(embed(net.vars, net.cfg, z, training), embed(net.vars, net.cfg, x, training), net.cfg.headScale, net.vars);
}

const read = async (t: tf.Tensor) => ((await t.data()) as Float32Array).slice();

async function lossAndGrads(net: TfjsNet, batch: PairBatch): Promise<LossAndGrads> {
  upload(net);
  const { value, grads } = tf.tidy(() => {
    const { z, x } = inputs(batch);
    return tf.variableGrads(() => net.loss(scores(net, z, x, true)), net.trainableVars);
  });
  try {
    const out = new Map<string, Float32Array>();
    for (const [k, n] of net.trainable.entries()) out.set(n, await read(grads[net.trainableVars[k].name]));
    return { loss: (await value.data())[0], grads: out };
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}

async function lossOf(net: TfjsNet, batch: PairBatch): Promise<number> {
  upload(net);
  const value = tf.tidy(() => {
    const { z, x } = inputs(batch);
    return net.loss(scores(net, z, x, false));
  });
  try {
    return (await value.data())[0];
  } finally {
    value.dispose();
  }
}

/** The batch-norm layers' batch statistics of one branch (exemplars or searches). */
async function branchStatistics(net: TfjsNet, images: tf.Tensor4D): Promise<Map<string, BatchStats>> {
  const stats = batchNormStatistics(net.vars, net.cfg, images);
  const out = new Map<string, BatchStats>();
  try {
    for (const [bn, s] of stats) out.set(bn, { mean: await read(s.mean), variance: await read(s.variance), count: s.count });
  } finally {
    for (const s of stats.values()) tf.dispose([s.mean, s.variance]);
  }
  return out;
}

async function batchStatistics(net: TfjsNet, batch: PairBatch): Promise<{ z: Map<string, BatchStats>; x: Map<string, BatchStats> }> {
  upload(net);
  const { z, x } = inputs(batch);
  try {
    return { z: await branchStatistics(net, z), x: await branchStatistics(net, x) };
  } finally {
    tf.dispose([z, x]);
  }
}

/**
 * SiamFC (src/trackers/siamfc/network.ts) on TensorFlow.js, behind the engine-neutral training
 * interface. The arrays in `params` are the truth; every call uploads them into the network's
 * variables first (one copy of each parameter, small beside a forward pass) because the loop
 * changes them in place between calls. Runs on whichever backend is active (selectBackend first).
 */
export function createTfjsSiamfc(cfg: NetworkConfig, seed: number, lossName: LossName, lossSettings: LossSettings): TrainableSiamese {
  const net = buildNet(cfg, seed, lossName, lossSettings);
  const { params, trainable } = net;
  return {
    engine: `tfjs/${activeBackend() ?? tf.getBackend()}`,
    params,
    trainable,
    // Convolution kernels decay; biases and batch-norm scales/offsets (rank 0 or 1) do not.
    decays: (name) => trainable.includes(name) && params.get(name)!.shape.length >= 2,
    lossAndGrads: (batch) => lossAndGrads(net, batch),
    loss: (batch) => lossOf(net, batch),
    batchStatistics: (batch) => batchStatistics(net, batch),
    describe: () => ({ ...cfg }),
    dispose: () => {
      for (const v of net.vars.values()) v.dispose();
    },
  };
}
