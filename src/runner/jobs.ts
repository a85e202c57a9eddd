import type { ComputeRequest } from '../compute/engine.ts';
import type { ImageBox, ToolkitBox } from '../core/types.ts';
import type { SreShift } from '../benchmarks/otb/metrics/robustness.ts';
import type { Anchor } from '../benchmarks/vot2020/dataset/types.ts';
import type { Region } from '../benchmarks/vot2020/regions/types.ts';

/** One tracker on one sequence, one-pass (OTB protocol). Everything a worker needs, as plain data. */
export interface OpeJob {
  kind: 'ope';
  tracker: string;
  target: string;
  /** Absolute frame paths from the first evaluated frame to the last. */
  images: string[];
  /** Initial image box (0-based) on images[0]. */
  init: ImageBox;
  /** Raw results folder: <rawDir>/<tracker>/<target>.txt. */
  rawDir: string;
  recordFile: string;
  seed: number;
  /** Frames the job will process, for progress. */
  expectedFrames: number;
  /**
   * OTB's TRE or SRE: the runs instead of one pass, each from row `start` of `images` with the ground
   * truth `gt` of that row, shifted as `shift` says (SRE; the worker knows the image size). Written to
   * <rawDir>/<tracker>/<target>/<target>_NNN.txt.
   */
  runs?: { start: number; gt: ToolkitBox; shift?: SreShift }[];
}

/**
 * One tracker on one VOT sequence: the supervised (reset) experiment with its repetitions, or the
 * unsupervised one (one run, no reset).
 */
export interface VotJob {
  kind: 'vot';
  experiment: 'baseline' | 'unsupervised';
  tracker: string;
  target: string;
  /** Absolute frame paths, every frame of the sequence. */
  images: string[];
  /** Ground-truth regions (0-based image coordinates), one per frame. */
  groundtruth: number[][];
  width?: number;
  height?: number;
  /** Repetitions at most (15); deterministic trackers stop after 3 identical runs. */
  maxRepetitions: number;
  /** VOT results folder: <rawDir>/<tracker>/<experiment>/<seq>/<seq>_001.txt. */
  rawDir: string;
  recordFile: string;
  seed: number;
  /** Frames the job will process, for progress: all repetitions (3 for a deterministic tracker). */
  expectedFrames: number;
}

/**
 * One tracker on one sequence under the VOT2020+ protocol: the multistart runs (one per anchor) of
 * the short-term stacks and their unsupervised run, or the long-term stack's single run with
 * confidences. Written as the VOT toolkit's results/<tracker>/<experiment>/<seq>/ files.
 */
export interface MultistartJob {
  kind: 'multistart';
  experiments: ('baseline' | 'unsupervised' | 'longterm')[];
  tracker: string;
  target: string;
  images: string[];
  /** Ground-truth regions of the VOT2020+ regions module (typed arrays survive structured cloning). */
  groundtruth: Region[];
  anchors: Anchor[];
  rawDir: string;
  recordFile: string;
  seed: number;
  expectedFrames: number;
}

export type Job = OpeJob | VotJob | MultistartJob;

/** What a worker says about a finished job; also the JSON record kept beside the raw results. */
export interface JobRecord {
  tracker: string;
  target: string;
  status: 'ok' | 'failed';
  error?: string;
  frames: number;
  /** Tracker time (init + updates), decoding excluded. */
  trackerSeconds: number;
  /** Wall time of the whole job in the worker, decoding included. */
  wallSeconds: number;
  fps: number;
  /** The engine's label, e.g. 'ort/cpu/1t' or 'tfjs/wasm'. */
  backend: string;
  /** The engine, its execution provider (or TensorFlow.js backend) and intra-op threads. */
  compute?: { engine: string; provider: string; threads: number };
  /** VOT: repetitions run, failures per run. */
  repetitions?: number;
  failures?: number[];
  /** What the tracker says about itself (model file, width, trained or not, settings). */
  trackerRecord?: Record<string, unknown>;
  finishedAt: string;
}

/** What each bench worker says when ready: its engine's label and why ONNX Runtime is not in use, if it fell back. */
export interface BenchWorkerInfo {
  backend: string;
  fallback?: string;
}

/** Every bench worker's start-up data: the engine request and how many workers share the cores. */
export interface BenchWorkerData {
  compute: ComputeRequest;
  workers: number;
  /** Set to 1 by the main thread on Ctrl-C: each job stops at its next frame (shared memory, read between frames). */
  stop: Int32Array;
}
