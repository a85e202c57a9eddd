import type { BatchStats, ParamArray } from './trainable.ts';

/**
 * Folds one step's batch statistics into the moving statistics the network tracks with, in place.
 * The convention of updateBatchNormStats in src/trackers/siamfc/network.ts, which the committed
 * models were trained with, so that training on any engine continues them unchanged:
 * - PyTorch's update new = (1 - m) old + m batch, with the unbiased batch variance
 *   (population variance x count / (count - 1));
 * - m = max(momentum, 1 / (updates + 1)): a cumulative average for the first updates, so short runs
 *   do not validate with statistics still near their 0/1 initial values;
 * - the exemplar branch is folded first, then the search branch, each counting as one update
 *   ('bn/updates' goes up by two per step).
 * A network without 'bn/updates' has no batch norm and nothing to fold.
 */
export function foldBatchStatistics(
  params: ReadonlyMap<string, ParamArray>,
  stats: { z: ReadonlyMap<string, BatchStats>; x: ReadonlyMap<string, BatchStats> },
  momentum: number,
): void {
  const updates = params.get('bn/updates')?.data;
  if (!updates) return;
  for (const branch of [stats.z, stats.x]) {
    // The factors are float32 in the TensorFlow.js original; rounding them alike keeps the two equal.
    const m = Math.fround(Math.max(momentum, Math.fround(1 / (updates[0] + 1))));
    const keep = Math.fround(1 - m);
    for (const [bn, s] of branch) {
      const mean = params.get(`${bn}/mean`)?.data;
      const variance = params.get(`${bn}/variance`)?.data;
      if (!mean || !variance) throw new Error(`batch statistics for ${bn}, which has no moving statistics`);
      if (s.mean.length !== mean.length || s.variance.length !== variance.length)
        throw new Error(`batch statistics of ${bn} have ${s.mean.length} channels, the layer ${mean.length}`);
      const unbias = Math.fround(s.count / Math.max(1, s.count - 1));
      for (let c = 0; c < mean.length; c++) {
        mean[c] = Math.fround(mean[c] * keep) + Math.fround(s.mean[c] * m);
        variance[c] = Math.fround(variance[c] * keep) + Math.fround(Math.fround(s.variance[c] * unbias) * m);
      }
    }
    updates[0] += 1;
  }
}
