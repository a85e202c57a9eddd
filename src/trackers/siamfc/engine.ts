/**
 * The SiamFC network as the tracker sees it: crops in, features and response maps out, as plain
 * arrays. Tracker logic depends only on this, so another inference engine (onnxruntime-node, ...)
 * can serve the same weights by implementing it; tfjs-engine.ts is the TensorFlow.js one.
 *
 * Crops are NHWC float32, RGB 0..255, no mean subtraction: n * side * side * 3 values.
 */
export interface FeatureMaps {
  data: Float32Array;
  /** [n, height, width, channels] */
  shape: [number, number, number, number];
}

export interface SiamfcEngine {
  /** What served the network, for run records, e.g. 'tfjs/wasm'. */
  readonly name: string;
  readonly exemplarSize: number;
  readonly instanceSize: number;
  /** Side of the response map for an exemplar against an instance crop (17 for 127 / 255). */
  readonly responseSize: number;
  /** Embeds n exemplar crops of exemplarSize. */
  embedExemplar(crops: Float32Array, n: number): Promise<FeatureMaps>;
  /**
   * Response maps of one exemplar (features of n = 1) against n instance crops: n * r * r values,
   * row-major per map, already scaled by the head (x headScale, + bias).
   */
  respond(exemplar: FeatureMaps, crops: Float32Array, n: number): Promise<Float32Array>;
  /** Releases the engine's weights; engines are shared per process, so only their owner calls it. */
  dispose(): void;
}
