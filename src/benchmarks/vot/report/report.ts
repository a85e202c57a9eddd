import { reportFiles } from '../../../output/files.ts';
import type { ChartConfiguration } from 'chart.js';
import { stringify } from 'csv-stringify/sync';
import type { VotEvaluation, VotTrackerScore } from '../eval/types.ts';
import { renderChartPng, seriesStyle } from '../../../output/chart.ts';

const FONT = 'sans-serif';
/** The dataset as outputs name it: with the share of its sequences when only part was scored. */
const named = (ev: VotEvaluation) => ev.label ?? ev.dataset;
const num = (v: number | undefined, d = 6) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(d));

/** Trackers best first by EAO, then accuracy (NaN last). */
function rankedVot(ev: VotEvaluation): VotTrackerScore[] {
  const key = (v: number) => (Number.isNaN(v) ? -Infinity : v);
  return [...ev.trackers].sort(
    (a, b) => key(b.eao) - key(a.eao) || key(b.accuracy) - key(a.accuracy) || a.tracker.localeCompare(b.tracker),
  );
}

function votSummaryCsv(ev: VotEvaluation): string {
  const rows = rankedVot(ev).map((t) => [
    t.tracker,
    num(t.eao),
    num(t.accuracy),
    num(t.robustness),
    num(t.failures, 3),
    t.frames,
    num(t.reliability),
    t.sequences,
    t.runs,
    num(t.ao),
    t.aoSequences ?? '',
    named(ev),
    ev.convention,
  ]);
  return stringify(rows, {
    header: true,
    columns: [
      'tracker',
      'eao',
      'accuracy',
      'robustness',
      'failures',
      'frames',
      'reliability',
      'sequences',
      'runs',
      'ao',
      'ao_sequences',
      'dataset',
      'convention',
    ],
  });
}

function votTagsCsv(ev: VotEvaluation): string {
  const rows = rankedVot(ev).flatMap((t) =>
    t.tags.map((g) => [t.tracker, g.tag, num(g.eao), num(g.accuracy), num(g.robustness), num(g.failures, 3), g.frames, ev.convention]),
  );
  return stringify(rows, {
    header: true,
    columns: ['tracker', 'tag', 'eao', 'accuracy', 'robustness', 'failures', 'frames', 'convention'],
  });
}

function votSequencesCsv(ev: VotEvaluation): string {
  const rows = rankedVot(ev).flatMap((t) =>
    t.perSequence.map((s) => [t.tracker, s.sequence, s.runs, num(s.accuracy), num(s.failures, 3), s.frames]),
  );
  return stringify(rows, { header: true, columns: ['tracker', 'sequence', 'runs', 'accuracy', 'failures', 'frames'] });
}

/** Phi(L) per tracker, one row per length L. */
function votCurveCsv(ev: VotEvaluation): string {
  const ts = rankedVot(ev).filter((t) => t.curve.length);
  const len = Math.max(0, ...ts.map((t) => t.curve.length));
  const rows = Array.from({ length: len }, (_, i) => [i + 1, ...ts.map((t) => num(t.curve[i]))]);
  return stringify(rows, { header: true, columns: ['length', ...ts.map((t) => t.tracker)] });
}

/** Expected-overlap curves with the EAO interval marked, legend `Name [EAO]`. */
function renderEaoCurve(ev: VotEvaluation): Uint8Array {
  const ts = rankedVot(ev).filter((t) => t.curve.length);
  const datasets = ts.map((t) => {
    const style = seriesStyle(ev.trackers.indexOf(t));
    return {
      label: `${t.tracker} [${num(t.eao, 3)}]`,
      data: Array.from(t.curve, (y, i) => ({ x: i + 1, y })),
      borderColor: style.color,
      backgroundColor: style.color,
      borderDash: style.dash,
      borderWidth: 2,
      pointRadius: 0,
    };
  });
  for (const x of [ev.range.low, ev.range.high]) {
    datasets.push({
      label: x === ev.range.low ? `EAO interval ${ev.range.low}-${ev.range.high}` : '',
      data: [
        { x, y: 0 },
        { x, y: 1 },
      ],
      borderColor: 'rgb(120,120,120)',
      backgroundColor: 'rgb(120,120,120)',
      borderDash: [4, 4],
      borderWidth: 1,
      pointRadius: 0,
    });
  }
  const maxX = Math.max(ev.range.high, ...ts.map((t) => t.curve.length));
  const config: ChartConfiguration<'line', { x: number; y: number }[]> = {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      plugins: {
        title: { display: true, text: 'Expected overlap curves', font: { family: FONT, size: 18 } },
        subtitle: { display: true, text: `${named(ev)}, convention ${ev.convention}; legend: EAO`, font: { family: FONT, size: 12 } },
        legend: {
          position: 'right',
          align: 'start',
          labels: { usePointStyle: true, pointStyle: 'line', font: { family: FONT, size: 13 }, filter: (item) => item.text !== '' },
        },
      },
      scales: {
        x: { type: 'linear', min: 1, max: maxX, title: { display: true, text: 'Sequence length L' } },
        y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'Expected average overlap Phi(L)' } },
      },
    },
  };
  return renderChartPng(config as ChartConfiguration, 1100, 620);
}

