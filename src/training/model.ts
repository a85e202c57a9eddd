import type * as tf from '@tensorflow/tfjs-core';

/**
 * What the training loop needs from a Siamese network; src/training/siamfc-model.ts adapts the
 * SiamFC network to it. Keeping the loop to this interface lets it train any embedding + head.
 */
export interface TrainableSiamese {
  /** Trainable variables by stable name (checkpoints and the optimiser key on these names). */
  readonly variables: Map<string, tf.Variable>;
  /** Non-trainable state a checkpoint must carry too (batch-norm moving statistics). */
  readonly state: Map<string, tf.Variable>;
  /** Whether weight decay applies to a trainable variable (weights yes; biases, BN no). */
  decays(name: string): boolean;
  /**
   * Response maps [N, h, w] or [N, h, w, 1] for exemplar and search batches (NHWC, RGB 0..255).
   * training = true normalises with batch statistics and must not modify any variable, so that it
   * can run under tf.variableGrads.
   */
  forward(z: tf.Tensor4D, x: tf.Tensor4D, training: boolean): tf.Tensor;
  /** After an optimiser step: fold this batch into the moving statistics (outside the gradient). */
  updateStatistics(z: tf.Tensor4D, x: tf.Tensor4D): void;
  /** Writes the trained model where the tracker can load it; `meta` records how it was trained. */
  save(dir: string, meta: Record<string, unknown>): Promise<void>;
  /** Everything that describes the architecture (width, input sizes, ...), for the record. */
  describe(): Record<string, unknown>;
  dispose(): void;
}
