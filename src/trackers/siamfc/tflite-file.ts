import { ByteBuffer } from 'flatbuffers';
import { UserError } from '../../core/errors.ts';
import { check, Malformed, Table } from './flatbuffer-table.ts';

/**
 * Reading TensorFlow Lite flatbuffers: the first subgraph's tensors (shape, type, quantisation,
 * constant data) and operators (builtin code, inputs, outputs, the options SiamFC's layers use).
 *
 * No maintained npm package ships TypeScript accessors generated from TFLite's schema.fbs
 * (@tensorflow/tfjs-tflite and @litertjs/core run models but expose no schema), so this reads the
 * tables through the flatbuffers package's ByteBuffer with the field ids of the public schema
 * (tensorflow/lite/schema/schema.fbs; slot = 4 + 2 * id, a union taking two ids). Only the fields
 * below are read; every offset is bounds-checked, since a wrong file must fail with a message
 * rather than read zeros past the end.
 */
const MODEL = { operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;
const OPERATOR_CODE = { deprecatedBuiltinCode: 0, builtinCode: 3 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3 } as const;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 } as const;
const QUANTIZATION = { scale: 2, zeroPoint: 3, quantizedDimension: 6 } as const;
const BUFFER = { data: 0, offset: 1, size: 2 } as const;
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptions: 4 } as const;

/** The builtin operators a SiamFC graph uses, by their schema codes; others keep their number. */
const BUILTIN: Record<number, string> = {
  0: 'ADD',
  2: 'CONCATENATION',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  17: 'MAX_POOL_2D',
  18: 'MUL',
  19: 'RELU',
  22: 'RESHAPE',
  39: 'TRANSPOSE',
  41: 'SUB',
  49: 'SPLIT',
  114: 'QUANTIZE',
};

/** TensorType codes of the schema. */
const TENSOR_TYPE: Record<number, string> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  5: 'string',
  6: 'bool',
  7: 'int16',
  9: 'int8',
};

export interface Quantization {
  scale: Float32Array;
  zeroPoint: number[];
  /** The axis the per-channel scales run along. */
  dimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: string;
  quantization?: Quantization;
  /** Constant contents (weights, biases), absent for activations. */
  data?: Uint8Array;
}

/** Conv2DOptions / Pool2DOptions / SplitOptions / ConcatenationOptions fields, with the schema's defaults. */
export interface OperatorOptions {
  padding?: 'SAME' | 'VALID';
  strideW?: number;
  strideH?: number;
  filterW?: number;
  filterH?: number;
  dilationW?: number;
  dilationH?: number;
  activation?: 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
  numSplits?: number;
  axis?: number;
}

export interface TfliteOperator {
  op: string;
  inputs: number[];
  outputs: number[];
  options: OperatorOptions;
}

