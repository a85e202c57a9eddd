import { OnnxGraph } from '../../../compute/onnx/graph.ts';
import * as d from '../../../compute/onnx/grad/index.ts';
import type { LossName, LossSettings } from '../../../trackers/siamfc/losses.ts';
import { LAYERS, type NetworkConfig } from '../../../trackers/siamfc/network.ts';
import { inferenceShapes } from '../../../trackers/siamfc/model-weights.ts';
import { lossGraph } from './losses.ts';

/**
 * The SiamFC training graphs for ONNX Runtime: the network of src/trackers/siamfc/network.ts with
 * every parameter a graph input in its TensorFlow.js layout (the optimiser changes them every step;
 * the session is built once per batch size); the convolution rule takes kernels in that layout and
 * returns their gradients in it. Crops arrive NHWC, as the batches hold them, and are transposed in
 * the graph.
 */
export interface GraphSpec {
  cfg: NetworkConfig;
  batch: number;
}

/** Every parameter's shape in the tfjs layout, trainable and state, in initParams' order. */
function paramShapes(width: number): Map<string, number[]> {
  return new Map([...inferenceShapes(width), ['bn/updates', []]]);
}

/** Parameters the loss depends on: everything but the moving statistics and the update counter. */
export function trainableNames(width: number): string[] {
  return [...paramShapes(width).keys()].filter((n) => !/^bn\d+\/(mean|variance)$|^bn\/updates$/.test(n));
}

type Mode = { kind: 'train'; sink?: (bn: string, mean: string, variance: string) => void; statsOnly?: boolean } | { kind: 'inference' };

interface Net {
  t: d.Tape;
  /** Value of a parameter in the graph. */
  get: (name: string) => string;
}

function network(t: d.Tape, cfg: NetworkConfig, differentiable: boolean, withStats: boolean): Net {
  const values = new Map<string, string>();
  for (const [name, shape] of paramShapes(cfg.width)) {
    const isStat = /\/(mean|variance)$/.test(name);
    if (name === 'bn/updates' || (isStat && !withStats)) continue;
    const v = differentiable && !isStat ? t.param(name, shape) : t.input(name, shape);
    values.set(name, v);
  }
  return { t, get: (n) => values.get(n) ?? fail(n) };
}

function fail(name: string): never {
  throw new Error(`SiamFC training graph: no parameter ${name}`);
}

/** (x - mean) gamma / sqrt(var + eps) + beta with the moving statistics (no gradient needed). */
function batchNormInference(net: Net, x: string, bn: string, eps: number): string {
  const { t, get } = net;
  const g = t.g;
  const c = t.shape(x)[1];
  const perChannel = (v: string) => g.op('Reshape', [v, g.ints([1, c, 1, 1])]);
  const scale = g.op('Div', [get(`${bn}/gamma`), g.op('Sqrt', [g.op('Add', [get(`${bn}/variance`), g.constant(eps)])])]);
  const y = g.op('Add', [g.op('Mul', [g.op('Sub', [x, perChannel(get(`${bn}/mean`))]), perChannel(scale)]), perChannel(get(`${bn}/beta`))]);
  return t.known(y, t.shape(x));
}

/** Features [N, C, h, w] of NHWC crops [N, s, s, 3]. */
function embedding(net: Net, cfg: NetworkConfig, crops: string, mode: Mode): string {
  const { t, get } = net;
  let h = t.known(t.g.op('Transpose', [crops], { perm: [0, 3, 1, 2] }), ((s) => [s[0], s[3], s[1], s[2]])(t.shape(crops)));
  // The statistics graph needs nothing past the last batch norm.
  const layers = mode.kind === 'train' && mode.statsOnly ? LAYERS.slice(0, LAYERS.map((l) => l.bn).lastIndexOf(true) + 1) : LAYERS;
  layers.forEach((l, i) => {
    h = d.conv(t, h, get(`${l.name}/w`), { stride: l.stride, groups: l.groups });
    if (l.bn) {
      const bn = `bn${i + 1}`;
      if (mode.kind === 'train') {
        const out = d.batchNormTrain(t, h, get(`${bn}/gamma`), get(`${bn}/beta`), cfg.bnEps);
        mode.sink?.(bn, out.mean, out.variance);
        h = out.y;
      } else {
        h = batchNormInference(net, h, bn, cfg.bnEps);
      }
      // relu(maxpool(h)) is maxpool(relu(h)) exactly (max and max(0, .) commute); pooling first
      // puts the ReLU and its mask on a tensor four times smaller.
      h = l.pool ? d.relu(t, d.maxPool(t, h, 3, 2)) : d.relu(t, h);
    } else {
      h = d.biasAdd(t, h, get(`${l.name}/b`));
      if (l.pool) h = d.maxPool(t, h, 3, 2);
    }
  });
  return h;
}

function crops(t: d.Tape, { cfg, batch }: GraphSpec): { z: string; x: string } {
  return { z: t.input('z', [batch, cfg.exemplarSize, cfg.exemplarSize, 3]), x: t.input('x', [batch, cfg.searchSize, cfg.searchSize, 3]) };
}

function response(net: Net, cfg: NetworkConfig, z: string, x: string): string {
  const { t, get } = net;
  return d.add(t, d.scale(t, d.xcorrPairs(t, z, x), cfg.headScale), get('head/bias'));
}

/** Inputs z, x and every trainable parameter; outputs `loss` and `grad:<name>` for each of them. */
export function trainingGraph(spec: GraphSpec, loss: LossName, settings: LossSettings): Uint8Array {
  const t = new d.Tape(new OnnxGraph('siamfc_train', 16));
  const net = network(t, spec.cfg, true, false);
  const { z, x } = crops(t, spec);
  const mode: Mode = { kind: 'train' };
  const l = lossGraph(t, response(net, spec.cfg, embedding(net, spec.cfg, z, mode), embedding(net, spec.cfg, x, mode)), loss, settings);
  t.g.output(l, 'loss');
  const names = trainableNames(spec.cfg.width);
  t.gradients(l, names).forEach((gr, i) => t.g.output(gr, `grad:${names[i]}`));
  return t.g.toBytes();
}

/** Inputs z, x, the trainable parameters and the moving statistics; output `loss` in inference mode. */
export function inferenceLossGraph(spec: GraphSpec, loss: LossName, settings: LossSettings): Uint8Array {
  const t = new d.Tape(new OnnxGraph('siamfc_loss', 16));
  const net = network(t, spec.cfg, false, true);
  const { z, x } = crops(t, spec);
  const mode: Mode = { kind: 'inference' };
  t.g.output(
    lossGraph(t, response(net, spec.cfg, embedding(net, spec.cfg, z, mode), embedding(net, spec.cfg, x, mode)), loss, settings),
    'loss',
  );
  return t.g.toBytes();
}

/** Inputs z, x and the trainable parameters; outputs `z:bn1/mean`, `z:bn1/variance`, `x:bn1/mean`, ... */
export function batchStatsGraph(spec: GraphSpec): Uint8Array {
  const t = new d.Tape(new OnnxGraph('siamfc_batch_stats', 16));
  const net = network(t, spec.cfg, false, false);
  const images = crops(t, spec);
  for (const branch of ['z', 'x'] as const) {
    embedding(net, spec.cfg, images[branch], {
      kind: 'train',
      statsOnly: true,
      sink: (bn, mean, variance) => {
        t.g.output(mean, `${branch}:${bn}/mean`);
        t.g.output(variance, `${branch}:${bn}/variance`);
      },
    });
  }
  return t.g.toBytes();
}
