import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.ts';
import { saveFoldedModel } from './model-file.ts';
import { LAYERS, type NetworkConfig, layerChannels } from './network.ts';
import { type TfliteGraph, type TfliteOperator, type TfliteTensor, parseTflite, tensorValues } from './tflite-file.ts';

/**
 * Imports SiamFC from TFLite flatbuffers (the SiamFC-TensorFlow port's export of the original
 * SiamFC-3s): the embedding graphs hold conv1..conv5 with batch norm folded in, int8 per output
 * channel, in OHWI; the optional cross-correlation graph holds the head's scale and bias. The
 * result is a folded model folder (model-file.ts) that both engines load.
 */

/** The original's "adjust" layer, used when no cross-correlation graph is given (shared README, track_config). */
const DOCUMENTED_HEAD = { scale: 0.001, bias: -2.14836 } as const;

/** Tensors by model name; `step` is each output channel's quantisation step (the last axis). */
type Arrays = Map<string, { shape: number[]; data: Float32Array; step?: Float32Array }>;

interface Source {
  file: string;
  sha256: string;
  role: 'embedding' | 'head';
  inputs?: string;
}

export interface ImportSummary {
  out: string;
  sources: Source[];
  head: { scale: number; bias: number; from: string };
  /** Largest difference between the embedding files' dequantised tensors, in quantisation steps (0: identical). */
  embeddingSpread: number;
}

// Operators that carry a value on unchanged (up to requantisation), which the layer tracing skips.
const PASS_THROUGH = new Set(['QUANTIZE', 'DEQUANTIZE', 'RESHAPE']);

class Graph {
  private readonly producer = new Map<number, TfliteOperator>();

  constructor(readonly g: TfliteGraph) {
    for (const op of g.operators) for (const t of op.outputs) this.producer.set(t, op);
  }

  get file(): string {
    return this.g.file;
  }

  tensor(i: number): TfliteTensor {
    return this.g.tensors[i];
  }

  /** The tensor a value was computed as, past requantisations and reshapes, and the operator that did. */
  origin(t: number): { tensor: number; op?: TfliteOperator } {
    let op = this.producer.get(t);
    while (op && PASS_THROUGH.has(op.op)) {
      t = op.inputs.find((i) => i >= 0 && !this.tensor(i).data) ?? op.inputs[0];
      op = this.producer.get(t);
    }
    return { tensor: t, op };
  }

  consumers(t: number): TfliteOperator[] {
    return this.g.operators.filter((op) => op.inputs.includes(t));
  }
}

function fail(file: string, what: string): never {
  throw new UserError(`${file}: ${what}`);
}

/** One SiamFC layer as the graph has it: its convolutions, one per group, in group order. */
interface GraphLayer {
  convs: TfliteOperator[];
  split?: TfliteOperator;
}

function graphLayers(g: Graph): GraphLayer[] {
  const layers: GraphLayer[] = [];
  const bySplit = new Map<TfliteOperator, GraphLayer>();
  for (const conv of g.g.operators.filter((op) => op.op === 'CONV_2D')) {
    const { tensor, op } = g.origin(conv.inputs[0]);
    if (op?.op !== 'SPLIT') {
      layers.push({ convs: [conv] });
      continue;
    }
    let layer = bySplit.get(op);
    if (!layer) {
      layer = { convs: [], split: op };
      bySplit.set(op, layer);
      layers.push(layer);
    }
    layer.convs[op.outputs.indexOf(tensor)] = conv;
  }
  return layers;
}

function axisOf(g: Graph, split: TfliteOperator): number {
  const dim = g.tensor(split.inputs[0]);
  return dim.data ? tensorValues(dim, g.file)[0] : NaN;
}

/** Input scale of a convolution: what its int32 bias is quantised against, with the weight scale. */
function inputScale(g: Graph, conv: TfliteOperator): number | undefined {
  const q = g.tensor(conv.inputs[0]).quantization;
  return q ? q.scale[0] : undefined;
}

/**
 * Dequantised kernel in tfjs layout [kh, kw, cin/groups, cout] and bias [cout] of one layer, the
 * groups' output channels side by side in group order (what a grouped convolution expects).
 */
interface LayerValues {
  w: Float32Array;
  b: Float32Array;
  shape: number[];
  /** Quantisation step of each output channel's kernel and bias (0 for float tensors). */
  wStep: Float32Array;
  bStep: Float32Array;
}

