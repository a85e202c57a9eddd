import { UserError } from '../../core/errors.ts';
import type { TfliteGraph, TfliteOperator, TfliteTensor } from './tflite-file.ts';

/** Tensors by model name; `step` is each output channel's quantisation step (the last axis). */
export type Arrays = Map<string, { shape: number[]; data: Float32Array; step?: Float32Array }>;

// Operators that carry a value on unchanged (up to requantisation), which the layer tracing skips.
const PASS_THROUGH = new Set(['QUANTIZE', 'DEQUANTIZE', 'RESHAPE']);

export class Graph {
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

/** A one-line error naming the file. */
export function fail(file: string, what: string): never {
  throw new UserError(`${file}: ${what}`);
}
