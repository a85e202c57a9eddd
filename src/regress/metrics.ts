import type { OtbEvaluation, OtbScores } from '../benchmarks/otb/metrics/types.ts';

/** The scores a regression check compares, by their summary.csv names. */
const REGRESS_METRICS = ['success_auc', 'precision_20', 'norm_precision_20', 'op50', 'op75'] as const;
export type RegressMetric = (typeof REGRESS_METRICS)[number];
export type MetricSet = Record<RegressMetric, number>;

export interface TrackerMetrics {
  overall: MetricSet;
  attributes: Record<string, MetricSet>;
  sequences: Record<string, MetricSet>;
}

function pick(s: OtbScores): MetricSet {
  return { success_auc: s.successAuc, precision_20: s.precision20, norm_precision_20: s.normPrecision20, op50: s.op50, op75: s.op75 };
}

/** Every compared number of an evaluation: overall, per attribute and per sequence, per tracker. */
export function metricsOf(ev: OtbEvaluation): Record<string, TrackerMetrics> {
  return Object.fromEntries(
    ev.trackers.map((t) => [
      t.tracker,
      {
        overall: pick(t.overall),
        attributes: Object.fromEntries(Object.entries(t.perAttribute).map(([a, s]) => [a, pick(s)])),
        sequences: Object.fromEntries(t.perSequence.map((s) => [s.target, pick(s)])),
      },
    ]),
  );
}

export interface Difference {
  tracker: string;
  /** overall | attribute:<code> | sequence:<name> */
  scope: string;
  metric: RegressMetric;
  baseline: number | undefined;
  current: number | undefined;
  /** current - baseline; NaN when either is missing. */
  delta: number;
  ok: boolean;
}

/**
 * Compares every metric of the current run with the baseline. A metric fails when it moved by more
 * than `tolerance` in either direction (better is also a change the baseline must record), or when
 * it exists on one side only.
 */
export function compareMetrics(
  baseline: Record<string, TrackerMetrics>,
  current: Record<string, TrackerMetrics>,
  tolerance: number,
): Difference[] {
  const out: Difference[] = [];
  const trackers = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort();
  for (const tracker of trackers) {
    const b = baseline[tracker];
    const c = current[tracker];
    const scopes: [string, MetricSet | undefined, MetricSet | undefined][] = [['overall', b?.overall, c?.overall]];
    for (const [kind, key] of [
      ['attribute', 'attributes'],
      ['sequence', 'sequences'],
    ] as const) {
      const names = [...new Set([...Object.keys(b?.[key] ?? {}), ...Object.keys(c?.[key] ?? {})])].sort();
      for (const n of names) scopes.push([`${kind}:${n}`, b?.[key][n], c?.[key][n]]);
    }
    for (const [scope, bs, cs] of scopes) {
      for (const metric of REGRESS_METRICS) {
        const bv = bs?.[metric];
        const cv = cs?.[metric];
        const delta = bv !== undefined && cv !== undefined ? cv - bv : NaN;
        out.push({ tracker, scope, metric, baseline: bv, current: cv, delta, ok: Math.abs(delta) <= tolerance });
      }
    }
  }
  return out;
}

/** The differences table: overall rows always, other rows only when they moved. */
export function formatDifferences(diffs: Difference[], tolerance: number): string {
  const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
  const shown = diffs.filter((d) => d.scope === 'overall' || !d.ok || d.delta !== 0);
  const w = Math.max(7, ...shown.map((d) => d.tracker.length));
  const s = Math.max(5, ...shown.map((d) => d.scope.length));
  const lines = [
    `${'tracker'.padEnd(w)}  ${'scope'.padEnd(s)}  ${'metric'.padEnd(17)}  baseline   current     delta  status`,
    ...shown.map(
      (d) =>
        `${d.tracker.padEnd(w)}  ${d.scope.padEnd(s)}  ${d.metric.padEnd(17)}  ${f(d.baseline).padStart(8)}  ${f(d.current).padStart(8)}  ${(Number.isNaN(d.delta) ? '-' : (d.delta >= 0 ? '+' : '') + d.delta.toFixed(4)).padStart(8)}  ${d.ok ? 'ok' : 'REGRESSED'}`,
    ),
  ];
  const failed = diffs.filter((d) => !d.ok).length;
  lines.push('', `${diffs.length} metric(s) compared (overall, per attribute, per sequence), tolerance +/-${tolerance}: ${failed} outside`);
  return `${lines.join('\n')}\n`;
}