function dequantiseLayer(g: Graph, layer: GraphLayer, name: string): LayerValues {
  const weights = layer.convs.map((c) => g.tensor(c.inputs[1]));
  const [perGroup, kh, kw, cin] = weights[0].shape;
  const cout = perGroup * layer.convs.length;
  const w = new Float32Array(kh * kw * cin * cout);
  const b = new Float32Array(cout);
  const wStep = new Float32Array(cout);
  const bStep = new Float32Array(cout);
  layer.convs.forEach((conv, group) => {
    const wt = weights[group];
    if (wt.shape.join() !== weights[0].shape.join())
      fail(g.file, `${name}: its groups' kernels differ in shape ([${wt.shape}] vs [${weights[0].shape}])`);
    const q = tensorValues(wt, g.file);
    const wq = wt.quantization;
    if (wt.type !== 'float32' && !wq) fail(g.file, `${name}: ${wt.type} kernel '${wt.name}' without quantisation scales`);
    if (wq && wq.scale.length > 1 && (wq.scale.length !== perGroup || wq.dimension !== 0)) {
      fail(
        g.file,
        `${name}: kernel '${wt.name}' has ${wq.scale.length} scales along axis ${wq.dimension}, expected one per output channel (axis 0)`,
      );
    }
    const wScale = (o: number) => (wt.type === 'float32' ? 1 : wq!.scale[wq!.scale.length > 1 ? o : 0]);
    const wZero = (o: number) => (wt.type === 'float32' ? 0 : (wq!.zeroPoint[wq!.zeroPoint.length > 1 ? o : 0] ?? 0));
    for (let o = 0; o < perGroup; o++) {
      const s = wScale(o);
      const z = wZero(o);
      if (wt.type !== 'float32') wStep[group * perGroup + o] = s;
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          for (let i = 0; i < cin; i++)
            w[((y * kw + x) * cin + i) * cout + group * perGroup + o] = s * (q[((o * kh + y) * kw + x) * cin + i] - z);
        }
      }
    }
    if (conv.inputs.length < 3 || conv.inputs[2] < 0)
      fail(g.file, `${name}: convolution has no bias tensor (batch norm folded in leaves one per layer)`);
    const bt = g.tensor(conv.inputs[2]);
    const bv = tensorValues(bt, g.file);
    if (bv.length !== perGroup) fail(g.file, `${name}: bias '${bt.name}' has ${bv.length} values for ${perGroup} output channels`);
    const xs = inputScale(g, conv);
    for (let o = 0; o < perGroup; o++) {
      let s = 1;
      if (bt.type === 'int32') {
        // TFLite quantises biases against weight scale x input scale; the tensor usually says so itself.
        const own = bt.quantization?.scale[bt.quantization.scale.length > 1 ? o : 0];
        const implied = xs !== undefined && wt.type !== 'float32' ? wScale(o) * xs : undefined;
        if (own === undefined && implied === undefined) fail(g.file, `${name}: int32 bias '${bt.name}' without a scale`);
        if (own !== undefined && implied !== undefined && Math.abs(own - implied) > 1e-4 * implied) {
          fail(g.file, `${name}: bias '${bt.name}' scale ${own} is not weight scale x input scale (${implied})`);
        }
        s = own ?? implied!;
        bStep[group * perGroup + o] = s;
      } else if (bt.type !== 'float32') {
        fail(g.file, `${name}: bias '${bt.name}' is ${bt.type}, expected int32 or float32`);
      }
      b[group * perGroup + o] = s * (bv[o] - (bt.type === 'int32' ? (bt.quantization?.zeroPoint[0] ?? 0) : 0));
    }
  });
  return { w, b, shape: [kh, kw, cin, cout], wStep, bStep };
}

