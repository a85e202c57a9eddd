import { stringify } from 'csv-stringify/sync';
import { ATTRIBUTE_NAMES } from '../dataset/sets.ts';
import type { BaselineRow, OtbEvaluation, OtbScores, OtbTrackerEvaluation } from '../metrics/types.ts';

/** Scores are fractions in [0, 1]; 6 decimals keep got10k's 4-decimal figures comparable. */
const frac = (v: number) => v.toFixed(6);
const fps = (v: number | undefined) => (v === undefined ? '' : v.toFixed(2));

/** Trackers best first (success AUC, then precision), as every table and the console list them. */
function ranked(ev: OtbEvaluation): OtbTrackerEvaluation[] {
  return [...ev.trackers].sort(
    (a, b) =>
      b.overall.successAuc - a.overall.successAuc || b.overall.precision20 - a.overall.precision20 || a.tracker.localeCompare(b.tracker),
  );
}

function scoreCells(s: OtbScores): string[] {
  return [frac(s.successAuc), frac(s.precision20), frac(s.normPrecision20), frac(s.op50), frac(s.op75)];
}

const SCORE_COLS = ['success_auc', 'precision_20', 'norm_precision_20', 'op50', 'op75'];

export function summaryCsv(ev: OtbEvaluation): string {
  const withFps = ev.trackers.some((t) => t.overall.fps !== undefined);
  const rows = ranked(ev).map((t) => [
    t.tracker,
    ...scoreCells(t.overall),
    t.overall.sequences,
    t.overall.frames,
    ...(withFps ? [fps(t.overall.fps)] : []),
    ...(ev.baseline ? baselineCells(ev.baseline, t.tracker) : []),
    ev.label ?? ev.dataset,
    ev.convention,
  ]);
  const vs = ev.baseline ? ['delta_auc_vs_baseline', 'delta_ci_low', 'delta_ci_high', 'p_holm'] : [];
  return stringify(rows, {
    header: true,
    columns: ['tracker', ...SCORE_COLS, 'sequences', 'frames', ...(withFps ? ['fps'] : []), ...vs, 'dataset', 'convention'],
  });
}

/** The baseline's own row reads 'baseline'; the others their difference, interval and Holm-adjusted p. */
function baselineCells(rows: BaselineRow[], tracker: string): string[] {
  const r = rows.find((x) => x.tracker === tracker);
  if (!r) return ['baseline', '', '', ''];
  return [r.deltaAuc, r.ciLow, r.ciHigh, r.pHolm].map((v) => (Number.isFinite(v) ? v.toFixed(6) : ''));
}

export function perSequenceCsv(ev: OtbEvaluation): string {
  const rows = ranked(ev).flatMap((t) =>
    t.perSequence.map((s) => [t.tracker, s.target, s.attributes.join(' '), ...scoreCells(s), s.frames, fps(s.fps), ev.convention]),
  );
  return stringify(rows, { header: true, columns: ['tracker', 'target', 'attributes', ...SCORE_COLS, 'frames', 'fps', 'convention'] });
}

export function perAttributeCsv(ev: OtbEvaluation): string {
  const rows = ranked(ev).flatMap((t) =>
    Object.entries(t.perAttribute).map(([code, s]) => [
      t.tracker,
      code,
      ATTRIBUTE_NAMES[code] ?? code,
      s.sequences,
      ...scoreCells(s),
      s.frames,
      ev.convention,
    ]),
  );
  return stringify(rows, {
    header: true,
    columns: ['tracker', 'attribute', 'attribute_name', 'sequences', ...SCORE_COLS, 'frames', 'convention'],
  });
}

/** Everything a script needs to redraw the plots: scores, curves, the rules applied. */
export function summaryJson(ev: OtbEvaluation): string {
  const scores = (s: OtbScores & { sequences?: number; fps?: number }) => ({
    success_auc: s.successAuc,
    precision_20: s.precision20,
    norm_precision_20: s.normPrecision20,
    op50: s.op50,
    op75: s.op75,
    sequences: s.sequences,
    frames: s.frames,
    fps: s.fps,
    success_curve: s.successCurve,
    precision_curve: s.precisionCurve,
    norm_precision_curve: s.normPrecisionCurve,
  });
  return `${JSON.stringify(
    {
      dataset: ev.dataset,
      ...(ev.label && ev.label !== ev.dataset ? { label: ev.label } : {}),
      convention: ev.convention,
      rules: ev.rules,
      trackers: ranked(ev).map((t) => ({
        tracker: t.tracker,
        overall: scores(t.overall),
        per_attribute: Object.fromEntries(Object.entries(t.perAttribute).map(([k, s]) => [k, scores(s)])),
        warnings: t.warnings.length,
      })),
    },
    null,
    1,
  )}\n`;
}

