import type { ComputeChoice } from '../../compute/engine.ts';
import type { ImageBox } from '../../core/types.ts';

/**
 * One decoded video frame. Pixels are interleaved RGB, row-major, 8 bits per channel (what sharp
 * gives with `.removeAlpha().raw()`). Trackers that do not look at pixels get `data` of length 0.
 */
export interface Frame {
  index: number; // 0-based position in the sequence as run
  path: string;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface TrackerOutput {
  /** Image box: continuous, 0-based (see core/types.ts). */
  box: ImageBox;
  confidence?: number;
  /**
   * Seconds the tracker itself took on this frame, when it can tell them apart from its own
   * overhead (a TraX tracker: request written to reply read, as the VOT toolkit times a frame).
   */
  seconds?: number;
}

/** A tracker follows one target through one sequence; a new instance serves each sequence. */
export interface Tracker {
  init(frame: Frame, box: ImageBox): Promise<void>;
  update(frame: Frame): Promise<TrackerOutput>;
  /** Frees what the tracker holds; a promise when that takes time (ending a tracker process). */
  dispose?(): void | Promise<void>;
  /** What the run record keeps about this tracker: model file, width, trained or not, settings. */
  describe?(): Record<string, unknown>;
}

export interface TrackerInfo {
  name: string;
  description: string;
  /** Same input, same output: the VOT protocol stops after 3 identical runs. */
  deterministic: boolean;
  /** False for trackers that never read pixels (the runner then skips decoding). */
  needsPixels: boolean;
}

export interface TrackerFactory extends TrackerInfo {
  create(options: TrackerOptions): Promise<Tracker>;
}

export interface TrackerOptions {
  /** TensorFlow.js backend asked for (`--backend`), or undefined for the best that loads. */
  backend?: string;
  /** The engine this process resolved (ORT or TensorFlow.js, provider, threads); undefined: choose. */
  compute?: ComputeChoice;
  seed?: number;
}
