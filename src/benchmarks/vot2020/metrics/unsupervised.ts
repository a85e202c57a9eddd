import type { Region } from '../regions/types.ts';

/**
 * Average accuracy of the unsupervised experiment as the VOT toolkit (v0.8, `vot/analysis/
 * accuracy.py`, stack `burnin: 1`) computes it. Per trajectory, a frame is left out when its ground
 * truth is the unknown code 0; else when the prediction is the unknown code 0 (skipped, not scored
 * 0); else when it is `1` (initialisation: that frame and the next burnin - 1); else when it is `2`.
 * The rest are averaged; a trajectory with no frame left scores 0.
 */
export function trajectoryAccuracy(
  groundtruth: readonly Region[],
  predicted: readonly Region[],
  overlaps: ArrayLike<number>,
  burnin = 1,
): number {
  let sum = 0,
    n = 0,
    skipUntil = -1;
  for (let i = 0; i < predicted.length; i++) {
    const g = groundtruth[i],
      p = predicted[i];
    if (g.type === 'special' && g.code === 0) continue;
    if (p.type === 'special' && p.code === 0) continue;
    if (p.type === 'special' && p.code === 1) {
      skipUntil = i + burnin - 1;
      continue;
    }
    if (i <= skipUntil) continue;
    if (p.type === 'special' && p.code === 2) continue;
    sum += overlaps[i];
    n++;
  }
  return n > 0 ? sum / n : 0;
}

/** Sequences weighted by their length (the accuracy of each: the mean over its repetitions). */
export function weightedAccuracy(seqs: readonly { accuracy: number; length: number }[]): number {
  let a = 0,
    n = 0;
  for (const s of seqs) {
    a += s.accuracy * s.length;
    n += s.length;
  }
  return n > 0 ? a / n : NaN;
}
