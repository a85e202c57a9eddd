import { stringify } from 'csv-stringify/sync';
import type { Vot2020Evaluation, Vot2020TrackerScores } from '../eval/evaluate.ts';

export const num = (v: number | undefined, d = 6) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(d));

/** Best first by EAO, then unsupervised accuracy, then long-term F (a blank score last). */
export function ranked(ev: Vot2020Evaluation): Vot2020TrackerScores[] {
  const key = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? -Infinity : v);
  return [...ev.trackers].sort(
    (a, b) =>
      key(b.baseline?.eao) - key(a.baseline?.eao) ||
      key(b.unsupervised?.accuracy) - key(a.unsupervised?.accuracy) ||
      key(b.longterm?.f) - key(a.longterm?.f) ||
      a.tracker.localeCompare(b.tracker),
  );
}

export function summaryCsv(ev: Vot2020Evaluation): string {
  const rows = ranked(ev).map((t) => [
    t.tracker,
    num(t.baseline?.eao),
    num(t.baseline?.accuracy),
    num(t.baseline?.robustness),
    num(t.realtime?.eao),
    num(t.realtime?.accuracy),
    num(t.realtime?.robustness),
    num(t.unsupervised?.accuracy),
    num(t.longterm?.precision),
    num(t.longterm?.recall),
    num(t.longterm?.f),
    ev.dataset,
  ]);
  const columns = ['tracker', 'eao', 'accuracy', 'robustness', 'realtime_eao', 'realtime_accuracy', 'realtime_robustness'];
  return stringify(rows, { header: true, columns: [...columns, 'unsupervised_accuracy', 'precision', 'recall', 'f_score', 'dataset'] });
}

/** Per tracker, experiment and sequence: multistart A, R, runs; unsupervised accuracy. */
export function sequencesCsv(ev: Vot2020Evaluation): string {
  const rows: (string | number)[][] = [];
  for (const t of ranked(ev)) {
    for (const [exp, r] of [['baseline', t.baseline] as const, ['realtime', t.realtime] as const]) {
      for (const s of r?.sequences ?? [])
        rows.push([t.tracker, exp, s.name, num(s.ar.accuracy), num(s.ar.robustness), s.runs.length, s.ar.progress, s.ar.frames]);
    }
    for (const s of t.unsupervised?.sequences ?? []) rows.push([t.tracker, 'unsupervised', s.name, num(s.accuracy), '', '', '', '']);
  }
  return stringify(rows, {
    header: true,
    columns: ['tracker', 'experiment', 'sequence', 'accuracy', 'robustness', 'runs', 'tracked_frames', 'run_frames'],
  });
}

/** Expected overlap per length, one column per tracker and multistart experiment. */
export function curveCsv(ev: Vot2020Evaluation): string {
  const series = ranked(ev).flatMap((t) =>
    (['baseline', 'realtime'] as const).flatMap((e) =>
      t[e] ? [{ name: e === 'baseline' ? t.tracker : `${t.tracker} (realtime)`, curve: t[e].curve }] : [],
    ),
  );
  const len = ev.stack.eao.high;
  const rows = Array.from({ length: len }, (_, j) => [j, ...series.map((s) => num(s.curve[j]))]);
  return stringify(rows, { header: true, columns: ['length', ...series.map((s) => s.name)] });
}

/** Long-term precision and recall at each threshold. */
export function prCurveCsv(ev: Vot2020Evaluation): string {
  const rows = ranked(ev).flatMap((t) =>
    t.longterm
      ? t.longterm.thresholds.map((tau, j) => [
          t.tracker,
          String(tau),
          num(t.longterm!.curve.precision[j]),
          num(t.longterm!.curve.recall[j]),
        ])
      : [],
  );
  return stringify(rows, { header: true, columns: ['tracker', 'threshold', 'precision', 'recall'] });
}

export function consoleTable(ev: Vot2020Evaluation): string {
  const ts = ranked(ev);
  const w = Math.max(12, ...ts.map((t) => t.tracker.length)) + 2;
  const cols = ['EAO', 'Accuracy', 'Robustness', 'RT EAO', 'Unsup. A', 'LT Pr', 'LT Re', 'LT F'];
  const head = ['Tracker'.padEnd(w), ...cols.map((c) => c.padStart(10))].join(' ');
  const rows = ts.map((t) =>
    [
      t.tracker.padEnd(w),
      ...[
        t.baseline?.eao,
        t.baseline?.accuracy,
        t.baseline?.robustness,
        t.realtime?.eao,
        t.unsupervised?.accuracy,
        t.longterm?.precision,
        t.longterm?.recall,
        t.longterm?.f,
      ].map((v) => num(v, 3).padStart(10)),
    ].join(' '),
  );
  const bar = '-'.repeat(head.length);
  return [
    `${ev.dataset} (VOT2020+ protocol, VOT toolkit v0.8 rules; EAO over lengths ${ev.stack.eao.low}..${ev.stack.eao.high - 1})`,
    bar,
    head,
    bar,
    ...rows,
    bar,
    '',
  ].join('\n');
}
