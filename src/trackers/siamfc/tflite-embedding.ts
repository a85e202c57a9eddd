import { LAYERS, layerChannels } from './network.ts';
import { type TfliteOperator, tensorValues } from './tflite-file.ts';
import { type Arrays, fail, type Graph } from './tflite-graph.ts';

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

/**
 * Each group's kernel as SiamFC's layer has it: size, input channels, stride, VALID padding, no
 * dilation, ReLU fused where batch norm was; then the groups joined back in split order.
 */
function checkConvolutions(g: Graph, layer: GraphLayer, l: (typeof LAYERS)[number], cinTotal: number): void {
  const n = layer.convs.length;
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
    const concat = g.g.operators.find((op) => op.op === 'CONCATENATION' && op.inputs.map((t) => g.origin(t).tensor).join() === outs.join());
    if (!concat || ![3, -1].includes(concat.options.axis!))
      fail(g.file, `${l.name}: its groups are not concatenated along the channels in split order`);
  }
}

function checkPool(g: Graph, l: (typeof LAYERS)[number], next: GraphLayer | undefined): void {
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
}

/** Checks the graph is SiamFC's AlexNet at full width and returns its folded layers. */
export function embeddingWeights(g: Graph): Arrays {
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
    checkConvolutions(g, layer, l, cinTotal);
    const { w, b, shape, wStep, bStep } = dequantiseLayer(g, layer, l.name);
    if (shape[3] !== channels[i])
      fail(g.file, `${l.name} has ${shape[3]} output channels, expected ${channels[i]} (SiamFC's full-width AlexNet)`);
    out.set(`${l.name}/w`, { shape, data: w, step: wStep });
    out.set(`${l.name}/b`, { shape: [shape[3]], data: b, step: bStep });
    // The next layer reads a 3x3/2 max pool of this one exactly where SiamFC pools.
    checkPool(g, l, layers[i + 1]);
    cinTotal = shape[3];
  });
  return out;
}

/**
 * The graph's pixels must be the raw 0..255 values the engines feed: a quantised input with
 * scale 1 (zero point 0 for uint8, -128 for int8), or float.
 */
export function checkInput(g: Graph): string {
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
