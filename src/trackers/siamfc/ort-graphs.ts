import { OnnxGraph } from '../../compute/onnx/graph.ts';
import type { WeightArray } from './model-weights.ts';
import { LAYERS } from './network.ts';

/**
 * The SiamFC inference graphs for ONNX Runtime, built from a model's weights: the embedding with
 * batch norm folded into each convolution (w * gamma / sqrt(var + eps), beta - mean * gamma /
 * sqrt(var + eps)), grouped convolutions as ONNX's `group`, and the cross-correlation head with the
 * exemplar features as a graph input, so one session serves every target of a run.
 *
 * Crops come in NHWC (what the tracker's sampler writes) and are transposed once inside the graph;
 * exemplar features go out NHWC, the layout the engine interface promises.
 */
export interface InferenceWeights {
  tensors: Map<string, WeightArray>;
  bnEps: number;
  headScale: number;
  /** Batch norm already folded into convN/w and convN/b (imported networks); by default, when conv1/b is there. */
  folded?: boolean;
}

/** tfjs kernel [kh, kw, cin/groups, cout] to ONNX [cout, cin/groups, kh, kw], scaled per output channel. */
function toOihw(w: WeightArray, scale?: Float64Array): Float32Array {
  const [kh, kw, cin, cout] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        const src = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = w.data[src + o] * (scale ? scale[o] : 1);
      }
    }
  }
  return out;
}

export interface FoldedConv {
  weight: Float32Array; // OIHW
  shape: number[];
  bias: Float32Array;
}

/** Every layer as one convolution with bias: batch norm folded in, in float64 before rounding once. */
export function foldedLayers(w: InferenceWeights): FoldedConv[] {
  const folded = w.folded ?? w.tensors.has('conv1/b');
  const t = (name: string) => {
    const v = w.tensors.get(name);
    if (!v) throw new Error(`SiamFC weights: missing ${name}`);
    return v;
  };
  return LAYERS.map((l, i) => {
    const kernel = t(`${l.name}/w`);
    const [kh, kw, cin, cout] = kernel.shape;
    if (!l.bn || folded) return { weight: toOihw(kernel), shape: [cout, cin, kh, kw], bias: t(`${l.name}/b`).data };
    const bn = `bn${i + 1}`;
    const [gamma, beta, mean, variance] = ['gamma', 'beta', 'mean', 'variance'].map((p) => t(`${bn}/${p}`).data);
    const scale = new Float64Array(cout);
    const bias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      scale[o] = gamma[o] / Math.sqrt(variance[o] + w.bnEps);
      bias[o] = beta[o] - mean[o] * scale[o];
    }
    return { weight: toOihw(kernel, scale), shape: [cout, cin, kh, kw], bias };
  });
}

/** Adds the embedding of NCHW `images` to the graph; returns the NCHW feature map's name. */
function embedding(g: OnnxGraph, layers: FoldedConv[], images: string): string {
  let h = images;
  LAYERS.forEach((l, i) => {
    const f = layers[i];
    const w = g.initializer(`${l.name}.weight`, f.weight, f.shape);
    const b = g.initializer(`${l.name}.bias`, f.bias, [f.shape[0]]);
    h = g.op('Conv', [h, w, b], { group: l.groups, strides: [l.stride, l.stride], kernel_shape: [l.kernel, l.kernel] });
    if (l.bn) h = g.op('Relu', [h]);
    if (l.pool) h = g.op('MaxPool', [h], { kernel_shape: [3, 3], strides: [2, 2] });
  });
  return h;
}

/** crops [n, size, size, 3] -> features [n, h, w, c]. */
export function exemplarGraph(layers: FoldedConv[], size: number): Uint8Array {
  const g = new OnnxGraph('siamfc_exemplar');
  const crops = g.input('crops', ['n', size, size, 3]);
  const f = embedding(g, layers, g.op('Transpose', [crops], { perm: [0, 3, 1, 2] }));
  g.output(g.op('Transpose', [f], { perm: [0, 2, 3, 1] }), 'features');
  return g.toBytes();
}

/**
 * crops [n, size, size, 3] and one exemplar's features [1, hz, wz, c] -> responses [n, r, r]:
 * headScale * (z (*) x) + bias, where the exemplar is the convolution's weight.
 */
export function responseGraph(layers: FoldedConv[], size: number, exemplar: number[], w: InferenceWeights): Uint8Array {
  const g = new OnnxGraph('siamfc_response');
  const crops = g.input('crops', ['n', size, size, 3]);
  const z = g.input('exemplar', [1, ...exemplar]);
  const x = embedding(g, layers, g.op('Transpose', [crops], { perm: [0, 3, 1, 2] }));
  const kernel = g.op('Transpose', [z], { perm: [0, 3, 1, 2] });
  const r = g.op('Conv', [x, kernel]);
  const bias = w.tensors.get('head/bias')?.data[0] ?? 0;
  const scaled = g.op('Add', [g.op('Mul', [r, g.constant(w.headScale)]), g.constant(bias)]);
  g.output(g.op('Squeeze', [scaled, g.ints([1])]), 'responses');
  return g.toBytes();
}
