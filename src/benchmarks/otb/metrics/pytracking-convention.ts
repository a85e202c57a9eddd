import type { ConventionRules } from './conventions.ts';
import { fpsMeanOfRates } from './speed.ts';
import { SUCCESS_THRESHOLDS_NUMPY } from './thresholds.ts';

/**
 * pytracking's `extract_results.py` (visionml/pytracking, 2022-08 onward): the MATLAB rules for the
 * dataset it calls `uav`, but an invalid ground-truth frame is a precision miss on every other
 * dataset, a zero-size box takes the previous one, and a result with NaN or a negative size is
 * refused outright ("Invalid results"), which here leaves that sequence out with an alert.
 */
export const PYTRACKING_CONVENTION: ConventionRules = {
  name: 'pytracking',
  frame: 'otb',
  badPrediction: 'pytracking',
  rejectInvalidResults: true,
  invalidGtPrecision: 'miss-unless-uav',
  absent: 'fail',
  successThresholds: SUCCESS_THRESHOLDS_NUMPY,
  overrideFirstFrame: true,
  replaceBadPredictions: true,
  shortResult: 'failures',
  dropAllZeroCurves: false,
  sequenceFps: fpsMeanOfRates,
  rules: [
    'convention pytracking (pytracking analysis/extract_results.py, 2022-08 onward)',
    'frame 1 is replaced by the ground truth; a box with w = 0 or h = 0 takes the previous one',
    'a result with NaN or a negative w or h is refused ("Invalid results"): pytracking stops; here that sequence is left out of the tracker\'s averages, with an alert',
    'IoU: continuous (equal to the pixel-inclusive IoU of the MATLAB toolkits); invalid ground truth (any of x, y, w, h <= 0 or NaN) or an absent frame (LaSOT) scores IoU -1, a failure at every threshold',
    'centre error of invalid ground truth: -1 (a hit) on the UAV datasets, +Inf (a miss) on every other; normalised centre error: a hit',
    'success: IoU > t for t = 0, 0.05, ..., 1 (torch.arange); precision: centre error <= t px, t = 0..50, at 20 px; curves averaged in float32 by pytracking (differences below 1e-6)',
    'AUC: mean of the 21 success values; sequences weigh equally, each divided by all its frames',
  ],
};

/** pytracking replaces only zero-size boxes; NaN and negative sizes are refused before. */
export function isBadPytracking(_gt: Float64Array, p: Float64Array, i: number): boolean {
  return p[4 * i + 2] === 0 || p[4 * i + 3] === 0;
}

/** The first row (1-based) with NaN or a negative w or h, which pytracking refuses, or 0. */
export function refusedRow(pred: Float64Array, missing: Uint8Array): number {
  for (let i = 0; 4 * i < pred.length; i++) {
    if (missing[i] === 1) continue;
    const o = 4 * i;
    if (pred[o] !== pred[o] || pred[o + 1] !== pred[o + 1] || !(pred[o + 2] >= 0) || !(pred[o + 3] >= 0)) return i + 1;
  }
  return 0;
}
