import { Builder } from 'flatbuffers';

/**
 * Writes small TFLite flatbuffers for the importer's tests with the flatbuffers Builder and the
 * field ids of TFLite's public schema (the same ids the reader uses, so this checks the reader
 * against hand-written values, not against the real files it was tried on). Tensor contents are
 * given per tensor; every tensor with data gets its own buffer.
 */
export interface TensorSpec {
  name: string;
  shape: number[];
  type: 'float32' | 'int32' | 'uint8' | 'int8';
  data?: Uint8Array;
  scale?: number[];
  zeroPoint?: number[];
}

export type Options =
  | { kind: 'conv'; stride: number; relu: boolean; padding?: 'SAME' | 'VALID' }
  | { kind: 'pool'; size: number; stride: number }
  | { kind: 'split'; n: number }
  | { kind: 'concat'; axis: number };

export interface OpSpec {
  op: 'QUANTIZE' | 'RESHAPE' | 'CONV_2D' | 'MAX_POOL_2D' | 'SPLIT' | 'CONCATENATION' | 'MUL' | 'ADD';
  inputs: number[];
  outputs: number[];
  options?: Options;
}

export interface GraphSpec {
  tensors: TensorSpec[];
  ops: OpSpec[];
  inputs: number[];
  outputs: number[];
}

const CODES = { ADD: 0, CONCATENATION: 2, CONV_2D: 3, MAX_POOL_2D: 17, MUL: 18, RESHAPE: 22, SPLIT: 49, QUANTIZE: 114 } as const;
const TYPES = { float32: 0, int32: 2, uint8: 3, int8: 9 } as const;
// BuiltinOptions union tags of the schema.
const OPTION_TAGS = { conv: 1, pool: 5, concat: 10, split: 35 } as const;

export function buildTflite(spec: GraphSpec): Uint8Array {
  const b = new Builder(1 << 20);
  const ints = (v: number[]) => {
    b.startVector(4, v.length, 4);
    for (let i = v.length - 1; i >= 0; i--) b.addInt32(v[i]);
    return b.endVector();
  };
  const offsets = (v: number[]) => {
    b.startVector(4, v.length, 4);
    for (let i = v.length - 1; i >= 0; i--) b.addOffset(v[i]);
    return b.endVector();
  };

  // Buffer 0 is the empty buffer activations point at, by TFLite's convention.
  const bufferData = [undefined, ...spec.tensors.filter((t) => t.data).map((t) => t.data)];
  const buffers = bufferData.map((d) => {
    const data = d ? b.createByteVector(d) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, data, 0);
    return b.endObject();
  });
  let nextBuffer = 1;
  const tensors = spec.tensors.map((t) => {
    const name = b.createString(t.name);
    const shape = ints(t.shape);
    let quant = 0;
    if (t.scale) {
      b.startVector(4, t.scale.length, 4);
      for (let i = t.scale.length - 1; i >= 0; i--) b.addFloat32(t.scale[i]);
      const scale = b.endVector();
      const zp = t.zeroPoint ?? t.scale.map(() => 0);
      b.startVector(8, zp.length, 8);
      for (let i = zp.length - 1; i >= 0; i--) b.addInt64(BigInt(zp[i]));
      const zero = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zero, 0);
      quant = b.endObject();
    }
    b.startObject(5);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, TYPES[t.type], 0);
    b.addFieldInt32(2, t.data ? nextBuffer++ : 0, 0);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });
  const used = [...new Set(spec.ops.map((o) => o.op))];
  const opcodes = used.map((op) => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(127, CODES[op]), 0);
    b.addFieldInt32(3, CODES[op], 0);
    return b.endObject();
  });
  const operators = spec.ops.map((o) => {
    const inputs = ints(o.inputs);
    const outputs = ints(o.outputs);
    let options = 0;
    const opt = o.options;
    if (opt?.kind === 'conv') {
      b.startObject(6);
      b.addFieldInt8(0, opt.padding === 'SAME' ? 0 : 1, 0);
      b.addFieldInt32(1, opt.stride, 0);
      b.addFieldInt32(2, opt.stride, 0);
      b.addFieldInt8(3, opt.relu ? 1 : 0, 0);
      options = b.endObject();
    } else if (opt?.kind === 'pool') {
      b.startObject(6);
      b.addFieldInt8(0, 1, 0);
      b.addFieldInt32(1, opt.stride, 0);
      b.addFieldInt32(2, opt.stride, 0);
      b.addFieldInt32(3, opt.size, 0);
      b.addFieldInt32(4, opt.size, 0);
      options = b.endObject();
    } else if (opt?.kind === 'split') {
      b.startObject(1);
      b.addFieldInt32(0, opt.n, 0);
      options = b.endObject();
    } else if (opt?.kind === 'concat') {
      b.startObject(2);
      b.addFieldInt32(0, opt.axis, 0);
      options = b.endObject();
    }
    b.startObject(5);
    b.addFieldInt32(0, used.indexOf(o.op), 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (opt) {
      b.addFieldInt8(3, OPTION_TAGS[opt.kind], 0);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });
  const tensorVec = offsets(tensors);
  const inputs = ints(spec.inputs);
  const outputs = ints(spec.outputs);
  const opVec = offsets(operators);
  b.startObject(5);
  b.addFieldOffset(0, tensorVec, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, opVec, 0);
  const subgraph = b.endObject();
  const subgraphs = offsets([subgraph]);
  const opcodeVec = offsets(opcodes);
  const bufferVec = offsets(buffers);
  b.startObject(5);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, opcodeVec, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, bufferVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

/** Little-endian bytes of values of a type. */
export function bytesOf(type: 'int8' | 'int32' | 'float32', values: ArrayLike<number>): Uint8Array {
  const a = type === 'int8' ? Int8Array.from(values) : type === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return new Uint8Array(a.buffer);
}
