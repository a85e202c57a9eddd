import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients; the layers bundle registers them all (see losses.ts).
import '@tensorflow/tfjs-layers';

/**
 * The SiamFC embedding (AlexNet variant of docs/trackers.md, "Network and model format": no padding, total stride 8, conv2/4/5
 * in two groups, batch norm after conv1-4, conv5 linear) and its cross-correlation head.
 * Parameters live in a Map keyed by stable names ('conv1/w', 'bn1/gamma', 'bn1/mean', ...), which
 * the checkpoints, the optimiser and the model file key on. Everything here runs, and
 * differentiates, on the WASM backend once registerWasmGradients() has been called.
 */
export interface NetworkConfig {
  /** Channel multiplier (1 = the published 96/256/384/384/256 channels). */
  width: number;
  exemplarSize: number;
  /** Search crop side used in training (239 in the reference recipe); tracking uses 255. */
  searchSize: number;
  headScale: number;
  bnEps: number;
  bnMomentum: number;
}

export type Params = Map<string, tf.Variable>;

export interface Layer {
  name: string;
  kernel: number;
  stride: number;
  groups: number;
  /** Published output channels at width 1. */
  channels: number;
  bn: boolean;
  pool: boolean;
}

export const LAYERS: readonly Layer[] = [
  { name: 'conv1', kernel: 11, stride: 2, groups: 1, channels: 96, bn: true, pool: true },
  { name: 'conv2', kernel: 5, stride: 1, groups: 2, channels: 256, bn: true, pool: true },
  { name: 'conv3', kernel: 3, stride: 1, groups: 1, channels: 384, bn: true, pool: false },
  { name: 'conv4', kernel: 3, stride: 1, groups: 2, channels: 384, bn: true, pool: false },
  { name: 'conv5', kernel: 3, stride: 1, groups: 2, channels: 256, bn: false, pool: false },
];

/** Total stride of the embedding: one feature cell is this many input pixels. */
export const STRIDE = 8;

/** Channels of each layer at a width; even, so that the two groups split them evenly. */
export function layerChannels(width: number): number[] {
  return LAYERS.map((l) => Math.max(2, 2 * Math.round((l.channels * width) / 2)));
}

/** Side of the feature map for an input side (valid convolutions and pools). */
export function featureSize(input: number): number {
  let s = input;
  for (const l of LAYERS) {
    s = Math.floor((s - l.kernel) / l.stride) + 1;
    if (l.pool) s = Math.floor((s - 3) / 2) + 1;
  }
  return s;
}

let instances = 0;

/**
 * Kaiming-normal kernels (fan-in, ReLU gain), zero biases, unit BN scales, BN moving statistics
 * mean 0 / variance 1 (not trainable). Same seed, same weights, on every backend.
 */
export function initParams(cfg: NetworkConfig, seed: number): Params {
  // tf.Variable names are global to the engine; a per-instance prefix lets models coexist.
  const prefix = `siamfc${++instances}`;
  const params: Params = new Map();
  // Variables survive the tidy; the initial values they copied do not.
  const add = (name: string, make: () => tf.Tensor, trainable = true) =>
    params.set(
      name,
      tf.tidy(() => tf.variable(make(), trainable, `${prefix}/${name}`)),
    );
  const channels = layerChannels(cfg.width);
  let cin = 3;
  LAYERS.forEach((l, i) => {
    const cout = channels[i];
    const fanIn = l.kernel * l.kernel * (cin / l.groups);
    add(`${l.name}/w`, () =>
      tf.randomNormal([l.kernel, l.kernel, cin / l.groups, cout], 0, Math.sqrt(2 / fanIn), 'float32', seed * 1009 + i),
    );
    if (l.bn) {
      const n = `bn${i + 1}`;
      add(`${n}/gamma`, () => tf.ones([cout]));
      add(`${n}/beta`, () => tf.zeros([cout]));
      add(`${n}/mean`, () => tf.zeros([cout]), false);
      add(`${n}/variance`, () => tf.ones([cout]), false);
    } else {
      add(`${l.name}/b`, () => tf.zeros([cout]));
    }
    cin = cout;
  });
  add('head/bias', () => tf.scalar(0));
  add('bn/updates', () => tf.scalar(0), false);
  return params;
}

/** Convolution in `groups` groups: tfjs has no grouped convolution, so split, convolve, concatenate. */
function groupedConv(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, groups: number): tf.Tensor4D {
  if (groups === 1) return tf.conv2d(x, w, stride, 'valid');
  const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
  const ws = tf.split(w, groups, 3) as tf.Tensor4D[];
  return tf.concat4d(
    xs.map((xi, g) => tf.conv2d(xi, ws[g], stride, 'valid')),
    3,
  );
}

type StatsSink = (bn: string, mean: tf.Tensor1D, variance: tf.Tensor1D, count: number) => void;

