import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMaps, SiamfcEngine } from './engine.ts';
import type { LoadedModel } from './model-load.ts';
import { LAYERS, featureSize, xcorr } from './network.ts';

/**
 * The SiamFC engine on TensorFlow.js, on whatever backend is active. For inference, batch norm is
 * folded into the convolutions (w * gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps)),
 * so each layer is one fused convolution + bias + ReLU per group: fewer kernels and passes over the
 * activations than the training graph, same numbers up to rounding. Folded models (imported
 * networks) come with convN/b for every layer and are used as they are.
 */
interface FoldedLayer {
  /** One filter and bias per group. */
  filters: tf.Tensor4D[];
  biases: tf.Tensor1D[];
  stride: number;
  relu: boolean;
  pool: boolean;
}

function foldLayers(model: LoadedModel): FoldedLayer[] {
  const p = (name: string) => model.params.get(name)!;
  return LAYERS.map((l, i) =>
    tf.tidy(() => {
      let w = p(`${l.name}/w`) as tf.Tensor4D;
      let b: tf.Tensor1D;
      if (l.bn && !model.architecture.folded) {
        const n = `bn${i + 1}`;
        const scale = tf.div(p(`${n}/gamma`), tf.sqrt(tf.add(p(`${n}/variance`), model.config.bnEps)));
        w = tf.mul(w, scale);
        b = tf.sub(p(`${n}/beta`), tf.mul(p(`${n}/mean`), scale));
      } else {
        b = p(`${l.name}/b`) as tf.Tensor1D;
      }
      const filters = (l.groups === 1 ? [w] : tf.split(w, l.groups, 3)) as tf.Tensor4D[];
      const biases = (l.groups === 1 ? [b] : tf.split(b, l.groups, 0)) as tf.Tensor1D[];
      // Copies: the folded layers outlive this tidy and must not alias the model's variables.
      return {
        filters: filters.map((t) => tf.keep(tf.clone(t))),
        biases: biases.map((t) => tf.keep(tf.clone(t))),
        stride: l.stride,
        relu: l.bn,
        pool: l.pool,
      };
    }),
  );
}

function embedFolded(layers: FoldedLayer[], images: tf.Tensor4D): tf.Tensor4D {
  let h = images;
  for (const l of layers) {
    const groups = l.filters.length;
    const inputs = groups === 1 ? [h] : (tf.split(h, groups, 3) as tf.Tensor4D[]);
    const outs = inputs.map((x, g) =>
      tf.fused.conv2d({
        x,
        filter: l.filters[g],
        strides: l.stride,
        pad: 'valid',
        bias: l.biases[g],
        activation: l.relu ? 'relu' : 'linear',
      }),
    );
    h = groups === 1 ? outs[0] : tf.concat4d(outs, 3);
    if (l.pool) h = tf.maxPool(h, 3, 2, 'valid');
  }
  return h;
}

export class TfjsEngine implements SiamfcEngine {
  readonly name: string;
  readonly exemplarSize: number;
  readonly instanceSize: number;
  readonly responseSize: number;
  private readonly layers: FoldedLayer[];

  constructor(private readonly model: LoadedModel) {
    this.name = `tfjs/${tf.getBackend()}`;
    this.exemplarSize = model.architecture.exemplarSize;
    this.instanceSize = model.architecture.instanceSize;
    this.responseSize = featureSize(this.instanceSize) - featureSize(this.exemplarSize) + 1;
    this.layers = foldLayers(model);
  }

  async embedExemplar(crops: Float32Array, n: number): Promise<FeatureMaps> {
    const s = this.exemplarSize;
    const f = tf.tidy(() => embedFolded(this.layers, tf.tensor4d(crops, [n, s, s, 3])));
    const data = (await f.data()) as Float32Array;
    const shape = f.shape as [number, number, number, number];
    f.dispose();
    return { data, shape };
  }

  async respond(exemplar: FeatureMaps, crops: Float32Array, n: number): Promise<Float32Array> {
    const s = this.instanceSize;
    const r = tf.tidy(() => {
      const x = embedFolded(this.layers, tf.tensor4d(crops, [n, s, s, 3]));
      return xcorr(tf.tensor4d(exemplar.data, exemplar.shape), x, this.model.config.headScale, this.model.params);
    });
    const data = (await r.data()) as Float32Array;
    r.dispose();
    return data;
  }

  dispose(): void {
    for (const l of this.layers) tf.dispose([...l.filters, ...l.biases]);
  }
}
