/**
 * The multistart analyses of VOT2020+ as the VOT toolkit (v0.8, `vot/analysis/multistart.py`)
 * computes them, over per-frame overlaps of runs in their own time order (a backward run's first
 * overlap is its anchor frame, its last frame 0). Pure functions: no files, no regions.
 */
export interface RunOverlaps {
  /** Overlap of each line of the run against the ground truth of its frame; line 0 is the anchor. */
  overlaps: ArrayLike<number>;
  /** 1 where the ground truth of that line's frame is empty (those frames never count as bad). */
  emptyGroundtruth: ArrayLike<number>;
}

export const FAILURE_OVERLAP = 0.1;
export const FAILURE_FRAMES = 10;

/**
 * Where a run fails: a line is bad when its overlap is at most 0.1 and its ground truth is not
 * empty; any other line restarts the count; at the 10th bad line in a row the run fails at the
 * first line of that streak. `progress` is the number of lines before the failure (the run's
 * length when it never fails). The anchor line, scored 0 against its ground truth, takes part.
 */
export function failurePoint(
  run: RunOverlaps,
  threshold = FAILURE_OVERLAP,
  window = FAILURE_FRAMES,
): { progress: number; failed: boolean } {
  let streak = 0;
  for (let j = 0; j < run.overlaps.length; j++) {
    if (run.overlaps[j] <= threshold && !run.emptyGroundtruth[j]) streak++;
    else streak = 0;
    if (streak === window) return { progress: j + 1 - window, failed: true };
  }
  return { progress: run.overlaps.length, failed: false };
}

export interface ScoredRun {
  overlaps: ArrayLike<number>;
  progress: number;
  failed: boolean;
}

export function scoreRun(run: RunOverlaps): ScoredRun {
  return { overlaps: run.overlaps, ...failurePoint(run) };
}

export interface SequenceAR {
  /** Σ overlaps before each run's failure / Σ progress (0 when nothing was tracked). */
  accuracy: number;
  /** Σ progress / Σ run lengths. */
  robustness: number;
  progress: number;
  frames: number;
}

export function sequenceAR(runs: readonly ScoredRun[]): SequenceAR {
  let sum = 0,
    progress = 0,
    frames = 0;
  for (const r of runs) {
    for (let k = 0; k < r.progress; k++) sum += r.overlaps[k];
    progress += r.progress;
    frames += r.overlaps.length;
  }
  return { accuracy: progress > 0 ? sum / progress : 0, robustness: frames > 0 ? progress / frames : 0, progress, frames };
}

/**
 * Accuracy pools frames (each sequence weighted by its total progress, so the anchor lines' zeros
 * count); robustness weights each sequence by its length. The toolkit divides by zero when no
 * sequence tracked a single frame; that case is NaN here, and the report says so.
 */
export function averageAR(seqs: readonly { ar: SequenceAR; length: number }[]): { accuracy: number; robustness: number } {
  let a = 0,
    p = 0,
    r = 0,
    n = 0;
  for (const { ar, length } of seqs) {
    a += ar.accuracy * ar.progress;
    p += ar.progress;
    r += ar.robustness * length;
    n += length;
  }
  return { accuracy: p > 0 ? a / p : NaN, robustness: n > 0 ? r / n : NaN };
}

/** Sums of each run's contribution to the expected-overlap curve at lengths 0..high-1. */
export interface CurveSums {
  phi: Float64Array;
  active: Float64Array;
}

export function emptyCurveSums(high: number): CurveSums {
  return { phi: new Float64Array(high), active: new Float64Array(high) };
}

/**
 * Adds one run to the curve. Overlaps from the failure on count 0. At length j (1..high-1, the
 * anchor line left out): inside the run the mean of overlaps 1..j; past the end of a failed run
 * its overlap sum over (j - 1) (the toolkit's divisor); past the end of a run that did not fail,
 * nothing (the run is not active there).
 */
export function addRunToCurve(sums: CurveSums, run: ScoredRun): void {
  const high = sums.phi.length;
  const L = run.overlaps.length;
  let acc = 0;
  for (let j = 1; j < high; j++) {
    if (j < L) {
      if (j < run.progress) acc += run.overlaps[j];
      sums.phi[j] += acc / j;
      sums.active[j] += 1;
    } else if (run.failed) {
      sums.phi[j] += acc / (j - 1);
      sums.active[j] += 1;
    } else break;
  }
}

/** The expected-overlap curve: runs of all sequences pooled, a length no run reaches is 0. */
export function eaoCurve(sums: CurveSums): Float64Array {
  return sums.phi.map((v, j) => (sums.active[j] > 0 ? v / sums.active[j] : 0));
}

/** The EAO score: the curve's mean over lengths low..high-1 (115..754 in the stacks: 640 points). */
export function eaoScore(curve: Float64Array, low: number): number {
  let s = 0;
  for (let j = low; j < curve.length; j++) s += curve[j];
  return curve.length > low ? s / (curve.length - low) : NaN;
}