/** VOT's A-R raw plot: x = reliability exp(-30 F/N), y = accuracy, both in [0, 1]. */
function renderArPlot(ev: VotEvaluation): Uint8Array {
  const ts = rankedVot(ev).filter((t) => !Number.isNaN(t.accuracy) && !Number.isNaN(t.reliability));
  const shapes = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'] as const;
  const config: ChartConfiguration<'scatter', { x: number; y: number }[]> = {
    type: 'scatter',
    data: {
      datasets: ts.map((t) => {
        const i = ev.trackers.indexOf(t);
        const style = seriesStyle(i);
        return {
          label: t.tracker,
          data: [{ x: t.reliability, y: t.accuracy }],
          borderColor: style.color,
          backgroundColor: style.color,
          pointRadius: 7,
          pointStyle: shapes[Math.floor(i / 10) % shapes.length],
        };
      }),
    },
    options: {
      plugins: {
        title: { display: true, text: 'Accuracy-robustness plot', font: { family: FONT, size: 18 } },
        subtitle: {
          display: true,
          text: `${named(ev)}, convention ${ev.convention}; reliability = exp(-30 x failures / frames)`,
          font: { family: FONT, size: 12 },
        },
        legend: { position: 'right', align: 'start', labels: { usePointStyle: true, font: { family: FONT, size: 13 } } },
      },
      scales: {
        x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'Robustness (reliability, S = 30)' }, ticks: { stepSize: 0.1 } },
        y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'Accuracy' }, ticks: { stepSize: 0.1 } },
      },
    },
  };
  return renderChartPng(config as ChartConfiguration, 1100, 620);
}

/** A console column: heading, width, cell. */
type Column = [string, number, (t: VotTrackerScore) => string];

/**
 * The console table, with the columns of the experiments that ran: the supervised ones (EAO,
 * accuracy, robustness, failures, frames, sequences) when any tracker has supervised results, AO and
 * its sequence count when any has unsupervised ones. An unsupervised run used to print five empty
 * columns and "0 frames, 0 sequences" beside its AO.
 */
export function formatVotConsoleTable(ev: VotEvaluation): string {
  const supervised = ev.trackers.some((t) => t.sequences > 0);
  const ts = supervised
    ? rankedVot(ev)
    : [...ev.trackers].sort((a, b) => (b.ao ?? -1) - (a.ao ?? -1) || a.tracker.localeCompare(b.tracker));
  const w = Math.max(12, ...ts.map((t) => t.tracker.length)) + 2;
  const withAo = ts.some((t) => t.ao !== undefined);
  const cols: Column[] = [
    ...(supervised
      ? ([
          ['EAO', 7, (t) => num(t.eao, 3)],
          ['Accuracy', 9, (t) => num(t.accuracy, 3)],
          ['Robustness', 11, (t) => num(t.robustness, 3)],
          ['Failures', 9, (t) => num(t.failures, 1)],
          ['Frames', 7, (t) => String(t.frames)],
          ['Seqs', 5, (t) => String(t.sequences)],
        ] as Column[])
      : []),
    ...(withAo ? ([['AO', 7, (t) => num(t.ao, 3)]] as Column[]) : []),
    ...(withAo && !supervised ? ([['Seqs', 5, (t) => String(t.aoSequences ?? '')]] as Column[]) : []),
  ];
  const head = ['Tracker'.padEnd(w), ...cols.map(([h, n]) => h.padStart(n))].join(' ');
  const rows = ts.map((t) => [t.tracker.padEnd(w), ...cols.map(([, n, f]) => f(t).padStart(n))].join(' '));
  const bar = '-'.repeat(head.length);
  const what = supervised ? 'robustness = failures per 100 frames' : 'unsupervised: AO = average overlap, no resets';
  return [`${named(ev)}, convention ${ev.convention} (${what})`, bar, head, bar, ...rows, bar, ''].join('\n');
}

export function formatVotWarnings(ev: VotEvaluation, datasetWarnings: readonly string[]): string {
  const lines = [`# ${named(ev)}, convention ${ev.convention}: defects found while loading and scoring`];
  for (const w of datasetWarnings) lines.push(`dataset: ${w}`);
  for (const t of ev.trackers) for (const w of t.warnings) lines.push(`${t.tracker}: ${w}`);
  if (lines.length === 1) lines.push('(none)');
  return `${lines.join('\n')}\n`;
}

/**
 * Writes summary.csv, tags.csv, sequences.csv, eao_curve.csv, rules.txt, eao_curve.png and ar_plot.png
 * into `outDir` (atomically) and returns the paths. warnings.txt is the caller's (it knows the dataset).
 */
export async function writeVotReport(outDir: string, ev: VotEvaluation): Promise<string[]> {
  const { written, put } = reportFiles(outDir);
  await put('summary.csv', votSummaryCsv(ev));
  await put('tags.csv', votTagsCsv(ev));
  await put('sequences.csv', votSequencesCsv(ev));
  await put('eao_curve.csv', votCurveCsv(ev));
  await put(
    'rules.txt',
    [
      `${named(ev)}: supervised (and unsupervised) VOT experiments scored with the ${ev.convention} convention.`,
      'Rules applied:',
      ...ev.rules.map((r) => `  - ${r}`),
      '',
    ].join('\n'),
  );
  await put('eao_curve.png', renderEaoCurve(ev));
  await put('ar_plot.png', renderArPlot(ev));
  return written;
}
