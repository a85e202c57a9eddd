import type { PairBatch } from './batches.ts';

/**
 * What the training loop needs from a Siamese network on any engine (TensorFlow.js or ONNX Runtime).
 * Parameters live in plain arrays owned by the loop's side: the optimiser updates them in place and
 * the engine reads them on every call, so checkpoints, SGD and the moving statistics are one
 * implementation for every engine and two engines started from the same arrays compute the same
 * thing.
 */
export interface ParamArray {
  shape: number[];
  data: Float32Array;
}

/** One batch-norm layer's statistics over one branch's batch (population variance). */
export interface BatchStats {
  mean: Float32Array;
  variance: Float32Array;
  /** Values each statistic averaged: batch x height x width. */
  count: number;
}

export interface LossAndGrads {
  loss: number;
  /** d loss / d parameter for every name in `trainable`. */
  grads: Map<string, Float32Array>;
}

export interface TrainableSiamese {
  /** 'tfjs/wasm', 'ort/cpu x2 threads', ...: recorded with the model. */
  readonly engine: string;
  /**
   * Every parameter by stable name ('conv1/w' [kh, kw, cin/groups, cout], 'bn1/gamma', 'bn1/mean',
   * 'head/bias', 'bn/updates', ...): the trainable ones and the state (moving statistics, counters).
   */
  readonly params: Map<string, ParamArray>;
  /** Names of the trainable parameters, in a fixed order. */
  readonly trainable: readonly string[];
  /** Whether weight decay applies (kernels yes; biases and batch-norm parameters no). */
  decays(name: string): boolean;
  /** Loss and gradients in training mode (batch statistics per branch); modifies nothing. */
  lossAndGrads(batch: PairBatch): Promise<LossAndGrads>;
  /** Loss in inference mode (moving statistics): the validation loss. */
  loss(batch: PairBatch): Promise<number>;
  /**
   * Batch statistics of every batch-norm layer ('bn1'..), exemplar branch and search branch, under
   * the current parameters; the loop folds them into the moving statistics after each step.
   */
  batchStatistics(batch: PairBatch): Promise<{ z: Map<string, BatchStats>; x: Map<string, BatchStats> }>;
  /** Everything that describes the architecture, for the record. */
  describe(): Record<string, unknown>;
  dispose(): void;
}
