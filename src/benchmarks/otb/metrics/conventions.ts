import type { OtbConvention } from '../../../core/types.ts';
import { centreError, normCentreError } from './center.ts';
import { iouContinuous, iouGot10k, iouPixel } from './overlap.ts';
import { fpsFramesOverTime, fpsMeanOfRates } from './speed.ts';
import { SUCCESS_THRESHOLDS_MATLAB, SUCCESS_THRESHOLDS_NUMPY } from './thresholds.ts';
import { isBadLasot, LASOT_CONVENTIONS } from './lasot-conventions.ts';
import { isBadPytracking, PYTRACKING_CONVENTION } from './pytracking-convention.ts';

/**
 * The three rule sets users meet (see docs/scoring.md): the OTB MATLAB toolkit (`otb`,
 * calcSeqErrRobust + calcRectInt + perfPlot), pysot (OPEBenchmark + success_overlap / success_error)
 * and got10k (ExperimentOTB.report + rect_iou / center_error).
 */
export interface ConventionRules {
  name: OtbConvention;
  /** The per-frame formulas (IoU, masks), when not the convention's own name (LaSOT's are otb's). */
  frame?: 'otb' | 'pysot' | 'got10k';
  /** Which predictions `replaceBadPredictions` replaces: calcSeqErrRobust's (default) or LaSOT's any NaN / w, h <= 0. */
  badPrediction?: 'otb' | 'lasot' | 'pytracking';
  /** pytracking refuses a result holding NaN or a negative size; invalid ground truth is a precision miss off the UAV sets. */
  rejectInvalidResults?: boolean;
  invalidGtPrecision?: 'miss-unless-uav';
  /** Frames flagged absent (LaSOT): failures at every threshold, scored like any frame, or left out of the divisor. */
  absent?: 'fail' | 'score' | 'drop';
  /** got10k's ExperimentUAV123: frames whose ground truth holds NaN leave numerator and denominator. */
  dropNanGroundTruth?: boolean;
  successThresholds: Float64Array;
  overrideFirstFrame: boolean;
  replaceBadPredictions: boolean;
  /** Frames the result does not cover: scored as failures (`failures`) or left out (`truncate`). */
  shortResult: 'failures' | 'truncate';
  dropAllZeroCurves: boolean;
  sequenceFps: (times: ArrayLike<number>) => number | undefined;
  /** One line per rule, printed on every report. */
  rules: string[];
}

