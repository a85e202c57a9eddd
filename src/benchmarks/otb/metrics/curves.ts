import type { OtbScores } from './types.ts';
import { NORM_PRECISION_AT, NORM_PRECISION_THRESHOLDS, OP50_AT, OP75_AT, PRECISION_AT, PRECISION_THRESHOLDS } from './thresholds.ts';

/**
 * Turning per-frame measures into curves. A frame succeeds at overlap threshold t when IoU > t
 * (strict), and at distance threshold t when error <= t. Frames scored -1 (invalid ground truth)
 * therefore fail every overlap threshold and pass every distance threshold, as in the toolkits.
 */

/**
 * How many thresholds (ascending, evenly spaced by `step`) are strictly below v: the frame's success
 * count on the grid. The arithmetic guess is corrected against the stored thresholds, so the answer is
 * exactly what comparing with each threshold gives, in O(1) per frame.
 */
function countBelow(v: number, thr: Float64Array, step: number): number {
  if (!(v > thr[0])) return 0; // also NaN
  const last = thr.length;
  let k = Math.min(last, Math.max(1, Math.ceil(v / step)));
  while (k < last && v > thr[k]) k++;
  while (k > 1 && !(v > thr[k - 1])) k--;
  return k;
}

/** How many thresholds (ascending, evenly spaced by `step`) are >= v: those at which a distance v succeeds. */
function countAtOrAbove(v: number, thr: Float64Array, step: number): number {
  const last = thr.length - 1;
  if (!(v <= thr[last])) return 0; // also NaN
  // i = index of the first threshold >= v.
  let i = Math.min(last, Math.max(0, Math.ceil(v / step)));
  while (i > 0 && v <= thr[i - 1]) i--;
  while (i < last && !(v <= thr[i])) i++;
  return thr.length - i;
}

const stepOf = (thr: Float64Array) => (thr[thr.length - 1] - thr[0]) / (thr.length - 1);

/**
 * Success curve over `thr`: fraction of frames with IoU > t. `denominator` is the number of frames
 * the sequence is scored on (the toolkits divide by all frames, including invalid ones).
 */
export function successCurve(ious: ArrayLike<number>, thr: Float64Array, denominator = ious.length): number[] {
  const hist = new Float64Array(thr.length + 1);
  const step = stepOf(thr);
  for (let i = 0; i < ious.length; i++) hist[countBelow(ious[i], thr, step)]++;
  // A frame counted k succeeds at thresholds 0..k-1: suffix sums give the counts per threshold.
  const out = new Array<number>(thr.length);
  let acc = 0;
  for (let k = thr.length; k >= 1; k--) {
    acc += hist[k];
    out[k - 1] = denominator > 0 ? acc / denominator : 0;
  }
  return out;
}

/** Precision curve over `thr`: fraction of frames with error <= t. */
export function precisionCurve(errors: ArrayLike<number>, thr: Float64Array, denominator = errors.length): number[] {
  const hist = new Float64Array(thr.length + 1);
  const step = stepOf(thr);
  for (let i = 0; i < errors.length; i++) hist[countAtOrAbove(errors[i], thr, step)]++;
  // A frame counted k succeeds at the last k thresholds.
  const out = new Array<number>(thr.length);
  let acc = 0;
  for (let k = thr.length; k >= 1; k--) {
    acc += hist[k];
    out[thr.length - k] = denominator > 0 ? acc / denominator : 0;
  }
  return out;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length > 0 ? s / values.length : 0;
}

/** The scores read off the three curves (AUC = mean of the 21 success values, OTB's definition). */
export function scoresFromCurves(
  successCurve: number[],
  precisionCurve: number[],
  normPrecisionCurve: number[],
  frames: number,
): OtbScores {
  return {
    successCurve,
    precisionCurve,
    normPrecisionCurve,
    successAuc: mean(successCurve),
    precision20: precisionCurve[PRECISION_AT],
    normPrecision20: normPrecisionCurve[NORM_PRECISION_AT],
    op50: successCurve[OP50_AT],
    op75: successCurve[OP75_AT],
    frames,
  };
}

/** All scores of one sequence from its per-frame IoU, centre error and normalised centre error. */
export function sequenceScores(
  ious: ArrayLike<number>,
  errors: ArrayLike<number>,
  normErrors: ArrayLike<number>,
  successThresholds: Float64Array,
  denominator: number,
): OtbScores {
  return scoresFromCurves(
    successCurve(ious, successThresholds, denominator),
    precisionCurve(errors, PRECISION_THRESHOLDS, denominator),
    precisionCurve(normErrors, NORM_PRECISION_THRESHOLDS, denominator),
    denominator,
  );
}
