import type { ConventionRules } from './conventions.ts';
import { fpsFramesOverTime } from './speed.ts';
import { SUCCESS_THRESHOLDS_MATLAB } from './thresholds.ts';

/**
 * LaSOT's MATLAB toolkit (utils/eval_tracker.m, calc_seq_err_robust.m, plot_draw_save.m) is the OTB
 * toolkit with two changes: a wider rule for repairing bad rows, and the absent frames, which it
 * deletes while keeping the full frame count as the divisor. The two variants users meet are named
 * beside it, so that the third-decimal differences they make can be shown rather than argued about.
 */

const COMMON = [
  'rows 2..n holding NaN, w <= 0 or h <= 0 take the previous row (in order, before row 1 is replaced); row 1 is then replaced by the ground truth',
  'IoU: pixel-inclusive (right = x+w-1, intersection +1); a frame whose ground truth has a value <= 0 scores IoU -1 (fails every threshold) and centre error -1 (passes every distance threshold, normalised too)',
  'success: IoU > t for t = 0:0.05:1 (MATLAB grid, strict); precision: centre error <= t px, t = 0..50, score at 20 px; normalised precision: both centres divided by the ground-truth w, h, t = 0..0.5, score at 0.2',
  'AUC: mean of the 21 success values; sequences weigh equally; a sequence whose curve is zero everywhere is left out of the mean (plot_draw_save)',
];

const base = {
  frame: 'otb',
  badPrediction: 'lasot',
  successThresholds: SUCCESS_THRESHOLDS_MATLAB,
  overrideFirstFrame: true,
  replaceBadPredictions: true,
  shortResult: 'failures',
  dropAllZeroCurves: true,
  sequenceFps: fpsFramesOverTime,
} as const;

export const LASOT_CONVENTIONS: Record<'lasot' | 'lasot-all-frames' | 'lasot-kept-frames', ConventionRules> = {
  lasot: {
    ...base,
    name: 'lasot',
    absent: 'fail',
    rules: [
      'convention lasot (LaSOT MATLAB toolkit: eval_tracker, calc_seq_err_robust, plot_draw_save): what published LaSOT figures use',
      'absent frames (absent/<seq>.txt, or full_occlusion.txt or out_of_view.txt = 1) are removed, but the divisor stays the full frame count: each absent frame fails every threshold, precision and normalised precision too',
      ...COMMON,
    ],
  },
  'lasot-all-frames': {
    ...base,
    name: 'lasot-all-frames',
    absent: 'score',
    rules: [
      "convention lasot-all-frames (a variant, not the toolkit's rule): every frame is scored against its box, absence ignored (what an OTB-style scorer does); absent frames whose box is 0,0,0,0 then count as precision successes",
      ...COMMON,
    ],
  },
  'lasot-kept-frames': {
    ...base,
    name: 'lasot-kept-frames',
    absent: 'drop',
    rules: [
      "convention lasot-kept-frames (a variant, not the toolkit's rule; pytracking's exclude_invalid_frames=True): absent frames are removed AND the divisor is the number of frames kept, which adds about 0.01 to every score",
      ...COMMON,
    ],
  },
};

/** eval_tracker.m: a row with any NaN (or non-real value), w <= 0 or h <= 0 takes the previous row, whatever the ground truth. */
export function isBadLasot(_gt: Float64Array, p: Float64Array, i: number): boolean {
  const o = 4 * i;
  return Number.isNaN(p[o]) || Number.isNaN(p[o + 1]) || !(p[o + 2] > 0) || !(p[o + 3] > 0);
}