/** Checks the graph is SiamFC's AlexNet at full width and returns its folded layers. */
function embeddingWeights(g: Graph): Arrays {
  const layers = graphLayers(g);
  const channels = layerChannels(1);
  if (layers.length !== LAYERS.length) {
    fail(g.file, `${layers.length} convolution layers, expected SiamFC's ${LAYERS.length} (conv1..conv5): another architecture`);
  }
  const out: Arrays = new Map();
  let cinTotal = 3;
  LAYERS.forEach((l, i) => {
    const layer = layers[i];
    const n = layer.convs.length;
    if (n !== l.groups || layer.convs.some((c) => !c))
      fail(g.file, `${l.name} is in ${n} group(s), expected ${l.groups}: another architecture`);
    if (layer.split && ![3, -1].includes(axisOf(g, layer.split))) fail(g.file, `${l.name}: its SPLIT is not along the channels`);
    for (const c of layer.convs) {
      const w = g.tensor(c.inputs[1]);
      if (!w.data) fail(g.file, `${l.name}: kernel '${w.name}' is not a constant (missing weights)`);
      const [, kh, kw, cin] = w.shape;
      const o = c.options;
      const act = l.bn ? 'RELU' : 'NONE';
      if (
        w.shape.length !== 4 ||
        kh !== l.kernel ||
        kw !== l.kernel ||
        cin * n !== cinTotal ||
        o.strideW !== l.stride ||
        o.strideH !== l.stride ||
        o.padding !== 'VALID' ||
        o.dilationW !== 1 ||
        o.dilationH !== 1 ||
        o.activation !== act
      ) {
        fail(
          g.file,
          `${l.name}: kernel [${w.shape}] stride ${o.strideW} ${o.padding} ${o.activation}, expected ${l.kernel}x${l.kernel} over ${cinTotal / n} channels, stride ${l.stride}, VALID, ${act}: another architecture`,
        );
      }
    }
    if (n > 1) {
      // The groups' outputs must be joined in split order, or the channel order is not a grouped convolution's.
      const outs = layer.convs.map((c) => c.outputs[0]);
      const concat = g.g.operators.find(
        (op) => op.op === 'CONCATENATION' && op.inputs.map((t) => g.origin(t).tensor).join() === outs.join(),
      );
      if (!concat || ![3, -1].includes(concat.options.axis!))
        fail(g.file, `${l.name}: its groups are not concatenated along the channels in split order`);
    }
    const { w, b, shape, wStep, bStep } = dequantiseLayer(g, layer, l.name);
    if (shape[3] !== channels[i])
      fail(g.file, `${l.name} has ${shape[3]} output channels, expected ${channels[i]} (SiamFC's full-width AlexNet)`);
    out.set(`${l.name}/w`, { shape, data: w, step: wStep });
    out.set(`${l.name}/b`, { shape: [shape[3]], data: b, step: bStep });
    // The next layer reads a 3x3/2 max pool of this one exactly where SiamFC pools.
    const next = layers[i + 1];
    if (next) {
      const input = next.split ? next.split.inputs[1] : next.convs[0].inputs[0];
      const { op } = g.origin(input);
      const pooled =
        op?.op === 'MAX_POOL_2D' &&
        op.options.filterW === 3 &&
        op.options.filterH === 3 &&
        op.options.strideW === 2 &&
        op.options.strideH === 2 &&
        op.options.padding === 'VALID';
      if (pooled !== l.pool) fail(g.file, `${l.name} is ${l.pool ? 'not ' : ''}followed by a 3x3/2 max pool: another architecture`);
    }
    cinTotal = shape[3];
  });
  return out;
}

/**
 * The graph's pixels must be the raw 0..255 values the engines feed: a quantised input with
 * scale 1 (zero point 0 for uint8, -128 for int8), or float.
 */
function checkInput(g: Graph): string {
  const t = g.tensor(g.g.inputs[0]);
  const q = t.quantization;
  if (!q) return `${t.type} [${t.shape}]`;
  const zero = q.zeroPoint[0] ?? 0;
  if (Math.abs(q.scale[0] - 1) > 1e-6 || zero !== (t.type === 'int8' ? -128 : 0)) {
    fail(
      g.file,
      `input '${t.name}' is quantised with scale ${q.scale[0]} and zero point ${zero}; the engines feed raw 0..255 pixels (scale 1)`,
    );
  }
  return `${t.type} [${t.shape}], scale 1, zero point ${zero} (raw 0..255 pixels)`;
}

/** response = scale * xcorr + bias: the cross-correlation followed by constant MUL / ADD / SUB. */
function headOf(g: Graph): { scale: number; bias: number } {
  const conv = g.g.operators.find((op) => op.op === 'CONV_2D')!;
  const scalar = (i: number) => {
    const t = g.tensor(i);
    const v = t.data ? tensorValues(t, g.file) : undefined;
    return v && v.length === 1 ? v[0] : undefined;
  };
  let scale = 1;
  let bias = conv.inputs[2] >= 0 ? (scalar(conv.inputs[2]) ?? fail(g.file, 'cross-correlation bias is not one constant')) : 0;
  let cur = conv.outputs[0];
  for (;;) {
    const next = g.consumers(cur);
    if (next.length === 0) break;
    const op = next[0];
    if (next.length > 1 || !['MUL', 'ADD', 'SUB'].includes(op.op))
      fail(g.file, `the cross-correlation is followed by ${next.map((o) => o.op).join(', ')}, expected a constant MUL and ADD`);
    const other = op.inputs.find((i) => i !== cur)!;
    const k = scalar(other) ?? fail(g.file, `${op.op} after the cross-correlation is not by one constant`);
    if (op.op === 'MUL') [scale, bias] = [scale * k, bias * k];
    else if (op.op === 'ADD') bias += k;
    else if (op.inputs[0] === cur) bias -= k;
    else [scale, bias] = [-scale, k - bias];
    cur = op.outputs[0];
  }
  return { scale: shortestFloat32(scale), bias: shortestFloat32(bias) };
}

