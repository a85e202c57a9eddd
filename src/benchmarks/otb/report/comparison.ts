import { stringify } from 'csv-stringify/sync';
import type { OtbEvaluation, OtbScores } from '../metrics/types.ts';

export interface ComparisonRow {
  scope: string;
  metric: string;
  baseline: number;
  ours: number;
  delta: number;
  sequences: number;
}

const METRICS: [string, (s: OtbScores) => number][] = [
  ['success_auc', (s) => s.successAuc],
  ['precision_20', (s) => s.precision20],
  ['norm_precision_20', (s) => s.normPrecision20],
  ['op50', (s) => s.op50],
  ['op75', (s) => s.op75],
];

/**
 * Baseline vs ours, side by side: every overall metric, then success AUC and precision per
 * attribute. Only scopes both trackers were scored on appear.
 */
export function compareTrackers(ev: OtbEvaluation, baseline: string, ours: string): ComparisonRow[] {
  const b = ev.trackers.find((t) => t.tracker === baseline);
  const o = ev.trackers.find((t) => t.tracker === ours);
  if (!b || !o) throw new Error(`comparison needs both ${baseline} and ${ours} in the evaluation`);
  const rows: ComparisonRow[] = METRICS.map(([metric, get]) => ({
    scope: 'overall',
    metric,
    baseline: get(b.overall),
    ours: get(o.overall),
    delta: get(o.overall) - get(b.overall),
    sequences: o.overall.sequences,
  }));
  for (const [attr, bs] of Object.entries(b.perAttribute)) {
    const os = o.perAttribute[attr];
    if (!os) continue;
    for (const [metric, get] of METRICS.slice(0, 2)) {
      rows.push({ scope: attr, metric, baseline: get(bs), ours: get(os), delta: get(os) - get(bs), sequences: os.sequences });
    }
  }
  return rows;
}

export function comparisonCsv(rows: ComparisonRow[], baseline: string, ours: string): string {
  return stringify(
    rows.map((r) => [r.scope, r.metric, r.baseline.toFixed(4), r.ours.toFixed(4), r.delta.toFixed(4), r.sequences]),
    {
      header: true,
      columns: ['scope', 'metric', baseline, ours, 'delta', 'sequences'],
    },
  );
}

/** A Markdown table, for the README and the console. */
export function comparisonMarkdown(rows: ComparisonRow[], baseline: string, ours: string): string {
  const lines = [
    `| scope | metric | ${baseline} | ${ours} | delta |`,
    '|---|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scope}${r.scope === 'overall' ? '' : ` (${r.sequences})`} | ${r.metric} | ${r.baseline.toFixed(3)} | ${r.ours.toFixed(3)} | ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(3)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
