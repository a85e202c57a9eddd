import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import type { OtbDataset } from '../benchmarks/otb/dataset/types.ts';
import { evaluateOtb } from '../benchmarks/otb/eval/evaluate.ts';
import { importOtbResults } from '../benchmarks/otb/results/index.ts';
import type { PerRunRow } from './per-run.ts';

/**
 * A published tracker's raw results scored on a test set's targets with the OTB toolkit's rules (the
 * study's), as per_run.csv rows of one model (seed 0, loss none): the figure a paper would quote,
 * on exactly the frames the study's models tracked. A target the results lack is an error, since
 * per_run.csv's statistics would otherwise drop it for every configuration.
 */
export async function publishedRows(
  pub: { config: string; results: string; tracker: string },
  ds: OtbDataset,
  testSet: string,
): Promise<PerRunRow[]> {
  const results = await importOtbResults(resolve(pub.results), ds, { trackers: [pub.tracker] });
  const ev = evaluateOtb(ds, results, 'otb');
  const tracker = ev.trackers.find((t) => t.tracker === pub.tracker);
  if (!tracker) throw new UserError(`crossValidation.published: no ${pub.tracker} folder in ${resolve(pub.results)}`);
  const scored = new Set(tracker.perSequence.map((q) => q.target));
  const lacking = ds.targets.filter((t) => !scored.has(t.name)).map((t) => t.name);
  if (lacking.length)
    throw new UserError(`crossValidation.published: ${pub.tracker} in ${resolve(pub.results)} has no result for ${lacking.join(', ')}`);
  return tracker.perSequence.map((q) => ({
    config: pub.config,
    seed: 0,
    testSet,
    sequence: q.target,
    auc: q.successAuc,
    precision: q.precision20,
    loss: 'none',
    baseline: false,
    attributes: q.attributes,
  }));
}