/** The shortest decimal that is the same float32: the head's constants as the file meant them (0.001, not 0.0010000000474974513). */
function shortestFloat32(x: number): number {
  for (let p = 1; p < 9; p++) {
    const v = Number(x.toPrecision(p));
    if (Math.fround(v) === Math.fround(x)) return v;
  }
  return x;
}

function isHead(g: Graph): boolean {
  const convs = g.g.operators.filter((op) => op.op === 'CONV_2D');
  return convs.length === 1 && !g.tensor(convs[0].inputs[1]).data;
}

async function tfliteFiles(input: string): Promise<string[]> {
  const path = resolve(input);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new UserError(`--tflite: no such file or folder: ${input}`);
  }
  if (!isDir) return [path];
  const files = (await readdir(path))
    .filter((f) => f.endsWith('.tflite'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UserError(`--tflite: ${input} holds no .tflite file`);
  return files;
}

/** Reads the TFLite files (a file or every .tflite of a folder) and writes a folded SiamFC model folder. */
export async function importTflite(input: string, out: string): Promise<ImportSummary> {
  const sources: Source[] = [];
  const embeddings: { file: string; arrays: Arrays }[] = [];
  let head: ImportSummary['head'] | undefined;
  for (const file of await tfliteFiles(input)) {
    const bytes = await readFile(file);
    const g = new Graph(parseTflite(bytes, file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (isHead(g)) {
      if (head) fail(file, `a second cross-correlation graph (the first was ${head.from})`);
      head = { ...headOf(g), from: basename(file) };
      sources.push({ file: basename(file), sha256, role: 'head' });
    } else if (g.g.operators.some((op) => op.op === 'CONV_2D')) {
      const inputs = checkInput(g);
      embeddings.push({ file, arrays: embeddingWeights(g) });
      sources.push({ file: basename(file), sha256, role: 'embedding', inputs });
    } else {
      fail(
        file,
        `no convolution: neither a SiamFC embedding nor its cross-correlation head (operators: ${[...new Set(g.g.operators.map((o) => o.op))].join(', ')})`,
      );
    }
  }
  if (embeddings.length === 0) throw new UserError(`--tflite: ${input} holds no SiamFC embedding graph (only the cross-correlation head)`);
  // The exemplar and search graphs are exported from one network with the same int8 weights; their
  // int32 biases differ, as each graph quantises them against its own activation scales, but by
  // at most half a step of each. More than that means files of two networks.
  const [first, ...rest] = embeddings;
  let spread = 0;
  for (const e of rest) {
    for (const [name, a] of first.arrays) {
      const b = e.arrays.get(name)!;
      const channels = a.shape.at(-1)!;
      for (let i = 0; i < a.data.length; i++) {
        const d = Math.abs(a.data[i] - b.data[i]);
        const c = i % channels;
        const step = (a.step![c] + b.step![c]) / 2;
        spread = Math.max(spread, step > 0 ? d / step : d > 0 ? Infinity : 0);
        if (d > step + 1e-6 * Math.abs(a.data[i]))
          fail(
            e.file,
            `${name} differs from ${basename(first.file)} by more than the quantisation (${b.data[i]} vs ${a.data[i]} at ${i}): files of two different networks`,
          );
      }
    }
  }
  const h = head ?? { ...DOCUMENTED_HEAD, from: 'documented values (no cross-correlation graph given)' };
  const params: Arrays = new Map([...first.arrays].map(([name, a]) => [name, { shape: a.shape, data: a.data }]));
  params.set('head/bias', { shape: [], data: Float32Array.of(h.bias) });
  const cfg: NetworkConfig = { width: 1, exemplarSize: 127, searchSize: 255, headScale: h.scale, bnEps: 1e-6, bnMomentum: 0.05 };
  await saveFoldedModel(out, params, cfg, {
    trained: true,
    origin: 'SiamFC-3s imported from TFLite flatbuffers (batch norm folded into the convolutions)',
    sources,
    quantisation: {
      weights: 'int8, per output channel (OHWI, axis 0), zero point 0; dequantised as w = scale * q',
      biases: 'int32, per channel, scale = weight scale x input scale; dequantised as b = scale * q',
      activations: 'int8 between layers in the TFLite graph; the imported network computes in float32',
    },
    weightsFrom: basename(first.file),
    embeddingFilesAgreeTo: spread,
    head: h,
  });
  return { out: resolve(out), sources, head: h, embeddingSpread: spread };
}