// 'otb' first: the registry takes the first as the default.
export const CONVENTIONS: Record<OtbConvention, ConventionRules> = {
  otb: {
    name: 'otb',
    successThresholds: SUCCESS_THRESHOLDS_MATLAB,
    overrideFirstFrame: true,
    replaceBadPredictions: true,
    shortResult: 'failures',
    dropAllZeroCurves: true,
    sequenceFps: fpsFramesOverTime,
    rules: [
      'convention otb (OTB MATLAB toolkit: calcSeqErrRobust, calcRectInt, perfPlot; the UAV123, UAV20L, UAV123@10fps, UAVDT, DTB70 and TC128 toolkits are copies of it and apply these same rules)',
      'frames: from the first frame after initOmit (Tiger1 from 6); the first evaluated frame is replaced by the ground truth',
      'IoU: pixel-inclusive (right = x+w-1, intersection +1), not clipped',
      'invalid ground truth (any of x, y, w, h <= 0): IoU -1 (fails every overlap threshold), centre error -1 (passes every distance threshold)',
      "bad prediction (w <= 0, h <= 0, or all four values NaN): replaced by the previous frame's box",
      'result shorter than the ground truth: flagged, uncovered frames fail (unless their ground truth is invalid); longer: flagged, extra rows ignored',
      'success: IoU > t for t = 0:0.05:1 (strict); precision: centre error <= t px for t = 0..50, score at 20 px',
      "normalised precision: centre error per axis / ground-truth w, h <= t for t = 0..0.5, score at 0.2 (pysot; got10k's LaSOT report uses the mean of this curve instead)",
      'AUC: mean of the 21 success values; sequences weigh equally, each divided by all its frames; sequences whose curve is all zero are left out of the mean (perfPlot)',
      'attributes with fewer than 2 sequences are not reported; fps = frames / total time per sequence, mean over sequences',
    ],
  },
  pysot: {
    name: 'pysot',
    successThresholds: SUCCESS_THRESHOLDS_NUMPY,
    overrideFirstFrame: false,
    replaceBadPredictions: false,
    shortResult: 'failures',
    dropAllZeroCurves: false,
    sequenceFps: fpsFramesOverTime,
    rules: [
      'convention pysot (OPEBenchmark, success_overlap, success_error)',
      "frames: from the first frame after initOmit; the first frame's prediction is scored as the file has it",
      'IoU: continuous (right = x+w), inter/union clipped to [0, 1]',
      'invalid ground truth: IoU -1 where gt w <= 0 or h <= 0; centre error -1 (a distance success) where a gt centre coordinate <= 0',
      'bad prediction: used as is (NaN fails every threshold)',
      'result shorter than the ground truth: used as far as it goes, uncovered frames fail; longer: extra rows ignored',
      'success: IoU > t for t = 0, 0.05, ..., 1 (strict); precision: centre error <= t px, t = 0..50, score at 20 px',
      "normalised precision: centres divided by gt (w, h) + 1e-16, error <= t for t = 0..0.5, score at 0.2 (got10k's LaSOT report uses the curve mean instead)",
      'AUC: mean of the 21 success values; sequences weigh equally, each divided by all its frames',
      'attributes with fewer than 2 sequences are not reported; fps = frames / total time per sequence, mean over sequences',
    ],
  },
  got10k: {
    name: 'got10k',
    successThresholds: SUCCESS_THRESHOLDS_NUMPY,
    overrideFirstFrame: true,
    replaceBadPredictions: false,
    shortResult: 'truncate',
    dropAllZeroCurves: false,
    sequenceFps: fpsMeanOfRates,
    dropNanGroundTruth: true,
    rules: [
      'convention got10k (ExperimentOTB.report, rect_iou, center_error)',
      'frames: every ground-truth row (no initOmit: Tiger1 from 1); the first frame is replaced by the ground truth',
      'IoU: continuous, inter/(union + eps) clipped to [0, 1]',
      'invalid ground truth: no masking (a 0,0,0,0 box scores IoU 0 and its real centre error); frames whose ground truth is NaN (UAV123: target out of view) are dropped from numerator and denominator (ExperimentUAV123)',
      'bad prediction: used as is (NaN fails every threshold)',
      'result shorter or longer than the ground truth: both truncated to the frames they share, with a warning',
      'success: IoU > t for t = linspace(0, 1, 21) (strict); precision: centre error <= t px, t = 0..50, score at 20 px',
      "normalised precision (not in got10k's OTB report): centre error per axis / gt w, h <= t for t = 0..0.5, score at 0.2",
      'AUC (success_score): mean of the 21 success values; sequences weigh equally, each divided by its scored frames',
      'attributes with fewer than 2 sequences are not reported; fps = mean of 1/t over frames with t > 0, mean over sequences with times',
    ],
  },
  ...LASOT_CONVENTIONS,
  pytracking: PYTRACKING_CONVENTION,
};

export function conventionRules(name: string): ConventionRules | undefined {
  return Object.hasOwn(CONVENTIONS, name) ? CONVENTIONS[name as OtbConvention] : undefined;
}

export interface FrameMeasures {
  iou: Float64Array;
  centre: Float64Array;
  normCentre: Float64Array;
  /** Frames whose prediction the `otb` rule replaced by the previous box. */
  replaced: number;
  /** Frames whose ground truth the convention treats as invalid. */
  invalidGroundTruth: number;
}

/**
 * Per-frame IoU and centre errors under one convention. `gt` and `pred` hold 4 values per frame for the
 * evaluated frames only; `missing[i] = 1` marks a frame the result does not cover (scored as a NaN box:
 * it fails every threshold unless the ground truth is masked).
 * Neither input is modified.
 */
export function measureFrames(gt: Float64Array, pred: Float64Array, rules: ConventionRules, missing?: Uint8Array): FrameMeasures {
  const n = gt.length / 4;
  const iou = new Float64Array(n);
  const centre = new Float64Array(n);
  const normCentre = new Float64Array(n);
  let invalid = 0;
  let replaced = 0;
  // One function per convention keeps the per-frame branch out of the hot path (2M frames per run).
  const kind = rules.frame ?? rules.name;
  const frame = kind === 'otb' ? frameOtb : kind === 'pysot' ? framePysot : frameGot10k;
  const isBad = rules.badPrediction === 'lasot' ? isBadLasot : rules.badPrediction === 'pytracking' ? isBadPytracking : isBadPrediction;
  // Row whose box the previous frame used: a replaced box is read in place, never copied.
  let src = 0;
  for (let i = 0; i < n; i++) {
    if (missing !== undefined && missing[i] === 1) {
      // No box: a failure, unless the ground truth is masked anyway (the toolkit's -1 survives a short
      // result: MDNet's Board ends one row early on a 0,0,0,0 frame that scores -1 either way).
      if (!frame(gt, 4 * i, NAN_BOX, 0, i, iou, centre, normCentre)) invalid++;
      src = i;
      continue;
    }
    let s = i;
    if (rules.replaceBadPredictions && i > 0 && !(missing !== undefined && missing[i - 1] === 1) && isBad(gt, pred, i)) {
      s = src;
      replaced++;
    }
    src = s;
    // The override comes after the replacement, as in calcSeqErrRobust: frame 2 falls back to the
    // file's frame-1 box, not to the ground truth.
    const first = i === 0 && rules.overrideFirstFrame;
    if (!frame(gt, 4 * i, first ? gt : pred, first ? 0 : 4 * s, i, iou, centre, normCentre)) invalid++;
  }
  return { iou, centre, normCentre, replaced, invalidGroundTruth: invalid };
}

