import { UserError } from '../../../core/errors.ts';
import { bootstrapDifference, holmAdjust, mean, signFlipPValue } from '../../../core/stats.ts';
import type { BaselineRow, OtbEvaluation } from '../metrics/types.ts';

export type { BaselineRow } from '../metrics/types.ts';

/** The same draws and level as the study's comparisons, so both answer alike. */
export const BASELINE_STATS = { draws: 10000, level: 0.95, seed: 1 } as const;

/**
 * Which differences from a baseline tracker are beyond chance: per tracker, the mean per-sequence
 * AUC difference with a paired percentile bootstrap interval over sequences (resampled with
 * replacement, each sequence paired with itself) and a paired sign-flip p-value, Holm-adjusted over
 * the trackers compared. Only sequences both trackers were scored on are paired.
 */
export function compareWithBaseline(ev: OtbEvaluation, baseline: string): BaselineRow[] {
  const base =
    ev.trackers.find((t) => t.tracker === baseline) ?? ev.trackers.find((t) => t.tracker.toLowerCase() === baseline.toLowerCase());
  if (!base)
    throw new UserError(`--baseline: no tracker '${baseline}' was scored (trackers: ${ev.trackers.map((t) => t.tracker).join(', ')})`);
  const baseAuc = new Map(base.perSequence.map((s) => [s.target, s.successAuc]));
  const rows = ev.trackers
    .filter((t) => t !== base)
    .map((t) => {
      const paired = t.perSequence.filter((s) => baseAuc.has(s.target));
      const a = paired.map((s) => s.successAuc);
      const b = paired.map((s) => baseAuc.get(s.target)!);
      const d = a.map((x, i) => x - b[i]);
      const ci = d.length > 0 ? bootstrapDifference([a], [b], BASELINE_STATS) : { low: NaN, high: NaN };
      const test = signFlipPValue(d, { draws: BASELINE_STATS.draws, seed: BASELINE_STATS.seed });
      return {
        tracker: t.tracker,
        baseline: base.tracker,
        sequences: d.length,
        deltaAuc: mean(d),
        ciLow: ci.low,
        ciHigh: ci.high,
        p: test.p,
        pHolm: NaN,
        exact: test.exact,
      };
    });
  const adjusted = holmAdjust(rows.map((r) => r.p));
  rows.forEach((r, i) => (r.pHolm = adjusted[i]));
  return rows;
}