function forward(params: Params, cfg: NetworkConfig, images: tf.Tensor4D, training: boolean, sink?: StatsSink): tf.Tensor4D {
  const p = (name: string) => {
    const v = params.get(name);
    if (!v) throw new Error(`SiamFC parameters: missing ${name}`);
    return v;
  };
  let h: tf.Tensor4D = images;
  LAYERS.forEach((l, i) => {
    h = groupedConv(h, p(`${l.name}/w`) as tf.Tensor4D, l.stride, l.groups);
    if (l.bn) {
      const n = `bn${i + 1}`;
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (training) {
        ({ mean, variance } = tf.moments(h, [0, 1, 2]));
        sink?.(n, mean as tf.Tensor1D, variance as tf.Tensor1D, h.shape[0] * h.shape[1] * h.shape[2]);
      } else {
        mean = p(`${n}/mean`);
        variance = p(`${n}/variance`);
      }
      h = tf.batchNorm(
        h,
        mean as tf.Tensor1D,
        variance as tf.Tensor1D,
        p(`${n}/beta`) as tf.Tensor1D,
        p(`${n}/gamma`) as tf.Tensor1D,
        cfg.bnEps,
      );
      h = tf.relu(h);
    } else {
      h = tf.add(h, p(`${l.name}/b`));
    }
    if (l.pool) h = tf.maxPool(h, 3, 2, 'valid');
  });
  return h;
}

/**
 * Features [N, s', s', C] of images [N, s, s, 3] (RGB 0..255, no mean subtraction).
 * training = true normalises with the batch statistics and modifies nothing.
 */
export function embed(params: Params, cfg: NetworkConfig, images: tf.Tensor4D, training: boolean): tf.Tensor4D {
  return tf.tidy(() => forward(params, cfg, images, training));
}

export interface BatchNormStatistics {
  mean: tf.Tensor1D;
  /** Population variance (divided by count). */
  variance: tf.Tensor1D;
  /** Values each statistic averaged: batch x height x width. */
  count: number;
}

/**
 * Every batch-norm layer's batch statistics ('bn1'..) for images in training mode: what an optimiser
 * outside TensorFlow.js folds into the moving statistics itself. The tensors belong to the caller.
 */
export function batchNormStatistics(params: Params, cfg: NetworkConfig, images: tf.Tensor4D): Map<string, BatchNormStatistics> {
  const out = new Map<string, BatchNormStatistics>();
  tf.tidy(() => {
    forward(params, cfg, images, true, (bn, mean, variance, count) =>
      out.set(bn, { mean: tf.keep(mean), variance: tf.keep(variance), count }),
    );
  });
  return out;
}

/**
 * Folds a batch's statistics into the moving averages (PyTorch's convention: new = (1 - m) old +
 * m batch, unbiased batch variance). Called outside the gradient, after an optimiser step. The first
 * updates use a cumulative average (m = 1/(n+1) while that exceeds the momentum), so the moving
 * statistics leave their 0/1 initial values at once instead of after ~1/m steps, which matters for
 * the validation loss of short runs on raw 0..255 inputs.
 */
export function updateBatchNormStats(params: Params, cfg: NetworkConfig, images: tf.Tensor4D): void {
  const updates = params.get('bn/updates')!;
  tf.tidy(() => {
    const m = tf.maximum(tf.scalar(cfg.bnMomentum), tf.div(1, tf.add(updates, 1)));
    const keep = tf.sub(1, m);
    forward(params, cfg, images, true, (bn, mean, variance, count) => {
      const mv = params.get(`${bn}/mean`)!;
      const vv = params.get(`${bn}/variance`)!;
      const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
      mv.assign(tf.add(tf.mul(mv, keep), tf.mul(mean, m)));
      vv.assign(tf.add(tf.mul(vv, keep), tf.mul(unbiased, m)));
    });
    updates.assign(tf.add(updates, 1));
  });
}

/**
 * Cross-correlation head: response [N, h, w, 1] = headScale * (z (*) x) + bias. With one exemplar
 * and several searches (tracking: one target, three scales) it is a plain convolution; with pairs
 * (training) each exemplar meets only its own search, a depthwise convolution over the batch
 * folded into channels, summed over each sample's channels.
 */
export function xcorr(z: tf.Tensor4D, x: tf.Tensor4D, headScale: number, params?: Params): tf.Tensor4D {
  return tf.tidy(() => {
    const [nz, hz, wz, c] = z.shape;
    const [n, hx, wx] = x.shape;
    let r: tf.Tensor4D;
    if (nz === 1) {
      r = tf.conv2d(x, tf.reshape(z, [hz, wz, c, 1]) as tf.Tensor4D, 1, 'valid');
    } else {
      if (nz !== n) throw new Error(`xcorr: ${nz} exemplars for ${n} searches`);
      const xs = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, hx, wx, n * c]) as tf.Tensor4D;
      const zs = tf.reshape(tf.transpose(z, [1, 2, 0, 3]), [hz, wz, n * c, 1]) as tf.Tensor4D;
      const d = tf.depthwiseConv2d(xs, zs, 1, 'valid');
      const [, ho, wo] = d.shape;
      r = tf.reshape(tf.transpose(tf.sum(tf.reshape(d, [ho, wo, n, c]), 3), [2, 0, 1]), [n, ho, wo, 1]);
    }
    const scaled = tf.mul(r, headScale);
    const bias = params?.get('head/bias');
    return (bias ? tf.add(scaled, bias) : scaled) as tf.Tensor4D;
  });
}

export { saveModel } from './model-file.ts';
export { loadModel } from './model-load.ts';