const NAN_BOX = new Float64Array([NaN, NaN, NaN, NaN]);

// Bound once: tsx compiles imports to getter calls, which cost more than the arithmetic per frame.
const IOU_PIXEL = iouPixel,
  IOU_CONT = iouContinuous,
  IOU_GOT10K = iouGot10k;
const CENTRE = centreError,
  NORM_CENTRE = normCentreError;

/** Scores frame i: ground truth at gt[go..go+3], prediction at p[po..po+3]. Returns gt validity. */
type FrameFn = (
  gt: Float64Array,
  go: number,
  p: Float64Array,
  po: number,
  i: number,
  iou: Float64Array,
  ce: Float64Array,
  nce: Float64Array,
) => boolean;

/** calcSeqErrRobust: idx = all four gt values > 0; elsewhere both errors are -1. Returns validity. */
const frameOtb: FrameFn = (gt, go, p, po, i, iou, ce, nce) => {
  const gx = gt[go],
    gy = gt[go + 1],
    gw = gt[go + 2],
    gh = gt[go + 3];
  const px = p[po],
    py = p[po + 1],
    pw = p[po + 2],
    ph = p[po + 3];
  if (!(gx > 0 && gy > 0 && gw > 0 && gh > 0)) {
    iou[i] = -1;
    ce[i] = -1;
    nce[i] = -1;
    return false;
  }
  iou[i] = IOU_PIXEL(px, py, pw, ph, gx, gy, gw, gh);
  ce[i] = CENTRE(px, py, pw, ph, gx, gy, gw, gh);
  nce[i] = NORM_CENTRE(px, py, pw, ph, gx, gy, gw, gh);
  return true;
};

/** pysot: success_overlap masks by gt w, h > 0; success_error by the (normalised) gt centre > 0. */
const framePysot: FrameFn = (gt, go, p, po, i, iou, ce, nce) => {
  const gx = gt[go],
    gy = gt[go + 1],
    gw = gt[go + 2],
    gh = gt[go + 3];
  const px = p[po],
    py = p[po + 1],
    pw = p[po + 2],
    ph = p[po + 3];
  const sizeOk = gw > 0 && gh > 0;
  const cx = gx + (gw - 1) / 2,
    cy = gy + (gh - 1) / 2;
  const centreOk = cx > 0 && cy > 0;
  iou[i] = sizeOk ? IOU_CONT(px, py, pw, ph, gx, gy, gw, gh) : -1;
  ce[i] = centreOk ? CENTRE(px, py, pw, ph, gx, gy, gw, gh) : -1;
  nce[i] = cx / (gw + 1e-16) > 0 && cy / (gh + 1e-16) > 0 ? NORM_CENTRE(px, py, pw, ph, gx, gy, gw, gh) : -1;
  return sizeOk && centreOk;
};

/** got10k: no masking at all. */
const frameGot10k: FrameFn = (gt, go, p, po, i, iou, ce, nce) => {
  const gx = gt[go],
    gy = gt[go + 1],
    gw = gt[go + 2],
    gh = gt[go + 3];
  const px = p[po],
    py = p[po + 1],
    pw = p[po + 2],
    ph = p[po + 3];
  iou[i] = IOU_GOT10K(px, py, pw, ph, gx, gy, gw, gh);
  ce[i] = CENTRE(px, py, pw, ph, gx, gy, gw, gh);
  nce[i] = NORM_CENTRE(px, py, pw, ph, gx, gy, gw, gh);
  return gx > 0 && gy > 0 && gw > 0 && gh > 0;
};

/**
 * calcSeqErrRobust, for frames 2..n: `if (isnan(r) | r(3)<=0 | r(4)<=0) & ~isnan(r_anno)` takes the
 * previous (possibly already replaced) box. MATLAB's `if` on a vector needs every element true, so a
 * box with only some NaN values (and w, h > 0) is kept, and a NaN in the ground truth blocks it.
 */
function isBadPrediction(gt: Float64Array, p: Float64Array, i: number): boolean {
  const o = 4 * i;
  const sizeBad = p[o + 2] <= 0 || p[o + 3] <= 0;
  for (let k = 0; k < 4; k++) {
    if (!((Number.isNaN(p[o + k]) || sizeBad) && !Number.isNaN(gt[o + k]))) return false;
  }
  return true;
}
