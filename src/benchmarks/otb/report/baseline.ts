import { stringify } from 'csv-stringify/sync';
import { forestPng } from '../../../output/forest.ts';
import type { BaselineRow } from '../eval/baseline.ts';

const f6 = (v: number) => (Number.isFinite(v) ? v.toFixed(6) : '');

/** baseline.csv: one row per tracker compared, best difference first. */
export function baselineCsv(rows: BaselineRow[]): string {
  const sorted = [...rows].sort((x, y) => y.deltaAuc - x.deltaAuc);
  return stringify(
    sorted.map((r) => [
      r.tracker,
      r.baseline,
      r.sequences,
      f6(r.deltaAuc),
      f6(r.ciLow),
      f6(r.ciHigh),
      f6(r.p),
      f6(r.pHolm),
      r.exact ? 'exact' : 'monte-carlo',
    ]),
    { header: true, columns: ['tracker', 'baseline', 'sequences', 'delta_auc', 'ci_low', 'ci_high', 'p', 'p_holm', 'p_method'] },
  );
}

/** One line for the console per tracker: the difference, its interval and the adjusted p. */
export function baselineLines(rows: BaselineRow[]): string[] {
  if (rows.length === 0) return [];
  const w = Math.max(7, ...rows.map((r) => r.tracker.length));
  return [
    `AUC difference from ${rows[0].baseline} (paired bootstrap 95% CI over sequences; sign-flip p, Holm-adjusted over ${rows.length} tracker(s)):`,
    ...[...rows]
      .sort((x, y) => y.deltaAuc - x.deltaAuc)
      .map(
        (r) =>
          `  ${r.tracker.padEnd(w)}  ${r.deltaAuc >= 0 ? '+' : ''}${r.deltaAuc.toFixed(4)}  [${r.ciLow.toFixed(4)}, ${r.ciHigh.toFixed(4)}]  p_holm ${r.pHolm.toPrecision(3)}  (${r.sequences} seqs)`,
      ),
    '',
  ];
}

/** The forest plot: per tracker the interval and the point difference, best first, the baseline at 0. */
export function baselineForestPng(rows: BaselineRow[], title: string): Uint8Array {
  const r = [...rows].sort((x, y) => y.deltaAuc - x.deltaAuc);
  return forestPng(
    r.map((x) => ({ label: `${x.tracker} (p_holm ${x.pHolm.toPrecision(2)})`, estimate: x.deltaAuc, low: x.ciLow, high: x.ciHigh })),
    title,
    `ΔAUC (tracker - ${r[0]?.baseline ?? 'baseline'})`,
  );
}
