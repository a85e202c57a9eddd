import proto from 'onnx-proto';

/**
 * Builds ONNX models in TypeScript on onnx-proto's generated protobuf classes (ONNX 1.10, IR 8),
 * so that the graphs the engines run come from the model's parameters at run time rather than from
 * an exported file. Names are plain strings; every helper returns the name of what it produced, so
 * graphs read like the maths: `g.op('Relu', [g.op('Conv', [x, w])])`.
 */
const { onnx } = proto;

const OPSET = 15;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** A float attribute whose value happens to be integral (1.0 would otherwise become an INT). */
export interface FloatAttr {
  float: number;
}
export const float = (v: number): FloatAttr => ({ float: v });

export type AttrValue = number | number[] | string | FloatAttr;
export type Attrs = Record<string, AttrValue>;
/** A dimension: a size, or a symbolic name for sizes that vary between runs (the batch). */
export type Dim = number | string;

function attribute(name: string, v: AttrValue): proto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (typeof v === 'object') return { name, type: T.FLOAT, f: v.float };
  return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
}

function valueInfo(name: string, shape: Dim[], elemType: number = FLOAT): proto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export class OnnxGraph {
  private readonly nodes: proto.onnx.INodeProto[] = [];
  private readonly inits: proto.onnx.ITensorProto[] = [];
  private readonly inputs: proto.onnx.IValueInfoProto[] = [];
  private readonly outputs: proto.onnx.IValueInfoProto[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** `opset` above the default for graphs that need newer operators (ScatterElements' reduction is 16). */
  constructor(
    readonly name: string,
    readonly opset: number = OPSET,
  ) {}

  /** A name no other value in this graph has. */
  fresh(prefix: string): string {
    return `${prefix}_${++this.counter}`;
  }

  input(name: string, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, shape));
    return name;
  }

  /** Marks `value` as a graph output named `name` (an Identity when the names differ). */
  output(value: string, name = value, shape?: Dim[]): string {
    if (value !== name) this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: this.fresh('out') });
    this.outputs.push(shape ? valueInfo(name, shape) : { name });
    return name;
  }

  /** A float32 tensor stored in the model (weights, folded constants). */
  initializer(name: string, data: Float32Array | readonly number[], shape: number[]): string {
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`ONNX initializer ${name}: ${data.length} values for shape [${shape}]`);
    const raw = data instanceof Float32Array ? data : Float32Array.from(data);
    this.inits.push({
      name,
      dims: shape,
      dataType: FLOAT,
      rawData: new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)),
    });
    return name;
  }

  /** An int64 tensor (shapes, axes, indices); identical values share one initializer. */
  ints(values: readonly number[], shape: number[] = [values.length]): string {
    const key = `i:${shape}:${values}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh('ints');
    this.inits.push({ name, dims: shape, dataType: INT64, int64Data: [...values] });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 constant; a number is a scalar. Identical constants share one initializer. */
  constant(values: number | readonly number[], shape?: number[]): string {
    const list = typeof values === 'number' ? [values] : values;
    const dims = shape ?? (typeof values === 'number' ? [] : [list.length]);
    const key = `f:${dims}:${list}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.initializer(this.fresh('const'), list, dims);
    this.constants.set(key, name);
    return name;
  }

  /** A node with several outputs; returns their names. An empty input name skips an optional input. */
  node(opType: string, inputs: string[], attrs: Attrs = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      input: inputs,
      output: names,
      name: this.fresh(`n_${opType}`),
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return names;
  }

  /** A node with one output. */
  op(opType: string, inputs: string[], attrs: Attrs = {}): string {
    return this.node(opType, inputs, attrs, 1)[0];
  }

  /** The serialised model, ready for an InferenceSession. */
  toBytes(): Uint8Array {
    const graph: proto.onnx.IGraphProto = {
      name: this.name,
      node: this.nodes,
      initializer: this.inits,
      input: this.inputs,
      output: this.outputs,
    };
    const model: proto.onnx.IModelProto = {
      irVersion: 8,
      producerName: 'siambench',
      opsetImport: [{ domain: '', version: this.opset }],
      graph,
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }

  get nodeCount(): number {
    return this.nodes.length;
  }
}