const tex = (s: string) =>
  s.replace(/[\\&%$#_{}~^]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '~' || c === '^' ? `\\${c}{}` : `\\${c}`));

/** A booktabs table for a paper; the best value of each column in bold, the rules in a comment. */
export function latexTable(ev: OtbEvaluation): string {
  const rows = ranked(ev);
  const withFps = rows.some((t) => t.overall.fps !== undefined);
  const cols: [string, (t: OtbTrackerEvaluation) => number | undefined, number][] = [
    ['AUC', (t) => t.overall.successAuc, 3],
    ['P@20', (t) => t.overall.precision20, 3],
    ['NP@0.2', (t) => t.overall.normPrecision20, 3],
    ['OP50', (t) => t.overall.op50, 3],
    ['OP75', (t) => t.overall.op75, 3],
    ...(withFps
      ? [['FPS', (t: OtbTrackerEvaluation) => t.overall.fps, 1] as [string, (t: OtbTrackerEvaluation) => number | undefined, number]]
      : []),
  ];
  // The fastest tracker is bold among those that read pixels: static's million fps measures no tracking.
  const ranks = (h: string, t: OtbTrackerEvaluation) => h !== 'FPS' || !ev.pixelFree?.includes(t.tracker);
  const best = cols.map(([h, get, d]) => Math.max(...rows.filter((t) => ranks(h, t)).map((t) => Number((get(t) ?? -1).toFixed(d)))));
  const lines = [
    `% ${ev.label ?? ev.dataset}, convention ${ev.convention}. Rules applied:`,
    ...ev.rules.map((r) => `%   ${r}`),
    '% Needs \\usepackage{booktabs}.',
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{One-pass evaluation on ${tex(ev.label ?? ev.dataset)} (${tex(ev.convention)} convention): success AUC, precision at 20 px, normalised precision at 0.2, overlap precision at 0.5 and 0.75.}`,
    `\\begin{tabular}{l${'c'.repeat(cols.length)}}`,
    '\\toprule',
    `Tracker & ${cols.map(([h]) => h).join(' & ')} \\\\`,
    '\\midrule',
    ...rows.map(
      (t) =>
        `${tex(t.tracker)} & ${cols
          .map(([h, get, d], i) => {
            const v = get(t);
            if (v === undefined) return '--';
            const s = v.toFixed(d);
            return Number(s) === best[i] && ranks(h, t) ? `\\textbf{${s}}` : s;
          })
          .join(' & ')} \\\\`,
    ),
    '\\bottomrule',
    '\\end{tabular}',
    '\\end{table}',
  ];
  return `${lines.join('\n')}\n`;
}

/** The console table: the same figures as summary.csv, best first. */
/** A tracker that never reads pixels runs at millions of fps: keep the column its width. */
function fpsCell(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 1e5 ? v.toExponential(1) : v.toFixed(1);
}

export function consoleTable(ev: OtbEvaluation): string {
  const rows = ranked(ev);
  const withFps = rows.some((t) => t.overall.fps !== undefined);
  const w = Math.max(7, ...rows.map((t) => t.tracker.length));
  const head = `${'tracker'.padEnd(w)}  success_auc  precision_20  norm_prec_20    op50    op75  seqs   frames${withFps ? '      fps' : ''}`;
  const f4 = (v: number, width: number) => v.toFixed(4).padStart(width);
  const body = rows.map((t) => {
    const o = t.overall;
    return (
      `${t.tracker.padEnd(w)}  ${f4(o.successAuc, 11)}  ${f4(o.precision20, 12)}  ${f4(o.normPrecision20, 12)}  ${f4(o.op50, 6)}  ${f4(o.op75, 6)}` +
      `  ${String(o.sequences).padStart(4)}  ${String(o.frames).padStart(7)}${withFps ? `  ${fpsCell(o.fps).padStart(7)}` : ''}`
    );
  });
  return [
    `${ev.label ?? ev.dataset}, convention ${ev.convention} (scores are fractions; AUC = mean of the 21-point success curve)`,
    head,
    ...body,
    '',
  ].join('\n');
}
