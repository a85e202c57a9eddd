import type { ConventionRules, FrameMeasures } from '../metrics/conventions.ts';

/** Per-frame measures after the convention's rules for absent frames and NaN ground truth. */
export interface ScoredFrames {
  iou: Float64Array;
  centre: Float64Array;
  normCentre: Float64Array;
  /** The divisor of the sequence's curves. */
  denominator: number;
  /** Frames flagged absent among the evaluated ones, and frames left out of the divisor. */
  absent: number;
  dropped: number;
}

/**
 * Applies what a convention does with frames it does not score as ordinary frames: LaSOT's absent
 * frames (failures at every threshold under `lasot`, left out under `lasot-kept-frames`) and got10k's
 * NaN ground-truth rows (left out). `absent` holds one flag per evaluated frame (or is undefined);
 * `gt` the evaluated ground-truth rows. The measures are changed in place or compacted.
 */
export function applyExclusions(
  m: FrameMeasures,
  gt: Float64Array,
  absent: Uint8Array | undefined,
  rules: ConventionRules,
  dataset = '',
): ScoredFrames {
  const n = m.iou.length;
  // pytracking's centre error of an invalid ground-truth frame is +Inf except on its `uav` datasets.
  const invalidMisses = rules.invalidGtPrecision === 'miss-unless-uav' && !/^uav/i.test(dataset);
  let nAbsent = 0;
  const drop = new Uint8Array(n);
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const isAbsent = absent !== undefined && absent[i] === 1;
    if (isAbsent) nAbsent++;
    if (invalidMisses && m.centre[i] === -1) m.centre[i] = Infinity;
    const nanGt = rules.dropNanGroundTruth === true && hasNan(gt, i);
    if ((isAbsent && rules.absent === 'drop') || nanGt) {
      drop[i] = 1;
      dropped++;
    } else if (isAbsent && rules.absent === 'fail') {
      // Deleted from the numerator, kept in the divisor: no threshold is passed.
      m.iou[i] = -1;
      m.centre[i] = Infinity;
      m.normCentre[i] = Infinity;
    }
  }
  if (dropped === 0) return { iou: m.iou, centre: m.centre, normCentre: m.normCentre, denominator: n, absent: nAbsent, dropped };
  const keep = n - dropped;
  const out = { iou: new Float64Array(keep), centre: new Float64Array(keep), normCentre: new Float64Array(keep) };
  for (let i = 0, k = 0; i < n; i++) {
    if (drop[i] === 1) continue;
    out.iou[k] = m.iou[i];
    out.centre[k] = m.centre[i];
    out.normCentre[k] = m.normCentre[i];
    k++;
  }
  return { ...out, denominator: keep, absent: nAbsent, dropped };
}

function hasNan(gt: Float64Array, i: number): boolean {
  const o = 4 * i;
  return Number.isNaN(gt[o]) || Number.isNaN(gt[o + 1]) || Number.isNaN(gt[o + 2]) || Number.isNaN(gt[o + 3]);
}

/**
 * The absent flags of the evaluated frames: `rowAbsent` has one flag per ground-truth row, `rowFrames`
 * the image number of each row, `frames` the image numbers evaluated (consecutive rows).
 */
export function absentOfFrames(rowAbsent: Uint8Array | undefined, rowFrames: number[], frames: number[]): Uint8Array | undefined {
  if (rowAbsent === undefined || frames.length === 0) return undefined;
  const r0 = rowFrames.indexOf(frames[0]);
  return r0 < 0 ? undefined : rowAbsent.subarray(r0, r0 + frames.length);
}
