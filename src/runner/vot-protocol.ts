import type { ImageBox } from '../core/types.ts';
import type { VotRegion } from '../benchmarks/vot/dataset/types.ts';
import { NO_BOUNDS, imageBounds, regionBox, votOverlap, type Bounds, type Rasterization } from '../benchmarks/vot/metrics/overlap.ts';
import { VOT_FAILURE, VOT_INIT, VOT_SKIP, type VotResultLine } from '../benchmarks/vot/results/types.ts';
import type { Frame, Tracker, TrackerInfo } from '../trackers/base/tracker.ts';

/**
 * VOT's experiments as plain functions over one sequence: the supervised (reset) protocol with its
 * repetitions, and the unsupervised (no reset) run. They know trackers, frames and regions only; the
 * caller decides where frames come from and where results go (see benchmarks/vot/results/write.ts).
 */
export interface VotProtocolSequence {
  name: string;
  groundtruth: readonly VotRegion[];
  /** Frame i (0-based). Called only for frames the tracker sees (never for the 5 skipped ones). */
  frame: (i: number) => Promise<Frame>;
  /** Image size: failure overlaps are bounded to [0, w-1] x [0, h-1] as the toolkit does. */
  width?: number;
  height?: number;
}

export interface VotProtocolOptions {
  /** Frames from a failure to the re-initialisation (5). */
  skipInitialize?: number;
  /** A frame fails when its overlap is <= this (0: no overlap at all). */
  failureOverlap?: number;
  rasterization?: Rasterization;
  /** Milliseconds clock for the per-frame times (performance.now by default). */
  clock?: () => number;
}

export interface VotProtocolRun {
  lines: VotResultLine[];
  /** Seconds spent in init/update per frame; NaN for frames the tracker did not process. */
  times: number[];
  failures: number;
}

/** A tracker instance (re-initialised for every run) or a factory giving one per repetition. */
export type VotTrackerSource = Tracker | ((repetition: number) => Promise<Tracker>);

const usable = (b: ImageBox) => b.every(Number.isFinite) && b[2] > 0 && b[3] > 0;

function bounds(seq: VotProtocolSequence): Bounds {
  return seq.width !== undefined && seq.height !== undefined ? imageBounds(seq.width, seq.height, 1) : NO_BOUNDS;
}

/**
 * One supervised run: initialise on the ground truth's bounding box, track, and when the output has
 * no overlap with the ground truth mark the frame `2`, skip 5 frames (`0`) and re-initialise (`1`).
 */
export async function runVotSupervisedOnce(
  tracker: Tracker,
  seq: VotProtocolSequence,
  opts: VotProtocolOptions = {},
): Promise<VotProtocolRun> {
  const n = seq.groundtruth.length;
  const skip = opts.skipInitialize ?? 5;
  const threshold = opts.failureOverlap ?? 0;
  const mode = opts.rasterization ?? 'legacy';
  const clock = opts.clock ?? (() => performance.now());
  const b = bounds(seq);
  const lines: VotResultLine[] = new Array(n).fill(VOT_SKIP);
  const times = new Array<number>(n).fill(NaN);
  let failures = 0;
  let start = 0;
  while (start < n) {
    const box = regionBox(seq.groundtruth[start]);
    if (!usable(box)) {
      start++; // nothing to initialise on: the toolkit moves on to the next annotated frame
      continue;
    }
    const first = await seq.frame(start);
    let t = clock();
    await tracker.init(first, box);
    times[start] = (clock() - t) / 1000;
    lines[start] = VOT_INIT;
    let failedAt = -1;
    for (let i = start + 1; i < n; i++) {
      const frame = await seq.frame(i);
      t = clock();
      const out = await tracker.update(frame);
      times[i] = out.seconds ?? (clock() - t) / 1000;
      const region: VotRegion = [...out.box];
      const overlap = region.every(Number.isFinite) ? votOverlap(region, seq.groundtruth[i], b, mode) : NaN;
      if (!(overlap > threshold)) {
        lines[i] = VOT_FAILURE;
        failedAt = i;
        break;
      }
      lines[i] = region;
    }
    if (failedAt < 0) break;
    failures++;
    start = failedAt + skip;
  }
  return { lines, times, failures };
}

/** Unsupervised experiment: initialise once, never reset, record every output. */
export async function runVotUnsupervised(
  tracker: Tracker,
  seq: VotProtocolSequence,
  opts: VotProtocolOptions = {},
): Promise<VotProtocolRun> {
  const n = seq.groundtruth.length;
  const clock = opts.clock ?? (() => performance.now());
  const lines: VotResultLine[] = new Array(n).fill(VOT_SKIP);
  const times = new Array<number>(n).fill(NaN);
  let t = clock();
  await tracker.init(await seq.frame(0), regionBox(seq.groundtruth[0]));
  times[0] = (clock() - t) / 1000;
  lines[0] = VOT_INIT;
  for (let i = 1; i < n; i++) {
    const frame = await seq.frame(i);
    t = clock();
    const out = await tracker.update(frame);
    lines[i] = [...out.box];
    times[i] = out.seconds ?? (clock() - t) / 1000;
  }
  return { lines, times, failures: 0 };
}

/** Same codes on the same frames and regions overlapping > 0.999: the legacy toolkit's test. */
export function sameVotRun(a: readonly VotResultLine[], b: readonly VotResultLine[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i],
      y = b[i];
    if (typeof x === 'number' || typeof y === 'number') {
      if (x !== y) return false;
    } else if (!(votOverlap(x, y) > 0.999)) return false;
  }
  return true;
}

export interface VotSupervisedOptions extends VotProtocolOptions {
  /** 15 in every VOT stack. */
  maxRepetitions?: number;
  /** Called after each repetition (e.g. to write its files) before the next starts. */
  onRun?: (repetition: number, run: VotProtocolRun) => Promise<void> | void;
}

/**
 * The supervised experiment with repetitions: up to 15 runs; a tracker that declares itself
 * deterministic stops after 3 runs when those are identical (as the toolkit checks before run 4).
 * A factory source gets a fresh tracker per repetition (disposed after it); an instance is re-used.
 */
export async function runVotSupervised(
  source: VotTrackerSource,
  info: Pick<TrackerInfo, 'deterministic'>,
  seq: VotProtocolSequence,
  opts: VotSupervisedOptions = {},
): Promise<{ runs: VotProtocolRun[]; stoppedAsDeterministic: boolean }> {
  const max = opts.maxRepetitions ?? 15;
  const runs: VotProtocolRun[] = [];
  for (let rep = 1; rep <= max; rep++) {
    if (rep === 4 && info.deterministic && sameVotRun(runs[0].lines, runs[1].lines) && sameVotRun(runs[0].lines, runs[2].lines)) {
      return { runs, stoppedAsDeterministic: true };
    }
    const tracker = typeof source === 'function' ? await source(rep) : source;
    try {
      const run = await runVotSupervisedOnce(tracker, seq, opts);
      runs.push(run);
      await opts.onRun?.(rep, run);
    } finally {
      if (typeof source === 'function') await tracker.dispose?.();
    }
  }
  return { runs, stoppedAsDeterministic: false };
}
