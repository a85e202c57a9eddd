import { roundHalfEven } from '../regions/raster.ts';

/**
 * Long-term tracking precision, recall and F-score as the VOT toolkit (v0.8, `vot/analysis/
 * longterm.py`) computes them: thresholds from all of a tracker's confidences, per sequence the
 * frames whose confidence clears each threshold, sequences averaged without weights, and P, R, F
 * reported at the first maximum of F.
 */
export const THRESHOLD_COUNT = 98;

/**
 * The thresholds: every confidence of the tracker over all sequences (NaN left out), sorted
 * descending; above 98 of them, 98 picked at round(linspace(delta, n - delta, 98)) with delta =
 * floor(n / 98), rounding half to even; then +Infinity first and -Infinity last.
 */
export function thresholds(confidences: Iterable<number>, count = THRESHOLD_COUNT): number[] {
  const sorted = Array.from(confidences)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => b - a);
  let picked = sorted;
  if (sorted.length > count) {
    const n = sorted.length;
    const delta = Math.floor(n / count);
    const step = (n - 2 * delta) / (count - 1);
    picked = Array.from({ length: count }, (_, k) => sorted[roundHalfEven(k === count - 1 ? n - delta : delta + k * step)]);
  }
  return [Infinity, ...picked, -Infinity];
}

export interface PrecisionRecall {
  precision: number[];
  recall: number[];
}

/**
 * One trajectory at each threshold: frames with confidence >= threshold (a missing confidence
 * counts 0); none selected gives P = 1, R = 0; else P = their mean overlap and R = their overlap sum
 * over the frames whose ground truth is not a code (the target is present).
 */
export function trajectoryPR(
  overlaps: ArrayLike<number>,
  confidence: ArrayLike<number>,
  present: ArrayLike<number>,
  taus: readonly number[],
): PrecisionRecall {
  let visible = 0;
  for (let i = 0; i < present.length; i++) visible += present[i] ? 1 : 0;
  const precision: number[] = [],
    recall: number[] = [];
  for (const tau of taus) {
    let sum = 0,
      n = 0;
    for (let i = 0; i < overlaps.length; i++) {
      const c = Number.isNaN(confidence[i]) ? 0 : confidence[i];
      if (c >= tau) {
        sum += overlaps[i];
        n++;
      }
    }
    precision.push(n === 0 ? 1 : sum / n);
    recall.push(n === 0 ? 0 : visible > 0 ? sum / visible : 0);
  }
  return { precision, recall };
}

/** F-score with beta (the toolkit's form, which for beta != 1 is F of 1/beta); 0 where P + R is 0. */
export function fScore(precision: number, recall: number, beta = 1): number {
  const d = beta * beta * recall + precision;
  return d > 0 ? ((1 + beta * beta) * recall * precision) / d : 0;
}

/** Unweighted mean over sequences at each threshold, and P, R, F at the first maximum of F. */
export function summarisePR(perSequence: readonly PrecisionRecall[]): {
  precision: number;
  recall: number;
  f: number;
  curve: PrecisionRecall;
} {
  const k = perSequence[0]?.precision.length ?? 0;
  const mean = (pick: (s: PrecisionRecall) => number[]) =>
    Array.from({ length: k }, (_, j) => perSequence.reduce((s, x) => s + pick(x)[j], 0) / perSequence.length);
  const curve = { precision: mean((s) => s.precision), recall: mean((s) => s.recall) };
  let best = 0;
  const f = curve.precision.map((p, j) => fScore(p, curve.recall[j]));
  for (let j = 1; j < k; j++) if (f[j] > f[best]) best = j;
  return { precision: curve.precision[best], recall: curve.recall[best], f: f[best], curve };
}