export interface TfliteGraph {
  file: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

const PADDING = ['SAME', 'VALID'] as const;
const ACTIVATION = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;

function options(op: string, t: Table | undefined): OperatorOptions {
  if (!t) return {};
  if (op === 'CONV_2D') {
    return {
      padding: PADDING[t.int(0, 1)],
      strideW: t.int(1, 4),
      strideH: t.int(2, 4),
      activation: ACTIVATION[t.int(3, 1)],
      dilationW: t.int(4, 4, 1),
      dilationH: t.int(5, 4, 1),
    };
  }
  if (op === 'MAX_POOL_2D') {
    return {
      padding: PADDING[t.int(0, 1)],
      strideW: t.int(1, 4),
      strideH: t.int(2, 4),
      filterW: t.int(3, 4),
      filterH: t.int(4, 4),
      activation: ACTIVATION[t.int(5, 1)],
    };
  }
  if (op === 'SPLIT') return { numSplits: t.int(0, 4) };
  if (op === 'CONCATENATION') return { axis: t.int(0, 4), activation: ACTIVATION[t.int(1, 1)] };
  if (op === 'ADD' || op === 'MUL') return { activation: ACTIVATION[t.int(0, 1)] };
  return {};
}

function readGraph(bytes: Uint8Array, file: string): TfliteGraph {
  const bb = new ByteBuffer(bytes);
  check(bb, 0, 8);
  const model = new Table(bb, bb.readUint32(0));
  const opcodes = model.tables(MODEL.operatorCodes).map((c) => {
    // Codes above 127 live only in builtin_code; older files fill only the deprecated byte.
    const code = Math.max(c.int(OPERATOR_CODE.deprecatedBuiltinCode, 1), c.int(OPERATOR_CODE.builtinCode, 4));
    return BUILTIN[code] ?? `builtin ${code}`;
  });
  const buffers = model.tables(MODEL.buffers).map((b): Uint8Array | undefined => {
    const [start, length] = b.vector(BUFFER.data, 1);
    if (length > 0) return bytes.subarray(start, start + length);
    // Files over 2 GB keep data after the flatbuffer, addressed from the file's start.
    const offset = b.uint64(BUFFER.offset);
    const size = b.uint64(BUFFER.size);
    if (offset > 1 && size > 0) {
      check(bb, offset, size);
      return bytes.subarray(offset, offset + size);
    }
    return undefined;
  });
  const subgraphs = model.tables(MODEL.subgraphs);
  if (subgraphs.length === 0) throw new Malformed('no subgraph');
  const g = subgraphs[0];
  const tensors = g.tables(SUBGRAPH.tensors).map((t, index): TfliteTensor => {
    const q = t.table(TENSOR.quantization);
    const scale = q?.floats(QUANTIZATION.scale);
    const buffer = t.int(TENSOR.buffer, 4);
    if (buffer < 0 || buffer >= Math.max(1, buffers.length))
      throw new Malformed(`tensor ${index} names buffer ${buffer} of ${buffers.length}`);
    return {
      index,
      name: t.string(TENSOR.name),
      shape: t.ints(TENSOR.shape),
      type: TENSOR_TYPE[t.int(TENSOR.type, 1)] ?? `type ${t.int(TENSOR.type, 1)}`,
      quantization:
        scale && scale.length > 0
          ? { scale, zeroPoint: q!.int64s(QUANTIZATION.zeroPoint), dimension: q!.int(QUANTIZATION.quantizedDimension, 4) }
          : undefined,
      data: buffers[buffer],
    };
  });
  const known = (i: number) => {
    if (i < -1 || i >= tensors.length) throw new Malformed(`operator names tensor ${i} of ${tensors.length}`);
    return i;
  };
  const operators = g.tables(SUBGRAPH.operators).map((o): TfliteOperator => {
    const code = o.int(OPERATOR.opcodeIndex, 4);
    if (code < 0 || code >= opcodes.length) throw new Malformed(`operator code ${code} of ${opcodes.length}`);
    const op = opcodes[code];
    return {
      op,
      inputs: o.ints(OPERATOR.inputs).map(known),
      outputs: o.ints(OPERATOR.outputs).map(known),
      options: options(op, o.table(OPERATOR.builtinOptions)),
    };
  });
  return { file, tensors, operators, inputs: g.ints(SUBGRAPH.inputs).map(known), outputs: g.ints(SUBGRAPH.outputs).map(known) };
}

/** Parses a TFLite file's bytes; anything that is not a readable TFLite model is a UserError naming the file. */
export function parseTflite(bytes: Uint8Array, file: string): TfliteGraph {
  // "TFL3" is the schema's file_identifier; a flatbuffer without it is some other format.
  const ident = bytes.length >= 8 ? new TextDecoder().decode(bytes.subarray(4, 8)) : '';
  if (ident !== 'TFL3') throw new UserError(`${file}: not a TFLite flatbuffer (no TFL3 identifier at byte 4)`);
  try {
    return readGraph(bytes, file);
  } catch (err) {
    if (err instanceof Malformed) throw new UserError(`${file}: damaged TFLite flatbuffer (${err.message})`);
    throw err;
  }
}

/** Constant tensor contents as numbers (float32, int8, uint8, int32), little-endian as the format stores them. */
export function tensorValues(t: TfliteTensor, file: string): Float64Array {
  if (!t.data) throw new UserError(`${file}: tensor '${t.name}' holds no constant data`);
  const size = t.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const bytes = { float32: 4, int32: 4, int8: 1, uint8: 1 }[t.type];
  if (!bytes) throw new UserError(`${file}: tensor '${t.name}' is ${t.type}, expected float32, int32, int8 or uint8`);
  if (t.data.byteLength !== size * bytes)
    throw new UserError(`${file}: tensor '${t.name}' holds ${t.data.byteLength} bytes for shape [${t.shape}] of ${t.type}`);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    out[i] =
      t.type === 'float32'
        ? view.getFloat32(4 * i, true)
        : t.type === 'int32'
          ? view.getInt32(4 * i, true)
          : t.type === 'int8'
            ? view.getInt8(i)
            : view.getUint8(i);
  }
  return out;
}
